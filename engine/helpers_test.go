package engine

import (
	"context"
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

// openAmounts snapshots the open amount of every matchable invoice.
func openAmounts(b *Book) map[InvoiceID]int64 {
	m := make(map[InvoiceID]int64, b.count)
	for i := range b.items {
		if b.items[i].cust >= 0 {
			m[b.invoiceID(int32(i))] = b.items[i].open
		}
	}
	return m
}

// checkDecisions is the conservation checker every engine test runs over
// what a matcher decided: each decision conserves its payment's money and
// says what it is; only automatic decisions allocate; suggestions conserve
// too; and the book changed by exactly what the automatic decisions
// allocated and adjusted, with no invoice left beyond zero.
func checkDecisions(t testing.TB, b *Book, before map[InvoiceID]int64, ps []Payment, ds []Decision) {
	t.Helper()
	if len(ds) != len(ps) {
		t.Fatalf("%d decisions for %d payments", len(ds), len(ps))
	}
	want := make(map[InvoiceID]int64, len(before))
	for id, open := range before {
		want[id] = open
	}
	reduce := func(p Payment, id InvoiceID, a Amount) {
		units, ok := a.Minor()
		if !ok || a.Currency != p.Amount.Currency {
			t.Errorf("payment %s: amount %s %s against %s is not in the payment's minor units", p.ID, a, a.Currency, id)
		}
		if _, known := want[id]; !known {
			t.Errorf("payment %s: unknown invoice %s", p.ID, id)
		}
		want[id] -= units
	}
	for i, d := range ds {
		p := ps[i]
		checkConserved(t, p, d)
		if d.Payment != p.ID {
			t.Errorf("decision %d is for payment %q, want %q", i, d.Payment, p.ID)
		}
		if len(d.Reasons) == 0 {
			t.Errorf("payment %s: decision %s gives no reason", p.ID, d.Kind)
		}
		switch d.Kind {
		case Auto:
			if !d.Unapplied.IsZero() || d.Exception != NoReason || d.Customer == "" {
				t.Errorf("payment %s: auto decision with unapplied %s, exception %s, customer %q",
					p.ID, d.Unapplied, d.Exception, d.Customer)
			}
			for _, a := range d.Allocations {
				reduce(p, a.Invoice, a.Amount)
			}
			for _, a := range d.Adjustments {
				if a.Amount.Sign() <= 0 {
					t.Errorf("payment %s: adjustment %s of %s is not positive", p.ID, a.Amount, a.Invoice)
				}
				reduce(p, a.Invoice, a.Amount)
			}
		default:
			if len(d.Allocations) > 0 || len(d.Adjustments) > 0 || !d.OnAccount.IsZero() {
				t.Errorf("payment %s: %s decision applies cash", p.ID, d.Kind)
			}
			if d.Kind != Skipped && d.Exception == NoReason {
				t.Errorf("payment %s: %s decision without an exception reason", p.ID, d.Kind)
			}
		}
		for _, s := range append(append([]Suggestion(nil), d.Suggestions...), d.Alternatives...) {
			sum := s.OnAccount.Value
			for _, a := range s.Allocations {
				sum = sum.Add(a.Amount.Value)
			}
			if sum.GreaterThan(p.Amount.Value) || len(s.Reasons) == 0 {
				t.Errorf("payment %s: suggestion places %s of %s, reasons %q", p.ID, sum, p.Amount.Value, s.Reasons)
			}
		}
	}
	for id, open := range want {
		i, _ := b.lookup([]byte(id))
		if got := b.items[i].open; got != open {
			t.Errorf("invoice %s: open %d minor units, want %d from the decisions", id, got, open)
		}
		if open != 0 && (open < 0) != (b.items[i].amount < 0) {
			t.Errorf("invoice %s left beyond zero: %d", id, open)
		}
	}
}

// decideChecked decides payments over book with opts, runs the
// conservation checker, and returns the decisions.
func decideChecked(t testing.TB, book *Book, opts *Options, ps []Payment) []Decision {
	t.Helper()
	m, err := NewMatcher(book, opts)
	if err != nil {
		t.Fatal(err)
	}
	before := openAmounts(book)
	ds, err := m.DecideAll(context.Background(), ps)
	if err != nil {
		t.Fatal(err)
	}
	checkDecisions(t, book, before, ps, ds)
	return ds
}
