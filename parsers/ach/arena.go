package ach

import "strings"

// The text and the short slices of the payments a reader returns are cut
// from shared blocks, so that reading an entry costs a few allocations
// rather than one per string and slice. A payment kept alone keeps its block
// alive: at most a few tens of kilobytes.

// textBlock is the size of the blocks of a textArena.
const textBlock = 64 << 10

// textArena copies bytes into strings that share a block. The block is a
// strings.Builder: what it returns from String is never written again, and
// a full block is left to the strings that point into it.
type textArena struct {
	b strings.Builder
}

// add returns p as a string.
func (a *textArena) add(p []byte) string {
	if a.b.Cap()-a.b.Len() < len(p) {
		a.b.Reset()
		a.b.Grow(max(textBlock, len(p)))
	}
	start := a.b.Len()
	a.b.Write(p)
	return a.b.String()[start:]
}

// slabLen is how many elements a slab allocates at once.
const slabLen = 128

// slab hands out short slices of one array. Each slice has its length as
// its capacity, so appending to it copies rather than writing into the next
// payment's elements.
type slab[T any] struct {
	free []T
}

// take returns n zero elements; nil for none.
func (s *slab[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(s.free) {
		if n > slabLen/4 {
			return make([]T, n)
		}
		s.free = make([]T, slabLen)
	}
	t := s.free[:n:n]
	s.free = s.free[n:]
	return t
}
