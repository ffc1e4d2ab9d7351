package engine

import "strings"

// NormalizeNumber returns the comparison key of a document number: upper-case
// letters and digits only, so "inv-0012345", "INV 0012345" and "INV0012345"
// compare equal.
func NormalizeNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := upperAlnum(s[i]); c != 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// appendNormalized appends the NormalizeNumber form of s to dst.
func appendNormalized[T string | []byte](dst []byte, s T) []byte {
	for i := 0; i < len(s); i++ {
		if c := upperAlnum(s[i]); c != 0 {
			dst = append(dst, c)
		}
	}
	return dst
}

// upperAlnum returns c in upper case when it is an ASCII letter or digit,
// and 0 otherwise.
func upperAlnum(c byte) byte {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
		return c
	case c >= 'a' && c <= 'z':
		return c - 'a' + 'A'
	}
	return 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// coreKey returns the significant part of a normalized number: without its
// letter prefix and leading zeros, so that "INV0012345", "IN12345" and
// "0012345" share the core "12345". It returns nil when nothing is left.
func coreKey(full []byte) []byte {
	i := 0
	for i < len(full) && isLetter(full[i]) {
		i++
	}
	for i < len(full) && full[i] == '0' {
		i++
	}
	if i == len(full) {
		return nil
	}
	return full[i:]
}

// keyIndex maps a key to one or more small integers (items or customers)
// without allocating a slice per key.
type keyIndex struct {
	// m holds the only value of a key, or -(k+1) when the key has several,
	// listed in multi[k].
	m     map[string]int32
	multi [][]int32
}

func newKeyIndex(n int) keyIndex { return keyIndex{m: make(map[string]int32, n)} }

func (x *keyIndex) add(key string, v int32) {
	old, ok := x.m[key]
	switch {
	case !ok:
		x.m[key] = v
	case old >= 0:
		if old != v {
			x.multi = append(x.multi, []int32{old, v})
			x.m[key] = -int32(len(x.multi))
		}
	default:
		l := &x.multi[-old-1]
		for _, w := range *l {
			if w == v {
				return
			}
		}
		*l = append(*l, v)
	}
}

// appendTo appends the values of key to dst.
func (x *keyIndex) appendTo(dst []int32, key []byte) []int32 {
	v, ok := x.m[string(key)]
	switch {
	case !ok:
		return dst
	case v >= 0:
		return append(dst, v)
	}
	return append(dst, x.multi[-v-1]...)
}

// validRF reports whether the normalized reference s ("RF18539007547034") is
// an ISO 11649 creditor reference with correct check digits: with its first
// four characters moved to the end and letters read as 10 to 35, the number
// is 1 modulo 97.
func validRF(s []byte) bool {
	if len(s) < 5 || len(s) > 25 || s[0] != 'R' || s[1] != 'F' || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	rem := 0
	add := func(c byte) {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		default:
			rem = (rem*100 + int(c-'A'+10)) % 97
		}
	}
	for _, c := range s[4:] {
		add(c)
	}
	for _, c := range s[:4] {
		add(c)
	}
	return rem == 1
}
