package engine

import (
	"testing"

	"github.com/shopspring/decimal"
)

func mustDecimal(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func usd(t testing.TB, s string) Amount {
	t.Helper()
	a, err := ParseAmount(s, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkConserved fails the test when a decision does not conserve its
// payment's money.
func checkConserved(t testing.TB, p Payment, d Decision) {
	t.Helper()
	if err := d.Check(p); err != nil {
		t.Errorf("decision does not conserve money: %v", err)
	}
}
