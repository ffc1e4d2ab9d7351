package engine

import (
	"testing"
)

func testBook(t *testing.T) *Book {
	t.Helper()
	return NewBook([]Invoice{
		{ID: "INV-0012345", Customer: "C1", CustomerName: "Acme Corp", Amount: usd(t, "100.00"), Open: usd(t, "100.00")},
		{ID: "INV-0012346", Customer: "C1", CustomerName: "Acme Corp", Amount: usd(t, "250.00"), Open: usd(t, "250.00")},
		{ID: "INV-0099999", Customer: "C2", CustomerName: "Globex", Amount: usd(t, "75.00"), Open: usd(t, "75.00")},
	}, nil)
}

func TestMatcher_Reference_ExactAmountIsApplied(t *testing.T) {
	book := testBook(t)
	m, err := NewMatcher(book, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := Payment{ID: "p1", Amount: usd(t, "350.00"),
		Remittance: Remittance{Lines: []string{"PAYMENT inv-0012345, INV-0012346"}}}
	d := m.Decide(p)
	checkConserved(t, p, d)
	if d.Kind != Auto || len(d.Allocations) != 2 || d.Customer != "C1" {
		t.Fatalf("got %+v, want auto to both invoices of C1", d)
	}
	inv, _ := book.Invoice("INV-0012346")
	if !inv.Open.IsZero() {
		t.Errorf("invoice open after payment = %s, want 0.00", inv.Open)
	}

	// The same invoices cannot be paid twice.
	d2 := m.Decide(Payment{ID: "p2", Amount: usd(t, "100.00"),
		Remittance: Remittance{Lines: []string{"INV-0012345"}}})
	if d2.Kind == Auto {
		t.Errorf("second payment of a paid invoice was applied: %+v", d2)
	}
}

func TestMatcher_Reference_AmountMismatchIsException(t *testing.T) {
	m, _ := NewMatcher(testBook(t), nil)
	p := Payment{ID: "p1", Amount: usd(t, "98.00"), Remittance: Remittance{Lines: []string{"INV-0012345"}}}
	d := m.Decide(p)
	checkConserved(t, p, d)
	if d.Kind != Exception || d.Exception != AmountMismatch {
		t.Fatalf("got %v/%v, want exception amount_mismatch", d.Kind, d.Exception)
	}
}

func TestMatcher_NoReference_Unidentified(t *testing.T) {
	m, _ := NewMatcher(testBook(t), nil)
	p := Payment{ID: "p1", Amount: usd(t, "75.00"), Remittance: Remittance{Lines: []string{"THANK YOU"}}}
	d := m.Decide(p)
	checkConserved(t, p, d)
	if d.Kind != Exception || d.Exception != UnidentifiedPayer {
		t.Fatalf("got %v/%v, want exception unidentified_payer", d.Kind, d.Exception)
	}
}
