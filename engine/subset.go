package engine

import (
	"cmp"
	"slices"
)

// maxSubset is the most items one payment without remittance is taken to
// pay: beyond, so many combinations exist that one adding up to an amount
// proves little.
const maxSubset = 4

// exactLimit is the number of items for which every combination of up to
// maxSubset items is searched; beyond it only single items and pairs are,
// and the search is reported as cut short.
const exactLimit = 60

// subsetScratch finds which of a customer's open items add up to a payment.
type subsetScratch struct {
	pairs []pairSum
}

// pairSum is the sum of values i and j, i < j.
type pairSum struct {
	sum  int64
	i, j int32
}

// find returns up to limit subsets of one to maxSubset values (as sorted
// index lists) whose sum is target, and whether every such subset was
// searched. Values may be negative (credit notes). It works over the sorted
// sums of all pairs: a triple is a value and a pair, a quadruple two pairs,
// so the work grows with the square of the number of values.
func (s *subsetScratch) find(values []int64, target int64, limit int) (sols [][]int, exhaustive bool) {
	add := func(idx ...int32) bool {
		sol := make([]int, len(idx))
		for k, i := range idx {
			sol[k] = int(i)
		}
		slices.Sort(sol)
		sols = append(sols, sol)
		return len(sols) < limit
	}
	for i, v := range values {
		if v == target && !add(int32(i)) {
			return sols, true
		}
	}
	n := len(values)
	s.pairs = s.pairs[:0]
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s.pairs = append(s.pairs, pairSum{values[i] + values[j], int32(i), int32(j)})
		}
	}
	slices.SortFunc(s.pairs, func(a, b pairSum) int {
		if c := cmp.Compare(a.sum, b.sum); c != 0 {
			return c
		}
		if c := cmp.Compare(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.j, b.j)
	})
	// each calls fn for the pairs that sum to need and whose first index
	// is above after, until fn returns false.
	each := func(need int64, after int32, fn func(p pairSum) bool) bool {
		k, _ := slices.BinarySearchFunc(s.pairs, need, func(p pairSum, t int64) int { return cmp.Compare(p.sum, t) })
		for ; k < len(s.pairs) && s.pairs[k].sum == need; k++ {
			if p := s.pairs[k]; p.i > after && !fn(p) {
				return false
			}
		}
		return true
	}
	if !each(target, -1, func(p pairSum) bool { return add(p.i, p.j) }) {
		return sols, true
	}
	if n > exactLimit {
		return sols, false
	}
	for k := 0; k < n; k++ {
		if !each(target-values[k], int32(k), func(p pairSum) bool { return add(int32(k), p.i, p.j) }) {
			return sols, true
		}
	}
	for _, a := range s.pairs {
		if !each(target-a.sum, a.j, func(p pairSum) bool { return add(a.i, a.j, p.i, p.j) }) {
			return sols, true
		}
	}
	return sols, true
}
