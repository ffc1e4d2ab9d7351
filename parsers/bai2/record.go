package bai2

import (
	"bytes"
	"math"
)

// part is one physical piece of a logical record: the record itself or one
// of the 88 continuations (or code-less lines) that follow it.
type part struct {
	start, end int // in logical.arena
	line       int
	code       int // the record's code, codeContinuation or codeBare
	slash      bool
	colon      bool // an 88 code followed by ":" instead of ","
}

// logical is a record with its continuations, copied out of the scanner's
// buffer so that it survives reading ahead.
type logical struct {
	code  int
	line  int
	arena []byte
	parts []part
}

func (l *logical) reset(p piece) {
	l.code, l.line = p.code, p.line
	l.arena, l.parts = l.arena[:0], l.parts[:0]
	l.add(p)
}

func (l *logical) add(p piece) {
	start := len(l.arena)
	l.arena = append(l.arena, p.data...)
	l.parts = append(l.parts, part{start: start, end: len(l.arena), line: p.line, code: p.code,
		slash: p.slash, colon: p.colon})
}

// continuations counts the 88 records among the parts.
func (l *logical) continuations() int64 {
	n := int64(0)
	for _, p := range l.parts[1:] {
		if p.code == codeContinuation {
			n++
		}
	}
	return n
}

// fields walks the comma-separated fields of a logical record across its
// parts. A part boundary separates fields as a comma does: a continuation
// starts with the field that follows the last one before it.
type fields struct {
	l    *logical
	pi   int  // current part
	pos  int  // next unread byte of the current part, in l.arena
	done bool // the current part has no fields left
}

func newFields(l *logical) fields {
	f := fields{l: l, pos: l.parts[0].start}
	f.done = l.parts[0].start == l.parts[0].end
	return f
}

// advance moves to the next part that has fields; false when none is left.
func (f *fields) advance() bool {
	for f.done {
		if f.pi+1 >= len(f.l.parts) {
			return false
		}
		f.pi++
		p := f.l.parts[f.pi]
		f.pos, f.done = p.start, p.start == p.end
	}
	return true
}

// next returns the next field with its surrounding blanks removed, and
// false when the record has no fields left.
func (f *fields) next() ([]byte, bool) {
	if !f.advance() {
		return nil, false
	}
	end := f.l.parts[f.pi].end
	b := f.l.arena[f.pos:end]
	if i := bytes.IndexByte(b, ','); i >= 0 {
		f.pos += i + 1
		return trimBlanks(b[:i]), true
	}
	f.pos, f.done = end, true
	return trimBlanks(b), true
}

// trimBlanks is bytes.TrimSpace with a fast path for the usual field that
// has no blanks around it.
func trimBlanks(b []byte) []byte {
	if len(b) == 0 || (b[0] > ' ' && b[len(b)-1] > ' ') {
		return b
	}
	return bytes.TrimSpace(b)
}

// rest returns what is left of the current part, commas included, and
// moves past it: the text field of a 16 record.
func (f *fields) rest() ([]byte, bool) {
	if !f.advance() {
		return nil, false
	}
	end := f.l.parts[f.pi].end
	b := f.l.arena[f.pos:end]
	f.pos, f.done = end, true
	return b, true
}

// restBlank reports whether the fields left in the current part are all
// empty, as in a record that ends with a superfluous ",/".
func (f *fields) restBlank() bool {
	if f.done {
		return false
	}
	for _, c := range f.l.arena[f.pos:f.l.parts[f.pi].end] {
		if c != ',' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// skipPart drops the rest of the current part.
func (f *fields) skipPart() { f.pos, f.done = f.l.parts[f.pi].end, true }

// line returns the physical line of the current part.
func (f *fields) line() int { return f.l.parts[f.pi].line }

// parseUint parses an unsigned decimal integer of at most 18 digits.
func parseUint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// parseSigned parses an integer with an optional "+" or "-" sign.
func parseSigned(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg, b = b[0] == '-', b[1:]
	}
	n, ok := parseUint(b)
	if neg {
		n = -n
	}
	return n, ok
}

// parseCode parses a three-digit type code.
func parseCode(b []byte) (int, bool) {
	if len(b) != 3 {
		return 0, false
	}
	n, ok := parseUint(b)
	return int(n), ok
}

// addChecked adds b to *a and reports false when the sum overflows.
func addChecked(a *int64, b int64) bool {
	if (b > 0 && *a > math.MaxInt64-b) || (b < 0 && *a < math.MinInt64-b) {
		return false
	}
	*a += b
	return true
}
