package x12

import (
	"errors"
	"strings"
)

// Separators are the delimiters of an X12 stream.
type Separators struct {
	Element byte
	// Component separates the parts of a composite element; zero when the
	// stream has no ISA to declare one.
	Component byte
	Segment   byte
}

// Errors of separator detection.
var (
	// ErrNotX12 means the text does not start with a segment ID and an
	// element separator.
	ErrNotX12 = errors.New("x12: text does not start with a segment")
	// ErrShortISA means an ISA header ends before its sixteenth element.
	ErrShortISA = errors.New("x12: ISA header ends before its component separator and segment terminator")
)

// isaElements is the number of data elements of an ISA header, and isaLen
// the length of an ISA with fixed-width elements, its terminator included.
const (
	isaElements = 16
	isaLen      = 106
)

// DetectSeparators returns the separators of data. With a leading ISA header
// they are read from it; otherwise the element separator must be '*' (the
// convention for remittance in NACHA addenda) and the segment terminator is
// the first '~', '\' or newline, or '~' when there is none. It returns
// ErrNotX12 when data does not start with a segment and ErrShortISA when the
// ISA is cut short.
func DetectSeparators(data string) (Separators, error) {
	data = trimLeftBlanks(data)
	if strings.HasPrefix(data, "ISA") && len(data) > 3 {
		return isaSeparators(data)
	}
	id := segmentID(data)
	if id == 0 || id >= len(data) || data[id] != '*' {
		return Separators{}, ErrNotX12
	}
	seps := Separators{Element: '*', Segment: '~'}
	if i := strings.IndexAny(data, "~\\\n"); i >= 0 {
		seps.Segment = data[i]
	}
	return seps, nil
}

// isaSeparators reads the separators from the ISA header at the start of
// data. The elements are counted rather than taken at fixed offsets so that
// an ISA with trimmed elements is still understood.
func isaSeparators(data string) (Separators, error) {
	seps := Separators{Element: data[3]}
	if isWordByte(seps.Element) || seps.Element == ' ' {
		return Separators{}, ErrNotX12
	}
	// The usual ISA has fixed-width elements: ISA16 at 104, the segment
	// terminator at 105.
	if len(data) > isaLen && data[isaLen-3] == seps.Element &&
		strings.Count(data[3:isaLen-2], data[3:4]) == isaElements {
		seps.Component, seps.Segment = data[isaLen-2], data[isaLen-1]
		if !isWordByte(seps.Segment) && seps.Segment != seps.Element && seps.Segment != ' ' {
			return seps, nil
		}
	}
	n, i := 0, 3
	for ; i < len(data) && n < isaElements; i++ {
		if data[i] == seps.Element {
			n++
		}
	}
	// data[i] is ISA16, the component separator; the segment terminator
	// follows it.
	if n < isaElements || i+1 >= len(data) {
		return Separators{}, ErrShortISA
	}
	seps.Component, seps.Segment = data[i], data[i+1]
	if isWordByte(seps.Segment) || seps.Segment == seps.Element || seps.Segment == ' ' {
		return Separators{}, ErrShortISA
	}
	return seps, nil
}

// segmentID returns the length of the segment ID at the start of s: two or
// three upper-case letters or digits, starting with a letter; zero when
// there is none.
func segmentID(s string) int {
	n := 0
	for n < len(s) && n < 4 && isIDByte(s[n]) {
		n++
	}
	if n < 2 || n > 3 || s[0] < 'A' || s[0] > 'Z' {
		return 0
	}
	return n
}

func isIDByte(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func isWordByte(c byte) bool { return isIDByte(c) || c >= 'a' && c <= 'z' }

// LooksLikeX12 reports whether text starts with an X12 segment: an ISA
// header, or a segment ID followed by '*'.
func LooksLikeX12(text string) bool {
	_, err := DetectSeparators(text)
	return err == nil
}

// Segment is one X12 segment. Its strings share memory with the scanned
// data.
type Segment struct {
	ID string
	// Elements are the data elements after the ID: Elements[0] is XX01.
	Elements []string
	// Index is the 1-based position of the segment in the stream.
	Index int
	// Text is the whole segment without its terminator.
	Text string
}

// Element returns the n-th data element (1-based, as in "RMR04"), or "" when
// the segment has fewer elements.
func (s Segment) Element(n int) string {
	if n < 1 || n > len(s.Elements) {
		return ""
	}
	return s.Elements[n-1]
}

// Scanner splits an X12 stream into segments. Blanks and line breaks between
// segments are skipped. It is not safe for concurrent use.
type Scanner struct {
	data string
	seps Separators
	pos  int
	seg  Segment
	// cuts are the offsets of the element separators in seg.Text, once
	// split is set; elems backs seg.Elements, once filled is set.
	cuts   []int
	elems  []string
	split  bool
	filled bool
}

// NewScanner returns a scanner of data with the given separators.
func NewScanner(data string, seps Separators) *Scanner {
	s := &Scanner{}
	s.Reset(data, seps)
	return s
}

// Reset makes s scan data from the start, keeping its buffers.
func (s *Scanner) Reset(data string, seps Separators) {
	s.data, s.seps, s.pos = data, seps, 0
	s.seg, s.split, s.filled = Segment{}, false, false
}

// Scan advances to the next segment and reports whether there was one.
func (s *Scanner) Scan() bool {
	for s.pos < len(s.data) {
		end := strings.IndexByte(s.data[s.pos:], s.seps.Segment)
		var text string
		if end < 0 {
			text, s.pos = s.data[s.pos:], len(s.data)
		} else {
			text, s.pos = s.data[s.pos:s.pos+end], s.pos+end+1
		}
		text = trimBlanks(text)
		if text == "" {
			continue
		}
		id := text
		if i := strings.IndexByte(text, s.seps.Element); i >= 0 {
			id = text[:i]
		}
		// Field by field: storing a whole Segment costs more.
		s.seg.ID, s.seg.Text = trimBlanks(id), text
		s.seg.Index++
		if s.seg.Elements != nil {
			s.seg.Elements = nil
		}
		s.split, s.filled = false, false
		return true
	}
	return false
}

// trimLeftBlanks removes the blanks and line breaks before a segment.
func trimLeftBlanks(s string) string {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:]
}

// trimBlanks removes the blanks and line breaks around a segment.
func trimBlanks(s string) string {
	i, j := 0, len(s)
	for i < j && isBlank(s[i]) {
		i++
	}
	for j > i && isBlank(s[j-1]) {
		j--
	}
	return s[i:j]
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// splitElements finds the element separators of the current segment.
// Elements are short, so a plain loop beats a search per element; offsets
// rather than strings keep the garbage collector out of it.
func (s *Scanner) splitElements() {
	s.cuts = s.cuts[:0]
	text, sep := s.seg.Text, s.seps.Element
	for i := 0; i < len(text); i++ {
		if text[i] == sep {
			s.cuts = append(s.cuts, i)
		}
	}
	s.split = true
}

// element returns the n-th data element (1-based) of the current segment, or
// "" when it has fewer. REQUIRES: the segment is split.
func (s *Scanner) element(n int) string {
	if n < 1 || n > len(s.cuts) {
		return ""
	}
	end := len(s.seg.Text)
	if n < len(s.cuts) {
		end = s.cuts[n]
	}
	return s.seg.Text[s.cuts[n-1]+1 : end]
}

// Segment returns the current segment. Its Elements slice is reused by the
// next call to Scan.
func (s *Scanner) Segment() Segment {
	if !s.split {
		s.splitElements()
	}
	if !s.filled {
		s.elems = s.elems[:0]
		for n := 1; n <= len(s.cuts); n++ {
			s.elems = append(s.elems, s.element(n))
		}
		s.seg.Elements, s.filled = s.elems, true
	}
	return s.seg
}
