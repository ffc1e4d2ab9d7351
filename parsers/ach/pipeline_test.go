package ach

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
)

// manyEntries builds a file of n CTX entries in batches of per, each with
// an 820 naming two invoices of its own. bad, when it is 1 or more, is the
// entry whose 820 has an amount that is not a number.
func manyEntries(tb testing.TB, n, per, bad int) []byte {
	f := newTestFile(tb)
	for i := 1; i <= n; i++ {
		if i%per == 1 || per == 1 {
			f.batch("CTX", "ACME INDUSTRIAL", "1234567890")
		}
		paid := "600.00"
		if i == bad {
			paid = "6O0.00"
		}
		x12 := fmt.Sprintf("ST*820*0001~BPR*C*1000.00*C*ACH*CTX~RMR*IV*INV%05dA**%s~RMR*IV*INV%05dB**400.00~SE*5*0001~", i, paid, i)
		f.entry(22, 100000, fmt.Sprintf("R%05d", i), "CASHMATCH DEMO", f.addenda05(x12)...)
	}
	return f.bytes()
}

// TestReader_ReadAheadKeepsFileOrder reads files of many more entries than
// the reader reads ahead, and checks that every payment comes in file order
// with its own remittance, also once the reader has reused its memory.
func TestReader_ReadAheadKeepsFileOrder(t *testing.T) {
	n := 3*chunkLen*maxChunks + 7
	for _, per := range []int{1, 50, n} {
		t.Run(fmt.Sprintf("batches of %d", per), func(t *testing.T) {
			ps, ws, err := read(t, "many.ach", manyEntries(t, n, per, 0), true)
			if err != nil || len(ws) != 0 {
				t.Fatalf("err %v, warnings %q", err, ws)
			}
			if len(ps) != n {
				t.Fatalf("%d payments, want %d", len(ps), n)
			}
			for i, p := range ps {
				want := []string{
					fmt.Sprintf("invoice IV INV%05dA paid=600.00", i+1),
					fmt.Sprintf("invoice IV INV%05dB paid=400.00", i+1),
				}
				equalStrings(t, p.Source, refStrings(p.Remittance.References), want)
				if p.EndToEndID != fmt.Sprintf("R%05d", i+1) || len(p.Remittance.Lines) != 3 {
					t.Fatalf("payment %d: id %q, lines %q", i, p.EndToEndID, p.Remittance.Lines)
				}
			}
		})
	}
}

// TestReader_RefusalAfterReadAhead refuses a file at an entry far beyond the
// first chunk: the payments before it come first, then the refusal, also
// when the reader has read further and found another fault there.
func TestReader_RefusalAfterReadAhead(t *testing.T) {
	n, bad := 3*chunkLen*maxChunks, chunkLen+5
	data := manyEntries(t, n, 100, bad)
	// A second fault further on: the file control's batch count.
	end := bytes.LastIndex(data, []byte("\n9000"))
	data[end+6] = '9'

	ps, _, err := read(t, "many.ach", data, true)
	if err == nil || !strings.Contains(err.Error(), "RMR04") || len(ps) != bad-1 {
		t.Fatalf("strict: %d payments, err %v; want %d payments, then the RMR04 of entry %d", len(ps), err, bad-1, bad)
	}
	ps, _, err = read(t, "many.ach", data, false)
	if err == nil || !strings.Contains(err.Error(), "batch count") || len(ps) != n {
		t.Fatalf("lenient: %d payments, err %v; want %d payments, then the batch count", len(ps), err, n)
	}
	if !strings.Contains(strings.Join(ps[bad-1].Warnings, "\n"), "RMR04") {
		t.Errorf("lenient: entry %d warnings %q", bad, ps[bad-1].Warnings)
	}

	r := NewReader(bytes.NewReader(data), &parsers.Options{Name: "many.ach", Strict: true})
	var first error
	for first == nil {
		_, first = r.Next()
	}
	if _, again := r.Next(); again != first || first == io.EOF {
		t.Errorf("after %v, Next returned %v", first, again)
	}
}

func TestIsPlainASCII(t *testing.T) {
	naive := func(b []byte) bool {
		for _, c := range b {
			if c >= 0x80 || c == '\n' || c == '\r' {
				return false
			}
		}
		return true
	}
	rec := []byte(strings.Repeat("0123456789 ABC*~", 6)[:recordLen])
	for pos := range rec {
		for _, c := range []byte{'\n', '\r', '\t', 0, 0x0b, 0x0c, 0x0e, 0x7f, 0x80, 0xc3, 0xff, ' ', '9'} {
			b := bytes.Clone(rec)
			b[pos] = c
			if got, want := isPlainASCII(b), naive(b); got != want {
				t.Errorf("byte %#x at %d: isPlainASCII = %v, want %v", c, pos, got, want)
			}
		}
	}
}
