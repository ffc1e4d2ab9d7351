package bai2

import (
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
// up to its end, without the "/" that may terminate it, in the scanner's
// buffer.
type piece struct {
	code       int
	line       int  // physical line (or, without line breaks, physical record) where it starts
	start, end int  // in scanner.buf
	slash      bool // ended with "/"
	colon      bool // an 88 code followed by ":" instead of ","
}

// scanner splits a BAI2 byte stream into records: by line breaks, by the
// physical record length of files without line breaks, and at a "/" followed
// by the next record's code on the same line. It reads into a buffer of its
// own and hands out records in place: a record stays where it is until the
// record after it has been read.
type scanner struct {
	rd    io.Reader
	buf   []byte
	w     int   // buf[:w] has been read
	r     int   // start of the next physical line
	seen  int   // buf[r:seen] holds no line break
	rerr  error // what ended reading: io.EOF at the end of the input
	fixed int   // physical record length of a file without line breaks; 0 otherwise
	line  int
	pos   int // the unread part of the current line, without its line
	end   int // break and trailing blanks: buf[pos:end]
	last  int // code of the last record that is not a continuation
	err   error

	stash    piece // a record read past the end of the current one
	hasStash bool
}

// bufSize is the scanner's initial buffer; it grows to hold a longer record.
const bufSize = 64 * 1024

func newScanner(r io.Reader) *scanner {
	return &scanner{rd: r, buf: make([]byte, bufSize)}
}

// record reads the next record with its continuations into l, whose arena
// is then the scanner's buffer. It returns false at the end of the input or
// on a read error (s.err).
func (s *scanner) record(l *logical) bool {
	first, ok := s.stash, s.hasStash
	s.hasStash = false
	if !ok {
		l.parts = l.parts[:0]
		if first, ok = s.next(l); !ok {
			return false
		}
	}
	l.reset(first)
	for {
		p, ok := s.next(l)
		if !ok {
			break
		}
		if p.code != codeContinuation && p.code != codeBare {
			s.stash, s.hasStash = p, true
			break
		}
		l.parts = append(l.parts, p)
	}
	l.arena = s.buf
	return true
}

// detectFixed switches to fixed-length physical records when the file
// declares a physical record length in its 01 record and the next record
// starts exactly that many bytes in, on the same line.
func (s *scanner) detectFixed() {
	for s.w-s.r < 4096 && s.rerr == nil {
		s.fill(nil)
	}
	head := s.buf[s.r:min(s.w, s.r+4096)]
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

// readLine makes the next physical line the current one. held is the
// record being put together, whose parts a refill of the buffer moves with
// the data; nil when there is none. It returns false at the end of the
// input or on a read error (s.err).
func (s *scanner) readLine(held *logical) bool {
	var start, end int
	for {
		if s.fixed > 0 {
			if s.w-s.r >= s.fixed {
				start, end = s.r, s.r+s.fixed
				s.r = end
				break
			}
		} else if i := bytes.IndexByte(s.buf[s.seen:s.w], '\n'); i >= 0 {
			start, end = s.r, s.seen+i+1
			if end-start > maxLine {
				s.err = errLongLine
				return false
			}
			s.r, s.seen = end, end
			break
		} else {
			s.seen = s.w
			if s.w-s.r > maxLine {
				s.err = errLongLine
				return false
			}
		}
		if s.rerr != nil {
			if s.rerr != io.EOF {
				s.err = s.rerr
				return false
			}
			if s.r == s.w {
				return false
			}
			start, end = s.r, s.w // the last line, without a line break
			s.r, s.seen = end, end
			break
		}
		s.fill(held)
	}
	s.line++
	if s.line == 1 && bytes.HasPrefix(s.buf[start:end], []byte("\ufeff")) {
		start += len("\ufeff")
	}
	s.pos, s.end = start, start+len(trimRightBlanks(s.buf[start:end]))
	return true
}

// fill reads more input into the buffer. When the buffer is full, it first
// moves what is still needed (the unread lines and the parts of held) to
// its start, into a larger buffer when that is more than half of it.
func (s *scanner) fill(held *logical) {
	if s.w == len(s.buf) {
		keep := s.r
		if held != nil && len(held.parts) > 0 {
			keep = min(keep, held.parts[0].start)
		}
		buf := s.buf
		if s.w-keep > len(s.buf)/2 {
			buf = make([]byte, 2*len(s.buf))
		}
		copy(buf, s.buf[keep:s.w])
		s.buf = buf
		s.w, s.r, s.seen = s.w-keep, s.r-keep, s.seen-keep
		if held != nil {
			for i := range held.parts {
				held.parts[i].start -= keep
				held.parts[i].end -= keep
			}
		}
	}
	for range 100 {
		n, err := s.rd.Read(s.buf[s.w:])
		if n < 0 || n > len(s.buf)-s.w {
			s.rerr = errBadRead
			return
		}
		s.w += n
		if err != nil {
			s.rerr = err
			return
		}
		if n > 0 {
			return
		}
	}
	s.rerr = io.ErrNoProgress
}

// errBadRead is the error for an io.Reader that returns an impossible count.
var errBadRead = errors.New("the input returned an invalid byte count")

// next returns the next record. A physical line that does not start with a
// record code gives a piece with code codeBare. held is as for readLine. It
// returns false at the end of the input or on a read error (s.err).
func (s *scanner) next(held *logical) (piece, bool) {
	if s.err != nil {
		return piece{}, false
	}
	for {
		if s.pos >= s.end {
			if !s.readLine(held) {
				return piece{}, false
			}
		}
		rest := s.buf[s.pos:s.end]
		lead := 0
		for lead < len(rest) && (rest[lead] == ' ' || rest[lead] == '\t') {
			lead++
		}
		if lead == len(rest) {
			s.pos = s.end
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
		p.start, p.end = start, start+len(trimRightBlanks(s.buf[start:end]))
		s.pos = next
		if p.end > p.start && s.buf[p.end-1] == '/' {
			p.end, p.slash = p.end-1, true
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
	line := s.buf[:s.end]
	for i := start; i < len(line); {
		j := bytes.IndexByte(line[i:], '/')
		if j < 0 {
			break
		}
		i += j + 1
		k := i
		for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
			k++
		}
		if k > i && isRecordStart(line[k:]) && mayFollow(s.last, line[k:k+2]) {
			return i, k
		}
	}
	return len(line), len(line)
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
