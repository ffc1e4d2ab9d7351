package bai2

import (
	"bytes"
	"math"
	"math/bits"
)

// logical is a record with its continuations (88 records or code-less
// lines), each a part: the record itself first. Its parts lie in arena, the
// scanner's buffer, until the next record is read.
type logical struct {
	code  int
	line  int
	arena []byte
	parts []piece
}

// span is where a field or a line is in a logical record's arena.
type span struct{ start, end int }

// span returns where b, a slice of l.arena, lies in it; an empty b has an
// empty span.
func (l *logical) span(b []byte) span {
	if len(b) == 0 {
		return span{}
	}
	start := cap(l.arena) - cap(b) // b = l.arena[start:...]
	return span{start, start + len(b)}
}

func (l *logical) reset(p piece) {
	l.code, l.line = p.code, p.line
	l.parts = append(l.parts[:0], p)
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
	if f.done && !f.advance() {
		return nil, false
	}
	a, end := f.l.arena, f.l.parts[f.pi].end
	for i := f.pos; i < end; i += 8 {
		if i+8 > len(a) {
			if j := bytes.IndexByte(a[i:end], ','); j >= 0 {
				return f.field(i + j), true
			}
			break
		}
		m := matches(load8(a, i), ',')
		if n := end - i; n < 8 {
			m &= 1<<(8*n) - 1 // the bytes of the part
		}
		if m != 0 {
			return f.field(i + bits.TrailingZeros64(m)/8), true
		}
	}
	b := a[f.pos:end]
	f.pos, f.done = end, true
	return trimBlanks(b), true
}

// field returns the field that ends with the comma at a[comma] and moves
// past the comma.
func (f *fields) field(comma int) []byte {
	b := f.l.arena[f.pos:comma]
	f.pos = comma + 1
	return trimBlanks(b)
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
