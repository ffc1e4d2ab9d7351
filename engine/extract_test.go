package engine

import (
	"fmt"
	"slices"
	"testing"
)

func TestValidRF(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		want bool
	}{
		{"RF18 5390 0754 7034", true}, // ISO 11649 Annex A, paper form
		{"RF18539007547034", true},
		{"RF71 2348 231", true},
		{"RF17 5390 0754 7034", false}, // wrong check digits
		{"RF18 5390 0754 7035", false},
		{"RF1", false},
		{"XX18539007547034", false},
		{"RF00", false},
	} {
		if got := validRF([]byte(NormalizeNumber(tc.ref))); got != tc.want {
			t.Errorf("validRF(%q) = %v, want %v", tc.ref, got, tc.want)
		}
	}
}

func TestCoreKey(t *testing.T) {
	for in, want := range map[string]string{
		"INV0012345": "12345", "IN12345": "12345", "0012345": "12345", "12345": "12345",
		"2026INV001": "2026INV001", "INV": "", "000": "",
	} {
		if got := string(coreKey([]byte(in))); got != want {
			t.Errorf("coreKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// denseBook holds invoices INV-100000 to INV-100999 of one customer: every
// six-digit number that starts with 100 is an invoice, the hardest case for
// stray digits in remittance text.
func denseBook(t testing.TB) *Book {
	t.Helper()
	var invs []Invoice
	for n := 100000; n < 101000; n++ {
		invs = append(invs, Invoice{ID: InvoiceID(fmt.Sprintf("INV-%06d", n)), Customer: "C1",
			CustomerName: "Acme", Amount: usd(t, "10.00"), Open: usd(t, "10.00")})
	}
	invs = append(invs, Invoice{ID: "INV-24031", Customer: "C2", Amount: usd(t, "1.00"), Open: usd(t, "1.00")},
		Invoice{ID: "INV-240310", Customer: "C2", Amount: usd(t, "1.00"), Open: usd(t, "1.00")})
	return NewBook(invs, nil)
}

// TestExtract finds invoice numbers whatever the bank did to the text, and
// never takes a number for a shorter one inside it, nor digits of amounts
// and dates for invoice numbers.
func TestExtract(t *testing.T) {
	book := denseBook(t)
	ex := extractor{ix: newNumberIndex(book)}
	for _, tc := range []struct {
		name  string
		lines []string
		want  []InvoiceID
	}{
		{"exact", []string{"INV-100123"}, []InvoiceID{"INV-100123"}},
		{"lower case and blanks", []string{"inv 100123"}, []InvoiceID{"INV-100123"}},
		{"prefix dropped", []string{"PAYMENT 100123 THANKS"}, []InvoiceID{"INV-100123"}},
		{"zeros added", []string{"INV00100123"}, []InvoiceID{"INV-100123"}},
		{"prefix changed", []string{"RE: IN/100123"}, []InvoiceID{"INV-100123"}},
		{"wrapped", []string{"INV-1001", "23 TY"}, []InvoiceID{"INV-100123"}},
		{"several", []string{"INV-100123/INV-100124,INV 100125"}, []InvoiceID{"INV-100123", "INV-100124", "INV-100125"}},
		{"range", []string{"INV 100120-100123"}, []InvoiceID{"INV-100120", "INV-100121", "INV-100122", "INV-100123"}},
		{"short range", []string{"100120-23"}, []InvoiceID{"INV-100120", "INV-100121", "INV-100122", "INV-100123"}},
		{"range words", []string{"100120 THRU 100122"}, []InvoiceID{"INV-100120", "INV-100121", "INV-100122"}},
		{"amounts and dates are not numbers", []string{"INV-100123 USD 1,004.56 PAID 2026-11-03 11/03/2026 100,500.00 1004.56"},
			[]InvoiceID{"INV-100123"}},
		{"amount word", []string{"AMT 100456 INV 100123"}, []InvoiceID{"INV-100123"}},
		{"longer number is not the shorter", []string{"INV-240310"}, []InvoiceID{"INV-240310"}},
		{"shorter number is not the longer", []string{"INV-24031"}, []InvoiceID{"INV-24031"}},
		{"digit suffix", []string{"INV-1240310"}, nil},
		{"count after a number", []string{"INV-100123 2 PCS"}, []InvoiceID{"INV-100123"}},
		{"nothing", []string{"THANK YOU"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits := ex.textHits(nil, tc.lines, -1)
			var got []InvoiceID
			for _, h := range hits {
				got = append(got, book.invoiceID(h.item))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("found %q in %q, want %q", got, tc.lines, tc.want)
			}
		})
	}
}

func TestExtract_Typos(t *testing.T) {
	book := denseBook(t)
	ex := extractor{ix: newNumberIndex(book)}
	// In the dense book every one-digit change of a 100xxx number is an
	// invoice: such a word says nothing and yields no candidate.
	if hits := ex.typoHits(nil, []string{"INV100123"}, nil); len(hits) != 0 {
		t.Errorf("typo search in a dense book found %d candidates, want none", len(hits))
	}
	// A swapped pair or a wrong digit of a sparse number is found, as a
	// typo.
	for _, word := range []string{"INV204310", "INV240311"} {
		hits := ex.typoHits(nil, []string{word}, nil)
		if len(hits) != 1 || book.invoiceID(hits[0].item) != "INV-240310" || hits[0].how != hitTypo {
			t.Errorf("typo search for %s = %+v, want INV-240310 as a typo", word, hits)
		}
	}
}

func TestExtract_Structured(t *testing.T) {
	book := denseBook(t)
	ex := extractor{ix: newNumberIndex(book)}
	refs := []Reference{
		{Kind: RefInvoice, Value: "INV-100200"},
		{Kind: RefInvoice, Value: "100201"},
		{Kind: RefRF, Value: "RF18 5390 0754 7034"}, // valid, but names no invoice
		{Kind: RefInvoice, Value: "INV-100300, INV-100301"},
	}
	hits := ex.structuredHits(nil, refs)
	var got []string
	for _, h := range hits {
		got = append(got, fmt.Sprintf("%s/%d", book.invoiceID(h.item), h.how))
	}
	want := []string{
		fmt.Sprintf("INV-100200/%d", hitStructured), fmt.Sprintf("INV-100201/%d", hitStructuredCore),
		fmt.Sprintf("INV-100300/%d", hitText), fmt.Sprintf("INV-100301/%d", hitText),
	}
	if !slices.Equal(got, want) {
		t.Errorf("structured hits %q, want %q", got, want)
	}
}

func BenchmarkExtract(b *testing.B) {
	book := denseBook(b)
	ex := extractor{ix: newNumberIndex(book)}
	lines := []string{"PAYMENT FOR INV-100123, INV-100124 AND 100125", "TOTAL USD 1,234.56 DATED 2026-11-03"}
	b.ReportAllocs()
	for b.Loop() {
		ex.textHits(nil, lines, -1)
	}
}
