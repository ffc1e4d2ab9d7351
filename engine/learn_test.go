package engine

import (
	"testing"
)

func learningBook(t *testing.T) *Book {
	t.Helper()
	return NewBook([]Invoice{
		{ID: "INV-1", Customer: "C1", CustomerName: "Acme Corp", Amount: usd(t, "500.00"), Open: usd(t, "500.00")},
		{ID: "INV-2", Customer: "C1", CustomerName: "Acme Corp", Amount: usd(t, "700.00"), Open: usd(t, "700.00")},
		{ID: "INV-3", Customer: "C2", CustomerName: "Globex Inc", Amount: usd(t, "900.00"), Open: usd(t, "900.00")},
	}, nil)
}

// TestLearn_ResolvedPayerIsIdentifiedNextTime: a payer the engine cannot
// place is resolved by a specialist; after learning, the same payer's next
// payment is identified and applied without a person.
func TestLearn_ResolvedPayerIsIdentifiedNextTime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payer   Payment
		learned Lesson
		idBy    string
	}{
		{"by account", Payment{PayerName: "AHC EUROPE BV", PayerAccount: "DE89 3704 0044 0532 0130 00"},
			Lesson{Customer: "C1", Alias: "AHC EUROPE BV", Account: "DE89 3704 0044 0532 0130 00"}, "payer account"},
		{"by name", Payment{PayerName: "AHC EUROPE BV"},
			Lesson{Customer: "C1", Alias: "AHC EUROPE BV"}, "a learned name"},
		{"on behalf", Payment{PayerName: "BIG PAYMENTS PROCESSOR", PayerAccount: "999888777", UltimatePayer: "AHC EUROPE"},
			Lesson{Customer: "C1", Alias: "AHC EUROPE"}, "paid on behalf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			book := learningBook(t)
			first := tc.payer
			first.ID, first.Amount = "p1", usd(t, "500.00")
			d := decideChecked(t, book, nil, []Payment{first})[0]
			if d.Kind == Auto || d.Customer != "" {
				t.Fatalf("before learning: got %s for customer %q, want no identified payer", d.Kind, d.Customer)
			}

			// A specialist applies p1 to C1; the engine learns from it.
			l, ok := LessonFrom(book, first, "C1")
			if !ok || l != tc.learned {
				t.Fatalf("LessonFrom = %+v, %v; want %+v", l, ok, tc.learned)
			}
			if err := book.Learn(l); err != nil {
				t.Fatal(err)
			}
			if _, again := LessonFrom(book, first, "C1"); again {
				t.Error("a lesson learned is offered again")
			}

			next := tc.payer
			next.ID, next.Amount = "p2", usd(t, "700.00")
			d = decideChecked(t, book, nil, []Payment{next})[0]
			if d.Kind != Auto || d.Customer != "C1" || len(d.Allocations) != 1 || d.Allocations[0].Invoice != "INV-2" {
				t.Fatalf("after learning: got %s %q %+v, reasons %q; want auto to INV-2 of C1",
					d.Kind, d.Customer, d.Allocations, d.Reasons)
			}
			if !containsSubstring(d.Reasons, tc.idBy) {
				t.Errorf("reasons %q do not say the payer was identified by %s", d.Reasons, tc.idBy)
			}
		})
	}
}

func TestLearn_UnknownCustomer(t *testing.T) {
	book := learningBook(t)
	if _, ok := LessonFrom(book, Payment{PayerName: "X"}, "NOPE"); ok {
		t.Error("LessonFrom offered a lesson for an unknown customer")
	}
	if err := book.Learn(Lesson{Customer: "NOPE", Alias: "X"}); err == nil {
		t.Error("Learn accepted an unknown customer")
	}
}

func containsSubstring(ss []string, sub string) bool {
	for _, s := range ss {
		if len(sub) <= len(s) {
			for i := 0; i+len(sub) <= len(s); i++ {
				if s[i:i+len(sub)] == sub {
					return true
				}
			}
		}
	}
	return false
}
