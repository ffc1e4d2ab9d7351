package engine

import "testing"

func TestMoney_AsAmountString(t *testing.T) {
	for _, c := range []Currency{"USD", "JPY", "BHD"} {
		for _, u := range []int64{0, 1, 9, 10, 99, 100, 123456, -5, -100, -123456} {
			want := FromMinor(u, c).String() + " " + string(c)
			if got := money(u, c); got != want {
				t.Errorf("money(%d, %s) = %q, want %q", u, c, got, want)
			}
		}
	}
}

func TestConfidenceOf(t *testing.T) {
	prev := Confidence(0)
	for p := -80; p <= 120; p++ {
		c := confidenceOf(p)
		if c < prev || c >= Certain {
			t.Fatalf("confidenceOf(%d) = %s after %s: not rising below 1", p, c, prev)
		}
		prev = c
	}
	if c := confidenceOf(0); c != 500 {
		t.Errorf("confidenceOf(0) = %s, want 0.500", c)
	}
	if c := confidenceOf(32); c != 901 {
		t.Errorf("confidenceOf(32) = %s, want 0.901", c)
	}
}
