package engine

import (
	"testing"
	"time"
)

func TestDayNumber_RoundTrip(t *testing.T) {
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 200*366; d += 7 {
		day := DateOf(start.AddDate(0, 0, d))
		n := dayNumber(day)
		if got := int64(n); got != day.Time().Unix()/86400 {
			t.Fatalf("dayNumber(%s) = %d, want %d", day, got, day.Time().Unix()/86400)
		}
		if back := dateOfDay(n); back != day {
			t.Fatalf("dateOfDay(%d) = %s, want %s", n, back, day)
		}
	}
	if dayNumber(Date{}) != noDay || !dateOfDay(noDay).IsZero() {
		t.Error("the unknown date does not round-trip")
	}
}

func TestBook_InvoiceRoundTrip(t *testing.T) {
	terms, _ := ParseTerms("1.5/10 net 30")
	in := Invoice{ID: "INV-1", Customer: "C1", CustomerName: "Acme", Amount: usd(t, "100.00"),
		Open: usd(t, "40.00"), IssueDate: Date{2026, 11, 1}, DueDate: Date{2026, 12, 1}, Terms: terms,
		PONumber: "PO-9", CustomerAccounts: []string{"123"}}
	b := NewBook([]Invoice{in}, nil)
	got, ok := b.Invoice("INV-1")
	if !ok || !got.Open.Equal(in.Open) || !got.Amount.Equal(in.Amount) || got.IssueDate != in.IssueDate ||
		got.DueDate != in.DueDate || got.Terms.String() != "1.5/10 net 30" || got.PONumber != "PO-9" ||
		len(got.CustomerAccounts) != 1 || got.CustomerName != "Acme" {
		t.Errorf("Invoice = %+v, want %+v", got, in)
	}
	if c, _ := b.Customer("C1"); len(c.Accounts) != 1 || c.Name != "Acme" {
		t.Errorf("customer from the invoice = %+v", c)
	}
}

func TestBook_Apply(t *testing.T) {
	b := NewBook([]Invoice{
		{ID: "INV-1", Customer: "C1", Amount: usd(t, "100.00"), Open: usd(t, "100.00")},
		{ID: "CN-1", Customer: "C1", Amount: usd(t, "-30.00"), Open: usd(t, "-30.00")},
	}, nil)
	ok := Decision{Payment: "p", Allocations: []Allocation{{"INV-1", usd(t, "60.00")}, {"CN-1", usd(t, "-30.00")}},
		Adjustments: []Adjustment{{Invoice: "INV-1", Amount: usd(t, "1.00"), Reason: BankFee}}}
	if err := b.Apply(ok); err != nil {
		t.Fatal(err)
	}
	if inv, _ := b.Invoice("INV-1"); inv.Open.String() != "39.00" {
		t.Errorf("INV-1 open %s, want 39.00", inv.Open)
	}
	for name, d := range map[string]Decision{
		"beyond zero":   {Allocations: []Allocation{{"INV-1", usd(t, "39.01")}}},
		"unknown":       {Allocations: []Allocation{{"INV-9", usd(t, "1.00")}}},
		"currency":      {Allocations: []Allocation{{"INV-1", Amount{Value: mustDecimal(t, "1"), Currency: "EUR"}}}},
		"credit beyond": {Allocations: []Allocation{{"CN-1", usd(t, "-1.00")}}},
	} {
		if err := b.Apply(d); err == nil {
			t.Errorf("%s: Apply accepted %+v", name, d)
		}
	}
	if inv, _ := b.Invoice("INV-1"); inv.Open.String() != "39.00" {
		t.Errorf("a refused Apply changed INV-1 to %s", inv.Open)
	}
}

func TestBook_UnmatchableInvoiceIsKeptButNeverMatched(t *testing.T) {
	huge := Amount{Value: mustDecimal(t, "123456789012345678901234.00"), Currency: "USD"}
	b := NewBook([]Invoice{{ID: "INV-HUGE", Customer: "C1", Amount: huge, Open: huge}}, nil)
	if inv, ok := b.Invoice("INV-HUGE"); !ok || !inv.Open.Equal(huge) {
		t.Fatalf("unmatchable invoice lost: %+v", inv)
	}
	p := Payment{ID: "p", Amount: usd(t, "10.00"), Remittance: Remittance{Lines: []string{"INV-HUGE"}}}
	if d := decideChecked(t, b, nil, []Payment{p})[0]; d.Kind == Auto {
		t.Errorf("an unmatchable invoice was applied: %+v", d)
	}
}

func TestBook_PutInvoiceMovesCustomer(t *testing.T) {
	b := NewBook([]Invoice{{ID: "INV-1", Customer: "C1", Amount: usd(t, "1.00"), Open: usd(t, "1.00")}}, nil)
	b.PutInvoice(Invoice{ID: "INV-1", Customer: "C2", Amount: usd(t, "1.00"), Open: usd(t, "1.00")})
	if len(b.CustomerInvoices("C1")) != 0 || len(b.CustomerInvoices("C2")) != 1 {
		t.Errorf("after moving: C1 %v, C2 %v", b.CustomerInvoices("C1"), b.CustomerInvoices("C2"))
	}
}
