package ach

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// recordLen is the length of every NACHA record, in characters.
const recordLen = 94

// record is one 94-character NACHA record. Its bytes are valid until the
// scanner reads the next record.
type record struct {
	b []byte
	// off holds the byte offset of each character position (0..94) when the
	// record is not pure ASCII; nil otherwise.
	off []int
	// pos is the 1-based line of the record or, in a file without line
	// breaks, its 1-based record number.
	pos int
}

// typeCode is the record type, its first character.
func (r *record) typeCode() byte { return r.b[0] }

// layout describes how the records of a file are delimited and what the
// scanner had to repair; the reader turns it into warnings.
type layout struct {
	records  int // records read, filler included
	lines    int // physical lines
	crlf     bool
	unbroken bool // records follow each other without line breaks
	// short counts records shorter than 94 characters (trailing blanks
	// stripped); firstShort is the position of the first.
	short, firstShort int
	// long counts records followed by blanks up to the line break.
	long, firstLong int
	// nonUTF8 counts records with bytes that are not UTF-8, read as
	// Windows-1252; firstNonUTF8 is the first.
	nonUTF8, firstNonUTF8 int
}

// scanner splits a NACHA file into records. It accepts one record per line
// (LF, CRLF or CR), records without any line break, lines shorter than 94
// characters (padded with blanks) and lines with trailing blanks beyond 94;
// layout records each such repair.
type scanner struct {
	r     io.Reader
	buf   []byte
	start int // first unread byte in buf
	end   int // end of the bytes read into buf
	eof   bool
	err   error

	rec  record
	fix  []byte // a repaired record: padded, or re-encoded as UTF-8
	offs [recordLen + 1]int
	lay  layout
	// lineStart reports whether the next record starts a physical line.
	lineStart bool
	// aliased reports whether rec.b points into buf.
	aliased bool
}

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, 64*1024), lineStart: true}
}

// fill reads more input, keeping the unread bytes. It returns false at the
// end of the input or on a read error (kept in s.err).
func (s *scanner) fill() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.start > 0 {
		s.end = copy(s.buf, s.buf[s.start:s.end])
		s.start = 0
	}
	if s.end == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
		}
		if n > 0 || s.eof || s.err != nil {
			return n > 0
		}
	}
}

// errLineTooLong is returned for a line that holds more than a record but
// not whole records.
var errLineTooLong = errors.New("line is longer than a 94-character record")

// next returns the next record, or io.EOF after the last. Blank lines are
// skipped.
func (s *scanner) next() (*record, error) {
	for {
		// Keep enough bytes buffered for a record of multi-byte characters
		// and its line break.
		for s.end-s.start < 4*recordLen+2 && s.fill() {
		}
		if s.err != nil {
			return nil, s.err
		}
		if s.start == s.end {
			return nil, io.EOF
		}
		if s.skipLineBreak() {
			s.lay.lines++ // an empty line
			continue
		}
		return s.record()
	}
}

// skipLineBreak consumes an empty line and reports whether it did.
func (s *scanner) skipLineBreak() bool {
	switch s.buf[s.start] {
	case '\n':
		s.start++
	case '\r':
		s.start++
		if s.start < s.end && s.buf[s.start] == '\n' {
			s.start++
		}
	default:
		return false
	}
	s.lineStart = true
	return true
}

// record reads the record at s.start.
func (s *scanner) record() (*record, error) {
	b := s.buf[s.start:s.end]
	s.lay.records++
	if s.lineStart {
		s.lay.lines++
	}
	pos := s.lay.lines
	if s.lay.unbroken {
		pos = s.lay.records
	}
	s.rec = record{pos: pos}

	// The common case: 94 ASCII characters.
	if len(b) >= recordLen && isPlainASCII(b[:recordLen]) {
		s.rec.b = b[:recordLen]
		s.aliased = true
		s.start += recordLen
		return &s.rec, s.afterRecord()
	}
	return &s.rec, s.slowRecord(b)
}

// slowRecord reads a record that is short, at the end of the input, or
// holds characters outside ASCII.
func (s *scanner) slowRecord(b []byte) error {
	s.fix = s.fix[:0]
	n, i, ascii := 0, 0, true
	for n < recordLen && i < len(b) && b[i] != '\n' && b[i] != '\r' {
		s.offs[n] = len(s.fix)
		c := b[i]
		switch {
		case c < utf8.RuneSelf:
			s.fix = append(s.fix, c)
			i++
		default:
			ascii = false
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				// Not UTF-8: read the byte as Windows-1252, the usual
				// 8-bit encoding of such files.
				r = charmap.Windows1252.DecodeByte(c)
				size = 1
				s.noteNonUTF8()
			}
			s.fix = utf8.AppendRune(s.fix, r)
			i += size
		}
		n++
	}
	if n < recordLen {
		s.lay.short++
		if s.lay.firstShort == 0 {
			s.lay.firstShort = s.rec.pos
		}
		for ; n < recordLen; n++ {
			s.offs[n] = len(s.fix)
			s.fix = append(s.fix, ' ')
		}
	}
	s.offs[recordLen] = len(s.fix)
	s.rec.b = s.fix
	if !ascii {
		s.rec.off = s.offs[:]
	}
	s.start += i
	return s.afterRecord()
}

func (s *scanner) noteNonUTF8() {
	if s.lay.nonUTF8 == 0 || s.lay.firstNonUTF8 != s.rec.pos {
		s.lay.nonUTF8++
	}
	if s.lay.firstNonUTF8 == 0 {
		s.lay.firstNonUTF8 = s.rec.pos
	}
}

// afterRecord consumes the line break after a record, trailing blanks up to
// a line break, or notes that the next record follows on the same line.
func (s *scanner) afterRecord() error {
	if s.end-s.start < 2 {
		s.detach()
		for s.end-s.start < 2 && s.fill() {
		}
	}
	if s.start == s.end {
		s.lineStart = true
		return s.err
	}
	switch s.buf[s.start] {
	case '\n', '\r':
		s.lay.crlf = s.lay.crlf || s.buf[s.start] == '\r' && s.start+1 < s.end && s.buf[s.start+1] == '\n'
		s.skipLineBreak()
		return nil
	case ' ':
		return s.skipTrailingBlanks()
	}
	// Another record follows on the same line: the file has no line
	// breaks, or this line holds several records.
	s.lineStart = false
	if s.lay.records == 1 {
		s.lay.unbroken = true
	}
	if !s.lay.unbroken {
		return fmt.Errorf("%w: the next record starts on the same line", errLineTooLong)
	}
	return nil
}

// detach copies a record that points into the read buffer, so that the
// buffer can be refilled.
func (s *scanner) detach() {
	if s.aliased {
		s.fix = append(s.fix[:0], s.rec.b...)
		s.rec.b = s.fix
		s.aliased = false
	}
}

// skipTrailingBlanks consumes the blanks after a record up to the line break
// or the end of the input. Anything else after them is an error: records do
// not start with a blank.
func (s *scanner) skipTrailingBlanks() error {
	s.lay.long++
	if s.lay.firstLong == 0 {
		s.lay.firstLong = s.rec.pos
	}
	s.detach()
	for {
		for s.start < s.end && s.buf[s.start] == ' ' {
			s.start++
		}
		if s.start < s.end || !s.fill() {
			break
		}
	}
	s.lineStart = true
	if s.start == s.end {
		return s.err
	}
	if c := s.buf[s.start]; c != '\n' && c != '\r' {
		return fmt.Errorf("%w: text follows the blanks after the record", errLineTooLong)
	}
	s.skipLineBreak()
	return nil
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// isPlainASCII reports whether b holds only ASCII characters other than line
// breaks. It looks at eight bytes at a time: a byte is a line break when it
// is zero once XORed with '\n' or '\r'.
func isPlainASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if w&highBits != 0 || hasZeroByte(w^('\n'*lowBits)) || hasZeroByte(w^('\r'*lowBits)) {
			return false
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c >= utf8.RuneSelf || c == '\n' || c == '\r' {
			return false
		}
	}
	return true
}

// hasZeroByte reports whether one of the eight bytes of w is zero.
func hasZeroByte(w uint64) bool { return (w-lowBits)&^w&highBits != 0 }
