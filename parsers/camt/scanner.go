package camt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// The scanner is a streaming XML tokenizer written for this reader: it
// checks well-formedness (matched tags, quoted attributes, known entities,
// valid UTF-8, no control characters), resolves namespaces, decodes
// entities and tracks the line and column of every token, which is what a
// refusal must name. It reads the subset of XML that bank files use: no
// DTD (a DOCTYPE is refused, which also rules out entity expansion).

type tokenKind uint8

const (
	tokStart tokenKind = iota + 1
	tokEnd
	tokText
	tokEOF
)

const (
	scanBufSize  = 64 << 10 // bytes read at a time
	maxTokenSize = 4 << 20  // longest tag or text the scanner holds
	maxDepth     = 256      // deepest element nesting accepted
	maxNamespace = 1024     // distinct namespace URIs remembered
)

// errSyntax marks a well-formedness error; the scanner wraps it with the
// position.
var errSyntax = errors.New("malformed XML")

// syntaxError is a well-formedness error at a line and column.
type syntaxError struct {
	line, col int
	msg       string
}

func (e *syntaxError) Error() string { return e.msg }
func (e *syntaxError) Unwrap() error { return errSyntax }

type attr struct {
	prefix, local []byte
	value         []byte // decoded
}

type nsBinding struct {
	prefix string
	ns     int // index into scanner.nsNames
	depth  int
}

type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next unread byte in buf
	base  int64 // stream offset of buf[0]
	eof   bool
	rdErr error
	err   error

	line      int   // 1-based line of buf[pos]
	lineStart int64 // stream offset where that line starts

	// The current token.
	kind        tokenKind
	prefix      []byte
	local       []byte
	ns          int // namespace index of the element, 0 when none
	attrs       []attr
	text        []byte // decoded text, or the raw slice when nothing to decode
	tokLine     int
	tokCol      int
	selfClosing bool // the start tag was <x/>; an end token follows

	textBuf  []byte // decoded text storage
	attrBuf  []byte // decoded attribute values
	names    []byte // open element names, concatenated
	nameEnds []int  // end offset in names of each open element
	bindings []nsBinding
	nsNames  []string       // namespace URIs by index; index 0 is "no namespace"
	nsIndex  map[string]int // URI to index
	pendEnd  bool           // emit the end of a self-closing element next
	started  bool           // the byte order mark, if any, was skipped
	// contentStart is the stream offset after any byte order mark.
	contentStart int64
	seenRoot     bool
	rootDone     bool
	sawDecl      bool
}

func newScanner(r io.Reader) *scanner {
	return &scanner{
		r:       r,
		buf:     make([]byte, 0, scanBufSize),
		line:    1,
		nsNames: []string{""},
		nsIndex: map[string]int{"": 0},
	}
}

// offset returns the stream offset of buf[i].
func (s *scanner) offset(i int) int64 { return s.base + int64(i) }

// errorf records a syntax error at buf[i] and returns it.
func (s *scanner) errorf(i int, format string, args ...any) error {
	line, col := s.position(i)
	s.err = &syntaxError{line: line, col: col, msg: fmt.Sprintf(format, args...)}
	return s.err
}

// position returns the line and byte column of buf[i], which must not lie
// before buf[pos]'s line start.
func (s *scanner) position(i int) (line, col int) {
	line = s.line
	start := s.lineStart
	if i > s.pos {
		seg := s.buf[s.pos:i]
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			line += n
			start = s.offset(s.pos + bytes.LastIndexByte(seg, '\n') + 1)
		}
	}
	return line, int(s.offset(i)-start) + 1
}

// advance consumes buf[pos:i], keeping the line count.
func (s *scanner) advance(i int) {
	seg := s.buf[s.pos:i]
	if len(seg) < 64 {
		// Most tokens are short: a loop beats the call into bytes.Count.
		for j, c := range seg {
			if c == '\n' {
				s.line++
				s.lineStart = s.offset(s.pos + j + 1)
			}
		}
	} else if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		s.line += n
		s.lineStart = s.offset(s.pos + bytes.LastIndexByte(seg, '\n') + 1)
	}
	s.pos = i
}

// fill reads more input, keeping buf[pos:]. It returns false at the end of
// the input or on a read error (kept in rdErr).
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf = s.buf[:n]
		s.pos = 0
	}
	if len(s.buf) == cap(s.buf) {
		if cap(s.buf) >= maxTokenSize {
			return false
		}
		nb := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(nb, s.buf)
		s.buf = nb
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.eof = true
		if err != io.EOF {
			s.rdErr = err
		}
	}
	return n > 0 || !s.eof
}

// next reads the next token. At the end of a well-formed document it
// returns tokEOF; any error is final.
func (s *scanner) next() (tokenKind, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.pendEnd {
		s.pendEnd = false
		return s.closeElement(s.pos)
	}
	if !s.started {
		s.started = true
		for len(s.buf) < 3 && s.fill() {
		}
		if bytes.HasPrefix(s.buf, []byte("\ufeff")) {
			s.pos, s.contentStart, s.lineStart = 3, 3, 3
		}
	}
	for {
		if s.pos >= len(s.buf) && !s.fill() {
			return s.atEOF()
		}
		if s.buf[s.pos] != '<' {
			k, err := s.scanText()
			if k != 0 || err != nil {
				return k, err
			}
			continue
		}
		k, err := s.scanMarkup()
		if k != 0 || err != nil {
			return k, err
		}
	}
}

func (s *scanner) atEOF() (tokenKind, error) {
	if s.rdErr != nil {
		s.err = s.rdErr
		return 0, s.err
	}
	if len(s.nameEnds) > 0 {
		return 0, s.errorf(s.pos, "unexpected end of file: element <%s> is not closed", s.openName(len(s.nameEnds)-1))
	}
	if !s.seenRoot {
		return 0, s.errorf(s.pos, "no root element")
	}
	s.kind = tokEOF
	return tokEOF, nil
}

// need makes sure buf[pos:] holds the bytes up to and including the first
// occurrence of delim at or after pos+from, and returns its index. quoted
// skips delimiters inside quoted attribute values.
func (s *scanner) need(from int, delim string, quoted bool) (int, error) {
	scanned := from
	var quote byte
	for {
		rest := s.buf[s.pos+scanned:]
		if !quoted {
			if j := bytes.Index(rest, []byte(delim)); j >= 0 {
				return s.pos + scanned + j, nil
			}
			if len(rest) >= len(delim) {
				scanned += len(rest) - len(delim) + 1
			}
		} else {
			for j := 0; j < len(rest); j++ {
				c := rest[j]
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					}
				case c == '"' || c == '\'':
					quote = c
				case c == delim[0]:
					return s.pos + scanned + j, nil
				}
			}
			scanned += len(rest)
		}
		if !s.fill() {
			if s.rdErr != nil {
				s.err = s.rdErr
				return 0, s.err
			}
			if len(s.buf)-s.pos >= maxTokenSize {
				return 0, s.errorf(s.pos, "markup longer than %d bytes", maxTokenSize)
			}
			return 0, s.errorf(s.pos, "unexpected end of file inside markup")
		}
	}
}

// scanText reads character data up to the next '<'. Text outside the root
// element must be blank; it yields no token.
func (s *scanner) scanText() (tokenKind, error) {
	end := -1
	for {
		if j := bytes.IndexByte(s.buf[s.pos:], '<'); j >= 0 {
			end = s.pos + j
			break
		}
		if s.eof || len(s.buf)-s.pos >= maxTokenSize {
			break
		}
		if !s.fill() {
			break
		}
	}
	if end < 0 {
		if s.rdErr != nil {
			s.err = s.rdErr
			return 0, s.err
		}
		if len(s.buf)-s.pos >= maxTokenSize {
			return 0, s.errorf(s.pos, "text longer than %d bytes", maxTokenSize)
		}
		end = len(s.buf)
	}
	raw := s.buf[s.pos:end]
	if len(s.nameEnds) == 0 {
		for i, c := range raw {
			if !isSpace(c) {
				return 0, s.errorf(s.pos+i, "text outside the root element")
			}
		}
		s.advance(end)
		return 0, nil
	}
	line, col := s.position(s.pos)
	text, err := s.decode(raw, s.pos, false)
	if err != nil {
		return 0, err
	}
	s.advance(end)
	s.kind, s.text, s.tokLine, s.tokCol = tokText, text, line, col
	return tokText, nil
}

// decode checks character data and resolves its references. i is the buffer
// index of raw[0], for error positions. inAttr also normalizes white space
// as attribute values require.
func (s *scanner) decode(raw []byte, i int, inAttr bool) ([]byte, error) {
	special, high := false, false
	for j, c := range raw {
		switch {
		case c == '&' || c == '\r':
			special = true
		case c < 0x20:
			if c != '\t' && c != '\n' {
				return nil, s.errorf(i+j, "control character %#02x in text", c)
			}
			if inAttr {
				special = true
			}
		case c == '<' && inAttr:
			return nil, s.errorf(i+j, "'<' in attribute value")
		case c >= 0x80:
			high = true
		}
	}
	if high && !utf8.Valid(raw) {
		for j := 0; j < len(raw); {
			r, n := utf8.DecodeRune(raw[j:])
			if r == utf8.RuneError && n <= 1 {
				return nil, s.errorf(i+j, "invalid UTF-8")
			}
			j += n
		}
	}
	if high {
		if j := bytes.Index(raw, []byte("\uFFFE")); j >= 0 {
			return nil, s.errorf(i+j, "character U+FFFE is not allowed in XML")
		}
		if j := bytes.Index(raw, []byte("\uFFFF")); j >= 0 {
			return nil, s.errorf(i+j, "character U+FFFF is not allowed in XML")
		}
	}
	if !special {
		return raw, nil
	}
	out := s.textBuf[:0]
	if inAttr {
		out = s.attrBuf
	}
	for j := 0; j < len(raw); j++ {
		c := raw[j]
		switch c {
		case '\r':
			if j+1 < len(raw) && raw[j+1] == '\n' {
				j++
			}
			c = '\n'
			if inAttr {
				c = ' '
			}
			out = append(out, c)
		case '\t', '\n':
			if inAttr {
				c = ' '
			}
			out = append(out, c)
		case '&':
			semi := bytes.IndexByte(raw[j:], ';')
			if semi < 0 {
				return nil, s.errorf(i+j, "'&' does not start a character or entity reference")
			}
			ref := raw[j+1 : j+semi]
			var ok bool
			out, ok = appendReference(out, ref)
			if !ok {
				return nil, s.errorf(i+j, "unknown reference &%s;", truncate(ref, 16))
			}
			j += semi
		default:
			out = append(out, c)
		}
	}
	if inAttr {
		s.attrBuf = out
	} else {
		s.textBuf = out
	}
	return out, nil
}

// appendReference appends the character that an entity or character
// reference stands for.
func appendReference(out, ref []byte) ([]byte, bool) {
	switch string(ref) {
	case "lt":
		return append(out, '<'), true
	case "gt":
		return append(out, '>'), true
	case "amp":
		return append(out, '&'), true
	case "apos":
		return append(out, '\''), true
	case "quot":
		return append(out, '"'), true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return out, false
	}
	var r rune
	digits := ref[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return out, false
	}
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return out, false
		}
		r = r*base + d
	}
	if !isXMLChar(r) {
		return out, false
	}
	return utf8.AppendRune(out, r), true
}

// isXMLChar reports whether r is a character XML 1.0 allows.
func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// scanMarkup reads a tag, comment, CDATA section, processing instruction or
// declaration starting at buf[pos] == '<'. Comments and processing
// instructions yield no token.
func (s *scanner) scanMarkup() (tokenKind, error) {
	if len(s.buf)-s.pos < 9 {
		s.fill()
	}
	rest := s.buf[s.pos:]
	if len(rest) > 1 {
		switch rest[1] {
		case '/':
			return s.scanEndTag()
		case '!', '?':
		default:
			return s.scanStartTag()
		}
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end, err := s.need(4, "-->", false)
		if err != nil {
			return 0, err
		}
		body := s.buf[s.pos+4 : end]
		if j := bytes.Index(body, []byte("--")); j >= 0 {
			return 0, s.errorf(s.pos+4+j, "'--' inside a comment")
		}
		if _, err := s.decodeCheck(body, s.pos+4); err != nil {
			return 0, err
		}
		s.advance(end + 3)
		return 0, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		if len(s.nameEnds) == 0 {
			return 0, s.errorf(s.pos, "CDATA section outside the root element")
		}
		end, err := s.need(9, "]]>", false)
		if err != nil {
			return 0, err
		}
		line, col := s.position(s.pos)
		raw := s.buf[s.pos+9 : end]
		text, err := s.decodeCheck(raw, s.pos+9)
		if err != nil {
			return 0, err
		}
		s.advance(end + 3)
		s.kind, s.text, s.tokLine, s.tokCol = tokText, text, line, col
		return tokText, nil
	case bytes.HasPrefix(rest, []byte("<!")):
		return 0, s.errorf(s.pos, "DOCTYPE and other declarations are not allowed in a bank file")
	case bytes.HasPrefix(rest, []byte("<?")):
		return 0, s.scanProcInst()
	case bytes.HasPrefix(rest, []byte("</")):
		return s.scanEndTag()
	}
	return s.scanStartTag()
}

// decodeCheck checks raw text that takes no references (CDATA, comments)
// and normalizes its line ends.
func (s *scanner) decodeCheck(raw []byte, i int) ([]byte, error) {
	for j, c := range raw {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, s.errorf(i+j, "control character %#02x in text", c)
		}
	}
	if !utf8.Valid(raw) {
		return nil, s.errorf(i, "invalid UTF-8")
	}
	if bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	out := s.textBuf[:0]
	for j := 0; j < len(raw); j++ {
		c := raw[j]
		if c == '\r' {
			if j+1 < len(raw) && raw[j+1] == '\n' {
				j++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	s.textBuf = out
	return out, nil
}

func (s *scanner) scanProcInst() error {
	end, err := s.need(2, "?>", false)
	if err != nil {
		return err
	}
	body := s.buf[s.pos+2 : end]
	target := body
	if j := bytes.IndexAny(body, " \t\r\n"); j >= 0 {
		target = body[:j]
	}
	if len(target) == 0 {
		return s.errorf(s.pos, "processing instruction without a target")
	}
	if bytes.EqualFold(target, []byte("xml")) {
		if s.offset(s.pos) != s.contentStart || s.sawDecl {
			return s.errorf(s.pos, "XML declaration is not at the start of the file")
		}
		s.sawDecl = true
		// TODO: a file declared ISO-8859-1 or windows-1252 is refused;
		// some banks send them, and reading them needs a transcoding
		// reader in front of the scanner.
		if enc := declEncoding(body); enc != "" && !isUTF8Name(enc) {
			return s.errorf(s.pos, "encoding %q is not supported: ISO 20022 messages are UTF-8", enc)
		}
	}
	if _, err := s.decodeCheck(body, s.pos+2); err != nil {
		return err
	}
	s.advance(end + 2)
	return nil
}

// declEncoding returns the encoding named in an XML declaration's body.
func declEncoding(body []byte) string {
	j := bytes.Index(body, []byte("encoding"))
	if j < 0 {
		return ""
	}
	rest := bytes.TrimLeft(body[j+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	k := bytes.IndexByte(rest[1:], q)
	if k < 0 {
		return ""
	}
	return string(rest[1 : 1+k])
}

func isUTF8Name(enc string) bool {
	return bytes.EqualFold([]byte(enc), []byte("utf-8")) || bytes.EqualFold([]byte(enc), []byte("utf8")) ||
		bytes.EqualFold([]byte(enc), []byte("us-ascii"))
}

// scanName reads an XML name at b[i:], returning its end. Names are ASCII
// name characters or any non-ASCII UTF-8; the scanner does not check the
// finer Unicode classes.
func scanName(b []byte, i int) int {
	j := i
	for j < len(b) {
		c := b[j]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':', c >= 0x80:
		case j > i && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return j
		}
		j++
	}
	return j
}

func splitName(name []byte) (prefix, local []byte) {
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		return name[:k], name[k+1:]
	}
	return nil, name
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (s *scanner) scanStartTag() (tokenKind, error) {
	if s.rootDone {
		return 0, s.errorf(s.pos, "second root element")
	}
	end, err := s.need(1, ">", true)
	if err != nil {
		return 0, err
	}
	tag := s.buf[s.pos:end] // "<name attrs" or "<name attrs/"
	start := s.pos
	line, col := s.position(start)
	nameEnd := scanName(tag, 1)
	if nameEnd == 1 {
		return 0, s.errorf(start+1, "expected an element name after '<'")
	}
	name := tag[1:nameEnd]
	if !validQName(name) {
		return 0, s.errorf(start+1, "invalid element name %q", truncate(name, 40))
	}
	selfClosing := tag[len(tag)-1] == '/'
	body := tag[nameEnd:]
	if selfClosing {
		body = body[:len(body)-1]
	}
	if len(s.nameEnds) >= maxDepth {
		return 0, s.errorf(start, "elements nested deeper than %d", maxDepth)
	}
	s.attrs = s.attrs[:0]
	s.attrBuf = s.attrBuf[:0]
	if err := s.scanAttrs(body, start+nameEnd); err != nil {
		return 0, err
	}

	// Open the element: remember its name and namespace declarations.
	depth := len(s.nameEnds) + 1
	s.names = append(s.names, name...)
	s.nameEnds = append(s.nameEnds, len(s.names))
	for _, a := range s.attrs {
		switch {
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			if err := s.bind("", a.value, depth, start); err != nil {
				return 0, err
			}
		case string(a.prefix) == "xmlns":
			if len(a.value) == 0 {
				return 0, s.errorf(start, "namespace prefix %q bound to an empty name", a.local)
			}
			if err := s.bind(string(a.local), a.value, depth, start); err != nil {
				return 0, err
			}
		}
	}
	prefix, local := splitName(name)
	ns, ok := s.lookup(prefix)
	if !ok {
		return 0, s.errorf(start+1, "undeclared namespace prefix %q", prefix)
	}
	for _, a := range s.attrs {
		if len(a.prefix) > 0 && string(a.prefix) != "xmlns" && string(a.prefix) != "xml" {
			if _, ok := s.lookup(a.prefix); !ok {
				return 0, s.errorf(start, "undeclared namespace prefix %q", a.prefix)
			}
		}
	}

	s.seenRoot = true
	s.advance(end + 1)
	s.kind, s.prefix, s.local, s.ns = tokStart, prefix, local, ns
	s.tokLine, s.tokCol, s.selfClosing = line, col, selfClosing
	s.pendEnd = selfClosing
	return tokStart, nil
}

// validQName reports whether name has at most one colon, not at either end.
func validQName(name []byte) bool {
	k := bytes.IndexByte(name, ':')
	if k < 0 {
		return true
	}
	return k > 0 && k < len(name)-1 && bytes.IndexByte(name[k+1:], ':') < 0
}

// scanAttrs parses the attributes in body (the start tag after its name);
// i is the buffer index of body[0].
func (s *scanner) scanAttrs(body []byte, i int) error {
	j := 0
	for {
		k := j
		for k < len(body) && isSpace(body[k]) {
			k++
		}
		if k == len(body) {
			return nil
		}
		if k == j {
			return s.errorf(i+k, "expected white space before attribute")
		}
		nameEnd := scanName(body, k)
		if nameEnd == k {
			return s.errorf(i+k, "expected an attribute name")
		}
		name := body[k:nameEnd]
		if !validQName(name) {
			return s.errorf(i+k, "invalid attribute name %q", truncate(name, 40))
		}
		k = nameEnd
		for k < len(body) && isSpace(body[k]) {
			k++
		}
		if k == len(body) || body[k] != '=' {
			return s.errorf(i+k, "attribute %s has no value", name)
		}
		k++
		for k < len(body) && isSpace(body[k]) {
			k++
		}
		if k == len(body) || (body[k] != '"' && body[k] != '\'') {
			return s.errorf(i+k, "attribute %s value is not quoted", name)
		}
		q := body[k]
		vEnd := bytes.IndexByte(body[k+1:], q)
		if vEnd < 0 {
			return s.errorf(i+k, "attribute %s value is not closed", name)
		}
		raw := body[k+1 : k+1+vEnd]
		mark := len(s.attrBuf)
		val, err := s.decode(raw, i+k+1, true)
		if err != nil {
			return err
		}
		if len(s.attrBuf) > mark {
			val = s.attrBuf[mark:len(s.attrBuf):len(s.attrBuf)]
		}
		prefix, local := splitName(name)
		for _, a := range s.attrs {
			if bytes.Equal(a.prefix, prefix) && bytes.Equal(a.local, local) {
				return s.errorf(i+k, "attribute %s appears twice", name)
			}
		}
		s.attrs = append(s.attrs, attr{prefix: prefix, local: local, value: val})
		j = k + 1 + vEnd + 1
	}
}

func (s *scanner) bind(prefix string, uri []byte, depth, at int) error {
	idx, ok := s.nsIndex[string(uri)]
	if !ok {
		if len(s.nsNames) >= maxNamespace {
			return s.errorf(at, "more than %d namespaces", maxNamespace)
		}
		idx = len(s.nsNames)
		u := string(uri)
		s.nsNames = append(s.nsNames, u)
		s.nsIndex[u] = idx
	}
	s.bindings = append(s.bindings, nsBinding{prefix: prefix, ns: idx, depth: depth})
	return nil
}

// lookup resolves a prefix ("" for the default namespace) to a namespace
// index.
func (s *scanner) lookup(prefix []byte) (int, bool) {
	if string(prefix) == "xml" {
		return s.intern("http://www.w3.org/XML/1998/namespace"), true
	}
	for k := len(s.bindings) - 1; k >= 0; k-- {
		if s.bindings[k].prefix == string(prefix) {
			return s.bindings[k].ns, true
		}
	}
	return 0, len(prefix) == 0
}

func (s *scanner) intern(uri string) int {
	if idx, ok := s.nsIndex[uri]; ok {
		return idx
	}
	s.nsNames = append(s.nsNames, uri)
	s.nsIndex[uri] = len(s.nsNames) - 1
	return len(s.nsNames) - 1
}

func (s *scanner) openName(k int) []byte {
	from := 0
	if k > 0 {
		from = s.nameEnds[k-1]
	}
	return s.names[from:s.nameEnds[k]]
}

func (s *scanner) scanEndTag() (tokenKind, error) {
	end, err := s.need(2, ">", false)
	if err != nil {
		return 0, err
	}
	tag := s.buf[s.pos:end]
	nameEnd := scanName(tag, 2)
	name := tag[2:nameEnd]
	for _, c := range tag[nameEnd:] {
		if !isSpace(c) {
			return 0, s.errorf(s.pos+nameEnd, "unexpected characters in end tag </%s>", truncate(name, 40))
		}
	}
	if len(s.nameEnds) == 0 {
		return 0, s.errorf(s.pos, "end tag </%s> without a start tag", truncate(name, 40))
	}
	open := s.openName(len(s.nameEnds) - 1)
	if !bytes.Equal(open, name) {
		return 0, s.errorf(s.pos, "end tag </%s> does not match <%s>", truncate(name, 40), truncate(open, 40))
	}
	line, col := s.position(s.pos)
	s.advance(end + 1)
	k, err := s.closeElement(s.pos)
	s.tokLine, s.tokCol = line, col
	return k, err
}

// closeElement pops the innermost open element and makes it the current
// end token.
func (s *scanner) closeElement(at int) (tokenKind, error) {
	k := len(s.nameEnds) - 1
	name := s.openName(k)
	depth := k + 1
	prefix, local := splitName(name)
	ns, _ := s.lookup(prefix)
	s.prefix, s.local, s.ns = prefix, local, ns
	for len(s.bindings) > 0 && s.bindings[len(s.bindings)-1].depth == depth {
		s.bindings = s.bindings[:len(s.bindings)-1]
	}
	from := 0
	if k > 0 {
		from = s.nameEnds[k-1]
	}
	s.names = s.names[:from]
	s.nameEnds = s.nameEnds[:k]
	if k == 0 {
		s.rootDone = true
	}
	s.kind = tokEnd
	s.tokLine, s.tokCol = s.position(at)
	return tokEnd, nil
}

// attr returns the value of the unprefixed attribute local of the current
// start token.
func (s *scanner) attr(local string) ([]byte, bool) {
	for _, a := range s.attrs {
		if len(a.prefix) == 0 && string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

// depth returns the number of open elements.
func (s *scanner) depth() int { return len(s.nameEnds) }

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
