package engine

import "strings"

// NormalizeNumber returns the comparison key of a document number: upper-case
// letters and digits only, so "inv-0012345", "INV 0012345" and "INV0012345"
// compare equal.
func NormalizeNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteByte(c)
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		}
	}
	return b.String()
}

// tokens splits free text into candidate document numbers: runs of
// characters other than blanks, commas, semicolons and slashes.
func tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		switch r {
		case ' ', '\t', ',', ';', '/', ':', '(', ')':
			return true
		}
		return false
	})
}
