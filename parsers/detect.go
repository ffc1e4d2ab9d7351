package parsers

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"github.com/cashmatch/cashmatch/engine"
)

// DetectSize is how many leading bytes Detect needs to decide.
const DetectSize = 4096

var camtNamespace = regexp.MustCompile(`urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.\d\d`)

// Detect names the format of a bank file from its first bytes (up to
// DetectSize). It returns ErrUnknownFormat when none fits.
//
// A NACHA file is recognised by its file header ("101") or, when it starts
// with another record, by its shape: records of 94 characters, one per line
// or without line breaks, each starting with a record type (1, 5, 6, 7, 8
// or 9). The ACH reader then says what is wrong with such a file.
func Detect(head []byte) (engine.Format, error) {
	b := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case len(b) > 0 && b[0] == '<':
		m := camtNamespace.FindSubmatch(head)
		if m == nil {
			return "", ErrUnknownFormat
		}
		return engine.Format("camt." + string(m[1])), nil
	case bytes.HasPrefix(b, []byte("01,")):
		return engine.FormatBAI2, nil
	case len(b) >= 3 && b[0] == '1' && b[1] == '0' && (b[2] == '1' || b[2] == ' '):
		return engine.FormatACH, nil
	case nachaRecords(b):
		return engine.FormatACH, nil
	}
	return "", ErrUnknownFormat
}

// nachaLen is the length of a NACHA record in characters.
const nachaLen = 94

// nachaRecords reports whether b starts with two NACHA records (or one, when
// b holds no more): 94 characters each, starting with a record type. In a
// file with line breaks the first line must be a whole record, blanks after
// it aside; a second line may have lost its trailing blanks.
func nachaRecords(b []byte) bool {
	first, rest, broken := cutLine(b)
	if !broken {
		// No line break after the first record: records follow each other.
		first, rest = b, nil
		if len(b) > nachaLen {
			first, rest = b[:nachaLen], b[nachaLen:]
		}
	}
	if len(first) == 0 || !isRecordType(first[0]) ||
		utf8.RuneCount(first) < nachaLen || utf8.RuneCount(bytes.TrimRight(first, " ")) > nachaLen {
		return false
	}
	rest = bytes.TrimLeft(rest, "\r\n")
	if len(rest) == 0 {
		return true
	}
	second, _, _ := cutLine(rest)
	return isRecordType(second[0]) && (!broken || utf8.RuneCount(bytes.TrimRight(second, " ")) <= nachaLen)
}

// cutLine splits b after its first line when a line break ends it within a
// record's length (a few bytes more for characters beyond ASCII).
func cutLine(b []byte) (line, rest []byte, ok bool) {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 || i > 4*nachaLen {
		return b, nil, false
	}
	return b[:i], b[i:], true
}

func isRecordType(c byte) bool {
	switch c {
	case '1', '5', '6', '7', '8', '9':
		return true
	}
	return false
}
