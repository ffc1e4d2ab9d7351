package camt

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/cashmatch/cashmatch/parsers"
	"github.com/moov-io/iso20022/pkg/document"
)

// The strict schema check of 001.08 messages uses the message model of
// github.com/moov-io/iso20022, the only published Go model of these
// messages, which covers 001.08 alone. Its own Validate treats every
// alternative of an XSD choice as required, so it refuses files that the
// published schema accepts; this check walks the decoded model instead:
// required elements present, exactly one alternative of each choice, and
// the model's own checks of every value (patterns, lengths, codes).
//
// TODO: elements the model does not know are not reported, since
// encoding/xml skips them when decoding; a file with a misspelled optional
// element passes the check. Validating against the XSD itself would catch
// them but needs an XSD validator that Go does not have.

// maxSchemaDocument is the largest file the schema check reads: the model
// decodes a whole document in memory, at several times its size.
const maxSchemaDocument = 256 << 20

// holdForSchema prepares the strict schema check where it applies: it
// peeks at the namespace and, for a 001.08 message, reads the whole file
// and returns a reader of its bytes, kept for checkSchema once the reader
// has read them without fault. It returns nil when no check applies.
func (r *Reader) holdForSchema() (io.Reader, error) {
	head, _ := r.in.Peek(parsers.DetectSize)
	_, version, ok := namespaceIn(head)
	if !ok || version != 8 {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.in, maxSchemaDocument+1))
	if err != nil {
		return nil, &parsers.ParseError{File: r.opts.Name, Err: fmt.Errorf("read: %w", err)}
	}
	if len(data) > maxSchemaDocument {
		return nil, &parsers.ParseError{File: r.opts.Name, Err: fmt.Errorf(
			"the strict schema check of a 001.08 message reads it whole, up to %d MiB; this file is larger",
			maxSchemaDocument>>20)}
	}
	r.schemaData = data
	return bytes.NewReader(data), nil
}

// checkSchema runs the schema check of a file held by holdForSchema.
func (r *Reader) checkSchema() error {
	if r.schemaData == nil {
		return nil
	}
	err := checkSchema08(r.schemaData)
	r.schemaData = nil
	if err != nil {
		return &parsers.ParseError{File: r.opts.Name, Record: "schema", Err: err}
	}
	return nil
}

// namespaceIn finds the first camt namespace in the head of a file.
func namespaceIn(head []byte) (message, int, bool) {
	i := bytes.Index(head, []byte(namespacePrefix))
	if i < 0 || len(head) < i+len(namespacePrefix)+len("053.001.08") {
		return message{}, 0, false
	}
	return parseNamespace(string(head[i : i+len(namespacePrefix)+len("053.001.08")]))
}

// checkSchema08 decodes a 001.08 message into the model and checks it.
func checkSchema08(data []byte) error {
	doc, err := document.ParseIso20022Document(document08(data))
	if err != nil {
		return fmt.Errorf("001.08 message model: %w", err)
	}
	msg := doc.InspectMessage()
	if msg == nil {
		return errors.New("001.08 message model: no message")
	}
	v := reflect.ValueOf(msg)
	name := "Document"
	if t := reflect.Indirect(v).Type(); t.Kind() == reflect.Struct {
		if f, ok := t.FieldByName("XMLName"); ok {
			name, _, _ = strings.Cut(f.Tag.Get("xml"), ",")
		}
	}
	return walkModel(v, name, true)
}

// document08 returns the Document element of data, without an envelope
// around it and with its namespace declared as the default one, which is
// all the model can decode.
func document08(data []byte) []byte {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		start := d.InputOffset()
		t, err := d.Token()
		if err != nil {
			return data
		}
		se, ok := t.(xml.StartElement)
		if !ok || se.Name.Local != "Document" {
			continue
		}
		if err := d.Skip(); err != nil {
			return data
		}
		doc := data[start:d.InputOffset()]
		end := bytes.IndexByte(doc, '>')
		if end < 0 || bytes.Contains(doc[:end], []byte(`xmlns="`)) || bytes.Contains(doc[:end], []byte(`xmlns='`)) {
			return doc
		}
		// A prefixed Document, or one that inherits its namespace from an
		// envelope: declare the namespace as the default one.
		nameEnd := bytes.IndexAny(doc, " \t\r\n/>")
		out := append([]byte{}, doc[:nameEnd]...)
		out = append(out, ` xmlns="`+se.Name.Space+`"`...)
		return append(out, doc[nameEnd:]...)
	}
}

// walkModel checks the decoded value v at path. required says whether the
// element must be present.
func walkModel(v reflect.Value, path string, required bool) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			if required {
				return fmt.Errorf("%s: required element missing", path)
			}
			return nil
		}
		return walkModel(v.Elem(), path, required)
	case reflect.Slice:
		if v.Len() == 0 && required {
			return fmt.Errorf("%s: required element missing", path)
		}
		for i := 0; i < v.Len(); i++ {
			if err := walkModel(v.Index(i), path+"["+strconv.Itoa(i+1)+"]", true); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
		return walkStruct(v, path, required)
	}
	if v.IsZero() {
		if required && v.Kind() == reflect.String {
			return fmt.Errorf("%s: required element missing", path)
		}
		return nil
	}
	return validateLeaf(v, path)
}

func walkStruct(v reflect.Value, path string, required bool) error {
	t := v.Type()
	if v.IsZero() {
		// The model cannot tell an absent element from an empty one; an
		// empty element is valid when all its children are optional.
		if required && (strings.HasSuffix(t.Name(), "Choice") || isValueType(t) || hasRequiredChild(t)) {
			return fmt.Errorf("%s: required element missing", path)
		}
		return nil
	}
	if isValueType(t) {
		return validateLeaf(v, path)
	}
	choice := strings.HasSuffix(t.Name(), "Choice")
	set := 0
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" || strings.Contains(opts, "attr") || f.Type == reflect.TypeOf(xml.Name{}) {
			continue
		}
		fv := v.Field(i)
		if choice {
			if fv.IsZero() {
				continue
			}
			set++
		}
		need := !choice && !strings.Contains(opts, "omitempty") && fv.Kind() != reflect.Bool
		if err := walkModel(fv, path+"/"+name, need); err != nil {
			return err
		}
	}
	if choice && set != 1 {
		return fmt.Errorf("%s: a choice needs exactly one of its elements, found %d", path, set)
	}
	return nil
}

// hasRequiredChild reports whether a struct of type t has an element that
// must be present.
func hasRequiredChild(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if name != "" && name != "-" && !strings.Contains(opts, "attr") && !strings.Contains(opts, "omitempty") &&
			f.Type.Kind() != reflect.Bool && f.Type != reflect.TypeOf(xml.Name{}) {
			return true
		}
	}
	return false
}

// isValueType reports whether t is an element with a value and attributes
// (an amount with its currency) rather than child elements.
func isValueType(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if strings.Contains(t.Field(i).Tag.Get("xml"), ",chardata") {
			return true
		}
	}
	return false
}

// validateLeaf runs the model's own check of a value.
func validateLeaf(v reflect.Value, path string) error {
	m := v.MethodByName("Validate")
	if !m.IsValid() {
		return nil
	}
	out := m.Call(nil)
	if len(out) == 1 && !out[0].IsNil() {
		return fmt.Errorf("%s: %v", path, out[0].Interface())
	}
	return nil
}
