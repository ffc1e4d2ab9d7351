package engine

import (
	"fmt"
	"slices"
	"testing"
)

func TestHashIndex(t *testing.T) {
	var x hashIndex // the zero value grows as keys come
	for i := range 20000 {
		x.add(fmt.Appendf(nil, "K%d", i), int32(i))
	}
	x.add([]byte("K7"), 70000) // a second value of one key
	for i := range 20000 {
		got := x.candidates(nil, fmt.Appendf(nil, "K%d", i))
		want := []int32{int32(i)}
		if i == 7 {
			want = append(want, 70000)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("K%d: %v, want %v", i, got, want)
		}
	}
	missing := 0
	for i := range 20000 {
		missing += len(x.candidates(nil, fmt.Appendf(nil, "X%d", i)))
	}
	if missing != 0 {
		t.Errorf("absent keys found %d values", missing)
	}
	x.remove([]byte("K7"), 7)
	if got := x.candidates(nil, []byte("K7")); !slices.Equal(got, []int32{70000}) {
		t.Errorf("after removing 7: %v", got)
	}
	x.remove([]byte("K8"), 8)
	if got := x.candidates(nil, []byte("K8")); len(got) != 0 {
		t.Errorf("after removing K8: %v", got)
	}
}
