package camt

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// scanTokens renders the token stream of the scanner: one line per start
// ({namespace}local), end and non-blank text token.
func scanTokens(in []byte) (string, error) {
	s := newScanner(bytes.NewReader(in))
	var b strings.Builder
	var text []byte
	flush := func() {
		if len(bytes.TrimSpace(text)) > 0 {
			fmt.Fprintf(&b, "text %q\n", text)
		}
		text = text[:0]
	}
	for {
		k, err := s.next()
		if err != nil {
			return b.String(), err
		}
		switch k {
		case tokStart:
			flush()
			fmt.Fprintf(&b, "start {%s}%s\n", s.nsNames[s.ns], s.local)
			for _, a := range s.attrs {
				if len(a.prefix) == 0 && string(a.local) != "xmlns" {
					fmt.Fprintf(&b, "attr %s=%q\n", a.local, a.value)
				}
			}
		case tokEnd:
			flush()
			fmt.Fprintf(&b, "end {%s}%s\n", s.nsNames[s.ns], s.local)
		case tokText:
			text = append(text, s.text...)
		case tokEOF:
			return b.String(), nil
		}
	}
}

// stdTokens renders the same view of the document with encoding/xml.
func stdTokens(in []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(in))
	var b strings.Builder
	var text []byte
	flush := func() {
		if len(bytes.TrimSpace(text)) > 0 {
			fmt.Fprintf(&b, "text %q\n", text)
		}
		text = text[:0]
	}
	for {
		t, err := d.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		switch t := t.(type) {
		case xml.StartElement:
			flush()
			fmt.Fprintf(&b, "start {%s}%s\n", t.Name.Space, t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Space == "" && a.Name.Local != "xmlns" {
					fmt.Fprintf(&b, "attr %s=%q\n", a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			flush()
			fmt.Fprintf(&b, "end {%s}%s\n", t.Name.Space, t.Name.Local)
		case xml.CharData:
			text = append(text, t...)
		}
	}
}

func TestScanner_AgreesWithEncodingXML(t *testing.T) {
	cases := map[string]string{
		"entities":  `<a x="1&amp;2" y='&#65;&#x42;'>T&lt;&gt;&quot;&apos;&#x20AC;</a>`,
		"cdata":     "<a><![CDATA[<raw> & ]]>tail</a>",
		"comment":   "<?xml version=\"1.0\"?>\n<!-- c -->\n<a><!-- in -->x</a>\n",
		"prefixes":  `<p:a xmlns:p="urn:p" xmlns="urn:d"><b/><p:c q="v"/></p:a>`,
		"crlf":      "<a>\r\nline\rtwo\r\n</a>",
		"nested ns": `<a xmlns="urn:1"><b xmlns="urn:2"><c/></b><d/></a>`,
		"gt":        `<a k="x>y">1 > 0</a>`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := scanTokens([]byte(in))
			if err != nil {
				t.Fatalf("scanner: %v", err)
			}
			want, err := stdTokens([]byte(in))
			if err != nil {
				t.Fatalf("encoding/xml: %v", err)
			}
			if got != want {
				t.Errorf("tokens differ\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestScanner_RefusesMalformedWithPosition(t *testing.T) {
	// stdToo marks the cases that encoding/xml refuses as well; it accepts
	// the others although XML 1.0 does not allow them (or, for DOCTYPE and
	// other encodings, although this reader does not).
	cases := []struct {
		name, in  string
		line, col int
		stdToo    bool
	}{
		{"mismatched end", "<a>\n  <b></c>\n</a>", 2, 6, true},
		{"unclosed", "<a>\n<b>", 2, 4, true},
		{"bad entity", "<a>x &nbsp; y</a>", 1, 6, true},
		{"bare ampersand", "<a>\n\tx & y</a>", 2, 4, true},
		{"unquoted attribute", "<a x=1/>", 1, 6, true},
		{"invalid utf-8", "<a>\xff</a>", 1, 4, true},
		{"lt in attribute", `<a x="<"/>`, 1, 7, true},
		{"control character", "<a>\x01</a>", 1, 4, true},
		{"duplicate attribute", `<a x="1" x="2"/>`, 1, 12, false},
		{"doctype", "<!DOCTYPE a><a/>", 1, 1, false},
		{"two roots", "<a/><b/>", 1, 5, false},
		{"text after root", "<a/>x", 1, 5, false},
		{"undeclared prefix", "<p:a/>", 1, 2, false},
		{"late declaration", "<a/><?xml version=\"1.0\"?>", 1, 5, false},
		{"double dash comment", "<a><!-- a -- b --></a>", 1, 11, true},
		{"empty", "", 1, 1, false},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, 1, 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := scanTokens([]byte(c.in))
			var se *syntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a syntax error", err)
			}
			if se.line != c.line || se.col != c.col {
				t.Errorf("position = %d:%d (%v), want %d:%d", se.line, se.col, se, c.line, c.col)
			}
			if _, err := stdTokens([]byte(c.in)); (err != nil) != c.stdToo {
				t.Errorf("encoding/xml: err = %v, want refusal %v", err, c.stdToo)
			}
		})
	}
}

func TestScanner_ByteOrderMark(t *testing.T) {
	got, err := scanTokens([]byte("\ufeff<?xml version=\"1.0\"?><a>x</a>"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "start {}a\ntext \"x\"\nend {}a\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestScanner_NormalizesAttributeWhiteSpace follows XML 1.0 section 3.3.3,
// which encoding/xml does not: tabs and line ends in attribute values read
// as spaces.
func TestScanner_NormalizesAttributeWhiteSpace(t *testing.T) {
	got, err := scanTokens([]byte("<a v=\"a\tb\r\nc\"/>"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "start {}a\nattr v=\"a b c\"\nend {}a\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
