package storetest

import (
	"bytes"
	"io"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bai2"
)

// TestWriteBAI2_ReadsStrictly checks the writer against the project's BAI2
// reader in strict mode: every trailer adds up.
func TestWriteBAI2_ReadsStrictly(t *testing.T) {
	var buf bytes.Buffer
	credits := []Credit{
		{Cents: 12345, BankRef: "B1", Text: "ACME CORP", Lines: []string{"INV INV-000001"}},
		{Cents: 500, BankRef: "B2", Text: "UNKNOWN"},
	}
	if err := WriteBAI2(&buf, "F1", "9876543210", "261103", credits); err != nil {
		t.Fatal(err)
	}
	r := bai2.NewReader(&buf, &parsers.Options{Name: "gen.bai2", Strict: true})
	n := 0
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("generated file refused: %v\n%s", err, buf.String())
		}
		if p.BankRef != credits[n].BankRef || p.Amount.String() != []string{"123.45", "5.00"}[n] {
			t.Errorf("payment %d: %+v", n, p)
		}
		n++
	}
	if n != len(credits) {
		t.Errorf("%d payments read, want %d", n, len(credits))
	}
}
