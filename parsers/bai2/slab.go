package bai2

import (
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// slabs hand out the small slices of payments (text lines, references) from
// larger blocks, so that a payment costs a constant few allocations. A block
// lives as long as any payment that uses part of it: at most a few hundred
// payments' lines are kept together.
type slabs struct {
	lines []string
	refs  []engine.Reference
}

// strings returns a slice of n strings with no room to grow into its
// neighbours.
func (s *slabs) strings(n int) []string {
	if n > 64 {
		return make([]string, n)
	}
	if len(s.lines) < n {
		s.lines = make([]string, 512)
	}
	l := s.lines[:n:n]
	s.lines = s.lines[n:]
	return l
}

// references returns a copy of refs with no room to grow into its
// neighbours.
func (s *slabs) references(refs []engine.Reference) []engine.Reference {
	n := len(refs)
	var out []engine.Reference
	if n > 16 {
		out = make([]engine.Reference, n)
	} else {
		if len(s.refs) < n {
			s.refs = make([]engine.Reference, 64)
		}
		out = s.refs[:n:n]
		s.refs = s.refs[n:]
	}
	copy(out, refs)
	return out
}

// textBlock is the size of the blocks that payments' strings share.
const textBlock = 4096

// texts hands out the strings of payments from blocks of textBlock bytes,
// so that a payment's text costs no allocation of its own. A block lives as
// long as any payment that uses part of it.
type texts struct {
	block strings.Builder
	large strings.Builder
}

// builder returns a builder with room for n more bytes that will not move
// what it holds: strings taken from it stay valid. A string longer than a
// quarter block gets a builder of its own.
func (t *texts) builder(n int) *strings.Builder {
	if n > textBlock/4 {
		t.large = strings.Builder{}
		t.large.Grow(n)
		return &t.large
	}
	if t.block.Cap()-t.block.Len() < n {
		t.block = strings.Builder{}
		t.block.Grow(textBlock)
	}
	return &t.block
}
