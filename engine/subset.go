package engine

import (
	"cmp"
	"slices"
)

// subsetScratch finds which of a customer's open items add up to a payment.
type subsetScratch struct {
	right []sumMask
	order []int
	tail  []int64
	path  []int
}

type sumMask struct {
	sum  int64
	mask uint32
}

// exactLimit is the number of items searched exhaustively, by meeting in the
// middle: 2^12 sums on each side.
const exactLimit = 24

// find returns up to limit subsets of values (as sorted index lists) whose
// sum is target, and whether the search covered every subset. Up to
// exactLimit values the search is exhaustive; beyond, a depth-first search
// over the positive values, largest first, stops after budget steps.
func (s *subsetScratch) find(values []int64, target int64, limit, budget int) (sols [][]int, exhaustive bool) {
	if len(values) <= exactLimit {
		return s.meetInMiddle(values, target, limit), true
	}
	return s.depthFirst(values, target, limit, budget)
}

func (s *subsetScratch) meetInMiddle(values []int64, target int64, limit int) [][]int {
	half := len(values) / 2
	left, right := values[:half], values[half:]
	s.right = s.right[:0]
	for mask := uint32(0); mask < 1<<len(right); mask++ {
		s.right = append(s.right, sumMask{maskSum(right, mask), mask})
	}
	slices.SortFunc(s.right, func(a, b sumMask) int {
		if c := cmp.Compare(a.sum, b.sum); c != 0 {
			return c
		}
		return cmp.Compare(a.mask, b.mask)
	})
	var sols [][]int
	for lm := uint32(0); lm < 1<<len(left); lm++ {
		need := target - maskSum(left, lm)
		k, _ := slices.BinarySearchFunc(s.right, need, func(e sumMask, t int64) int { return cmp.Compare(e.sum, t) })
		for ; k < len(s.right) && s.right[k].sum == need; k++ {
			if lm == 0 && s.right[k].mask == 0 {
				continue
			}
			var sol []int
			for i := range left {
				if lm&(1<<i) != 0 {
					sol = append(sol, i)
				}
			}
			for i := range right {
				if s.right[k].mask&(1<<i) != 0 {
					sol = append(sol, half+i)
				}
			}
			sols = append(sols, sol)
			if len(sols) >= limit {
				return sols
			}
		}
	}
	return sols
}

func maskSum(values []int64, mask uint32) int64 {
	var sum int64
	for i, v := range values {
		if mask&(1<<i) != 0 {
			sum += v
		}
	}
	return sum
}

func (s *subsetScratch) depthFirst(values []int64, target int64, limit, budget int) ([][]int, bool) {
	s.order = s.order[:0]
	for i, v := range values {
		if v > 0 && v <= target {
			s.order = append(s.order, i)
		}
	}
	slices.SortStableFunc(s.order, func(a, b int) int { return cmp.Compare(values[b], values[a]) })
	s.tail = slices.Grow(s.tail[:0], len(s.order)+1)[:len(s.order)+1]
	s.tail[len(s.order)] = 0
	for k := len(s.order) - 1; k >= 0; k-- {
		s.tail[k] = s.tail[k+1] + values[s.order[k]]
	}
	var sols [][]int
	steps := 0
	cut := false
	var walk func(k int, rest int64) bool
	walk = func(k int, rest int64) bool {
		if rest == 0 {
			sol := slices.Clone(s.path)
			slices.Sort(sol)
			sols = append(sols, sol)
			return len(sols) < limit
		}
		for j := k; j < len(s.order); j++ {
			if steps++; steps > budget {
				cut = true
				return false
			}
			if s.tail[j] < rest {
				return true
			}
			v := values[s.order[j]]
			if v > rest {
				continue
			}
			s.path = append(s.path, s.order[j])
			more := walk(j+1, rest-v)
			s.path = s.path[:len(s.path)-1]
			if !more {
				return false
			}
		}
		return true
	}
	s.path = s.path[:0]
	walk(0, target)
	return sols, !cut
}
