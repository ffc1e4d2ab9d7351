package engine

import (
	"fmt"
	"testing"
)

// TestRemember_SameAsOneRun: payments decided in one run, and the same
// payments decided in two runs where the second book only remembers the
// first run's payments (as a store reloads them, in another order), give
// the same decisions: duplicates and returns name the same originals.
func TestRemember_SameAsOneRun(t *testing.T) {
	invs := func() []Invoice {
		return []Invoice{
			{ID: "INV-1", Customer: "C1", CustomerName: "Nakatomi Trading", Amount: usd(t, "2500.00"), Open: usd(t, "2500.00")},
			{ID: "INV-2", Customer: "C1", CustomerName: "Nakatomi Trading", Amount: usd(t, "700.00"), Open: usd(t, "700.00")},
		}
	}
	pay := func(id, ref, text string, day int) Payment {
		return Payment{ID: PaymentID(id), Amount: usd(t, "2500.00"), BankRef: ref, PayerName: "NAKATOMI TRADING",
			ValueDate: Date{2026, 11, day}, Remittance: Remittance{Lines: []string{text}}}
	}
	first := []Payment{
		pay("p2", "0910000100002", "INV-1", 2),
		pay("p1", "0910000100001", "PAYMENT INV-1", 2),
	}
	second := []Payment{
		pay("p3", "0910000100003", "LOCKBOX INV-1", 3),
		{ID: "p4", Amount: usd(t, "2500.00"), Direction: Debit, Status: Return, OriginalRef: "0910000100001",
			ValueDate: Date{2026, 11, 5}},
	}

	one := decideChecked(t, NewBook(invs(), nil), nil, append(append([]Payment(nil), first...), second...))

	book := NewBook(invs(), nil)
	ds := decideChecked(t, book, nil, first)
	reloaded := NewBook(nil, nil)
	for _, inv := range invs() {
		got, _ := book.Invoice(inv.ID)
		reloaded.PutInvoice(got)
	}
	for i := len(first) - 1; i >= 0; i-- {
		reloaded.Remember(first[i], ds[i])
	}
	two := append(ds, decideChecked(t, reloaded, nil, second)...)

	for i := range one {
		if a, b := fmt.Sprintf("%+v", one[i]), fmt.Sprintf("%+v", two[i]); a != b {
			t.Errorf("payment %d decided differently:\none run  %s\ntwo runs %s", i, a, b)
		}
	}
	if one[2].Exception != DuplicateSuspect || one[2].Original != "p1" {
		t.Errorf("the copy: %s %s, want duplicate_suspect of p1 (the first by payment ID)", one[2].Exception, one[2].Original)
	}
	if one[3].Exception != Returned || one[3].Original != "p1" {
		t.Errorf("the return: %s %s, want returned naming p1", one[3].Exception, one[3].Original)
	}
}
