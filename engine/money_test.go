package engine

import (
	"testing"

	"github.com/moov-io/iso4217"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in       string
		currency Currency
		want     string
		wantErr  bool
	}{
		{"1234.5", "USD", "1234.50", false},
		{"-12", "USD", "-12.00", false},
		{"+7.25", "EUR", "7.25", false},
		{"1500", "JPY", "1500", false},
		{"1.5", "JPY", "", true},
		{"12.345", "BHD", "12.345", false},
		{"12.3456", "BHD", "", true},
		{"1e3", "USD", "", true},
		{"", "USD", "", true},
		{"12.", "USD", "12.00", false},
		{".5", "USD", "0.50", false},
		{"1,000.00", "USD", "", true},
		{"NaN", "USD", "", true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.currency)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseAmount(%q, %s) = %s, want an error", tt.in, tt.currency, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAmount(%q, %s): %v", tt.in, tt.currency, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParseAmount(%q, %s) = %q, want %q", tt.in, tt.currency, got.String(), tt.want)
		}
	}
}

func TestAmount_MinorRoundTrip(t *testing.T) {
	for _, c := range []Currency{"USD", "JPY", "BHD"} {
		for _, units := range []int64{0, 1, -1, 123456789, -987654321012} {
			a := FromMinor(units, c)
			got, ok := a.Minor()
			if !ok || got != units {
				t.Errorf("FromMinor(%d, %s).Minor() = %d, %v", units, c, got, ok)
			}
		}
	}
	if _, ok := NewAmount(mustDecimal(t, "0.001"), "USD").Minor(); ok {
		t.Error("0.001 USD converted to whole cents")
	}
}

func TestParseCurrency(t *testing.T) {
	if c, err := ParseCurrency(" usd "); err != nil || c != "USD" {
		t.Errorf("ParseCurrency(usd) = %q, %v", c, err)
	}
	if _, err := ParseCurrency("XYZ"); err == nil {
		t.Error("ParseCurrency(XYZ) accepted an unknown code")
	}
	if d := Currency("JPY").Digits(); d != 0 {
		t.Errorf("JPY digits = %d", d)
	}
	if d := Currency("KWD").Digits(); d != 3 {
		t.Errorf("KWD digits = %d", d)
	}
}

func TestParseTerms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2/10 net 30", "2/10 net 30"},
		{"2/10 n/30", "2/10 net 30"},
		{"1.5/15 net 45", "1.5/15 net 45"},
		{"net 30", "net 30"},
		{"NET30", "net 30"},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ParseTerms(tt.in)
		if err != nil {
			t.Errorf("ParseTerms(%q): %v", tt.in, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ParseTerms(%q) = %q, want %q", tt.in, got.String(), tt.want)
		}
	}
	if _, err := ParseTerms("whenever"); err == nil {
		t.Error("ParseTerms(whenever) accepted")
	}
}

func TestConfidence_String(t *testing.T) {
	for c, want := range map[Confidence]string{0: "0.000", 5: "0.005", 973: "0.973", 1000: "1"} {
		if got := c.String(); got != want {
			t.Errorf("Confidence(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestCurrencyDigits_CommonAgreeWithISO4217(t *testing.T) {
	for c, d := range commonDigits {
		cc, ok := iso4217.Lookup(string(c))
		if !ok || int32(cc.DecimalPlaces) != d {
			t.Errorf("%s: %d minor digits here, ISO 4217 says %d (known %v)", c, d, cc.DecimalPlaces, ok)
		}
	}
}
