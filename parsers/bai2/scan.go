package bai2

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Record codes, as the two digits read.
const (
	codeFileHeader   = 1
	codeGroupHeader  = 2
	codeAccount      = 3
	codeDetail       = 16
	codeAccountEnd   = 49
	codeContinuation = 88
	codeGroupEnd     = 98
	codeFileEnd      = 99
	codeBare         = -1 // a physical line that does not start with a record code
	codeUnknown      = -2 // a line that starts with two digits and a comma, not a BAI2 code
)

// maxLine bounds the memory one physical line may take; a longer line is
// refused rather than read whole.
const maxLine = 1 << 20

// errLongLine is returned for a physical line longer than maxLine.
var errLongLine = errors.New("line is longer than 1 MiB; not a BAI2 file")

// piece is one record as the file splits it: the text after its record code
// up to its end, without the "/" that may terminate it.
type piece struct {
	code  int
	line  int    // physical line (or, without line breaks, physical record) where it starts
	data  []byte // valid until the next call of scanner.next
	slash bool   // ended with "/"
	colon bool   // an 88 code followed by ":" instead of ","
}

// scanner splits a BAI2 byte stream into records: by line breaks, by the
// physical record length of files without line breaks, and at a "/" followed
// by the next record's code on the same line.
type scanner struct {
	br    *bufio.Reader
	fixed int // physical record length of a file without line breaks; 0 otherwise
	line  int
	buf   []byte // the current line without its line break and trailing blanks
	pos   int    // start of the unread part of buf
	last  int    // code of the last record that is not a continuation
	long  []byte // scratch for lines longer than br's buffer and fixed records
	err   error
}

func newScanner(r io.Reader) *scanner {
	return &scanner{br: bufio.NewReaderSize(r, 64*1024)}
}

// detectFixed switches to fixed-length physical records when the file
// declares a physical record length in its 01 record and the next record
// starts exactly that many bytes in, on the same line.
func (s *scanner) detectFixed() {
	head, _ := s.br.Peek(4096)
	if !bytes.HasPrefix(head, []byte("01,")) {
		return
	}
	f := head
	for range 6 { // skip to the physical record length, the 7th field
		i := bytes.IndexByte(f, ',')
		if i < 0 {
			return
		}
		f = f[i+1:]
	}
	n, ok := 0, false
	for len(f) > 0 && f[0] >= '0' && f[0] <= '9' && n < 10000 {
		n, ok, f = n*10+int(f[0]-'0'), true, f[1:]
	}
	if !ok || n < 4 || n+3 > len(head) {
		return
	}
	if nl := bytes.IndexAny(head, "\r\n"); nl >= 0 && nl <= n {
		return
	}
	if isRecordStart(head[n:]) {
		s.fixed = n
	}
}

// readLine loads the next physical line into buf. It returns false at the
// end of the input or on a read error (s.err).
func (s *scanner) readLine() bool {
	var b []byte
	var err error
	if s.fixed > 0 {
		if cap(s.long) < s.fixed {
			s.long = make([]byte, s.fixed)
		}
		n, rerr := io.ReadFull(s.br, s.long[:s.fixed])
		b, err = s.long[:n], rerr
		if err == io.ErrUnexpectedEOF {
			err = nil
		}
	} else {
		b, err = s.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			b, err = s.readLong(b)
		}
	}
	if err != nil && err != io.EOF {
		s.err = err
		return false
	}
	if len(b) == 0 {
		return false
	}
	s.line++
	if s.line == 1 {
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
	}
	s.buf, s.pos = trimRightBlanks(b), 0
	return true
}

// readLong reads the rest of a line that does not fit bufio's buffer.
func (s *scanner) readLong(first []byte) ([]byte, error) {
	s.long = append(s.long[:0], first...)
	for {
		b, err := s.br.ReadSlice('\n')
		if len(s.long)+len(b) > maxLine {
			return nil, errLongLine
		}
		s.long = append(s.long, b...)
		if err != bufio.ErrBufferFull {
			return s.long, err
		}
	}
}

// next returns the next record. A physical line that does not start with a
// record code gives a piece with code codeBare. It returns false at the end
// of the input or on a read error (s.err).
func (s *scanner) next() (piece, bool) {
	if s.err != nil {
		return piece{}, false
	}
	for {
		if s.pos >= len(s.buf) {
			if !s.readLine() {
				return piece{}, false
			}
		}
		rest := s.buf[s.pos:]
		lead := 0
		for lead < len(rest) && (rest[lead] == ' ' || rest[lead] == '\t') {
			lead++
		}
		if lead == len(rest) {
			s.pos = len(s.buf)
			continue
		}
		// A record starts with its code; a line that does not is text that
		// continues the record before it, leading blanks included.
		p := piece{line: s.line, code: codeBare}
		start := s.pos
		switch {
		case isRecordStart(rest[lead:]):
			p.code = int(rest[lead]-'0')*10 + int(rest[lead+1]-'0')
			start += lead + 3
		case len(rest) >= lead+3 && string(rest[lead:lead+3]) == "88:":
			// A continuation whose code a colon follows: kept as one, marked.
			p.code, p.colon = codeContinuation, true
			start += lead + 3
		case lead == 0 && len(rest) >= 3 && isDigit(rest[0]) && isDigit(rest[1]) && rest[2] == ',':
			p.code = codeUnknown // a record of a type BAI2 does not define
		}
		if p.code != codeContinuation && p.code != codeBare {
			s.last = p.code
		}
		end, next := s.recordEnd(start)
		p.data, s.pos = trimRightBlanks(s.buf[start:end]), next
		if n := len(p.data); n > 0 && p.data[n-1] == '/' {
			p.data, p.slash = p.data[:n-1], true
		}
		return p, true
	}
}

// recordEnd finds where the record that starts at buf[start] ends: at the
// end of the line, or at a "/" followed by blanks and the code of a record
// that may come next, as in "49,1000,2/ 98,1000,1,4/". Text and references
// may hold "/" followed by digits ("ORDER 2024/01,"), so a "/" directly
// followed by a code, or by one that cannot come next, ends nothing. It
// returns the end (after the "/") and where the next record starts.
func (s *scanner) recordEnd(start int) (end, next int) {
	for i := start; i < len(s.buf); {
		j := bytes.IndexByte(s.buf[i:], '/')
		if j < 0 {
			break
		}
		i += j + 1
		k := i
		for k < len(s.buf) && (s.buf[k] == ' ' || s.buf[k] == '\t') {
			k++
		}
		if k > i && isRecordStart(s.buf[k:]) && mayFollow(s.last, s.buf[k:k+2]) {
			return i, k
		}
	}
	return len(s.buf), len(s.buf)
}

// mayFollow reports whether a record with the two-digit code next may come
// after a record with code last (or after its continuations).
func mayFollow(last int, next []byte) bool {
	switch string(next) {
	case "88":
		return true
	case "01":
		return last == codeFileEnd
	case "02":
		return last == codeFileHeader || last == codeGroupEnd
	case "03":
		return last == codeGroupHeader || last == codeAccountEnd
	case "16":
		return last == codeAccount || last == codeDetail
	case "49":
		return last == codeAccount || last == codeDetail
	case "98":
		return last == codeGroupHeader || last == codeAccountEnd
	case "99":
		return last == codeFileHeader || last == codeGroupEnd
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isRecordStart reports whether b starts with a BAI2 record code and comma.
func isRecordStart(b []byte) bool {
	if len(b) < 3 || b[2] != ',' {
		return false
	}
	switch string(b[:2]) {
	case "01", "02", "03", "16", "49", "88", "98", "99":
		return true
	}
	return false
}

func trimRightBlanks(b []byte) []byte {
	n := len(b)
	for n > 0 {
		switch b[n-1] {
		case ' ', '\t', '\r', '\n':
			n--
			continue
		}
		break
	}
	return b[:n]
}

// String names a record code for messages.
func codeName(code int) string {
	switch code {
	case codeBare:
		return "text"
	case codeUnknown:
		return "unknown"
	}
	return fmt.Sprintf("%02d", code)
}
