package bench

import "testing"

func TestReport_NumberFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{grouped(0), "0"},
		{grouped(1234567), "1,234,567"},
		{grouped(-1000), "-1,000"},
		{seconds(1_234_000_000), "1.23"},
		{seconds(5_000_000), "0.01"},
		{percent(985), "98.5%"},
		{Megabytes(388_800_000), "388.8"},
		{grouped(perSecond(1_000_000, 25_000_000_000)), "40,000"},
		{grouped(perSecond(3, 0)), "0"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
