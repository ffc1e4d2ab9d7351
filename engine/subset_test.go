package engine

import (
	"fmt"
	"slices"
	"testing"
)

func TestSubsetFind(t *testing.T) {
	var s subsetScratch
	for _, tc := range []struct {
		values []int64
		target int64
		want   [][]int
		all    bool
	}{
		{[]int64{100, 250, 475, 1200, 89}, 339, [][]int{{1, 4}}, true},
		{[]int64{100, 250, 475, 1200, 89}, 475, [][]int{{2}}, true},
		{[]int64{100, 250, 475, 1200, 89}, 100 + 250 + 1200 + 89, [][]int{{0, 1, 3, 4}}, true},
		{[]int64{100, 250, 475, 1200, 89}, 100 + 250 + 475 + 1200 + 89, nil, true}, // five items: too many
		{[]int64{500, -300, 700}, 200, [][]int{{0, 1}}, true},                      // a credit note netted
		{[]int64{800, 800}, 800, [][]int{{0}, {1}}, true},
		{[]int64{1, 2, 3}, 7, nil, true},
	} {
		sols, all := s.find(tc.values, tc.target, 3)
		slices.SortFunc(sols, func(a, b []int) int { return slices.Compare(a, b) })
		if fmt.Sprint(sols) != fmt.Sprint(tc.want) || all != tc.all {
			t.Errorf("find(%v, %d) = %v, %v; want %v, %v", tc.values, tc.target, sols, all, tc.want, tc.all)
		}
	}
}

// TestSubsetFind_AgainstBruteForce compares the search with trying every
// subset of up to four items.
func TestSubsetFind_AgainstBruteForce(t *testing.T) {
	var s subsetScratch
	w := newSynthWorld(5, 1, 14)
	values := make([]int64, 14)
	for i := range values {
		values[i] = w.invOpen[i] % 2000
	}
	for target := int64(1); target < 6000; target += 7 {
		sols, _ := s.find(values, target, 1<<20)
		var want int
		for mask := 1; mask < 1<<len(values); mask++ {
			var sum int64
			n := 0
			for i := range values {
				if mask&(1<<i) != 0 {
					sum += values[i]
					n++
				}
			}
			if n <= maxSubset && sum == target {
				want++
			}
		}
		if len(sols) != want {
			t.Fatalf("target %d: %d subsets found, brute force finds %d", target, len(sols), want)
		}
	}
}
