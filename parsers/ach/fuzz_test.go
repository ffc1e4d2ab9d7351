package ach

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/x12"
)

// FuzzReader reads arbitrary input as a NACHA file. It must never panic, a
// refusal must stick, and every payment must carry a currency and a
// non-negative amount.
func FuzzReader(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.ach")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
		f.Add(bytes.ReplaceAll(data, []byte("\n"), nil), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		r := NewReader(bytes.NewReader(data), &parsers.Options{Name: "fuzz.ach", Strict: strict})
		for i := 0; ; i++ {
			p, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if _, again := r.Next(); again != err {
					t.Fatalf("error changed after a refusal: %v, then %v", err, again)
				}
				return
			}
			if p.Amount.Currency == "" || p.Amount.Sign() < 0 {
				t.Fatalf("payment %d: amount %q %s", i, p.Amount.Currency, p.Amount)
			}
		}
	})
}

// FuzzAddendaJoin carries X12 text in the addenda 05 of a CTX entry, cut
// every 80 characters and written in a rotated order, and checks that the
// reader joins it back in sequence order: the segments it reads are those of
// the text itself.
func FuzzAddendaJoin(f *testing.F) {
	f.Add(split820, uint8(0))
	f.Add(custom820, uint8(3))
	f.Add(`RMR*IV*INV-1**10.00\RMR*IV*INV-2**-5\`, uint8(1))
	f.Add("ISA*00*          *00*          *ZZ*A              *ZZ*B              *260317*1200*U*00401*000000001*0*P*:~RMR*IV*X-1**1~", uint8(7))
	f.Fuzz(func(t *testing.T, text string, rotate uint8) {
		if len(text) == 0 || len(text) > 80*50 || !printableASCII(text) {
			t.Skip()
		}
		joined := strings.TrimRight(text, " ")
		if !x12.LooksLikeX12(joined) {
			t.Skip()
		}
		want, _ := x12.Parse(joined)

		b := newTestFile(t)
		b.batch("CTX", "FUZZ CORP", "1234567890")
		addenda := b.addenda05(text)
		n := int(rotate) % len(addenda)
		addenda = append(addenda[n:], addenda[:n]...)
		b.entry(22, 100, "FUZZ", "RECEIVER", addenda...)
		ps, _, err := read(t, "fuzz.ach", b.bytes(), false)
		if err != nil {
			t.Fatalf("a well-formed CTX file was refused: %v", err)
		}
		if len(ps) != 1 {
			t.Fatalf("%d payments", len(ps))
		}
		var wantLines []string
		if want != nil {
			wantLines = want.Lines
			if len(wantLines) == 0 {
				wantLines = []string{joined}
			}
		} else {
			wantLines = []string{joined}
		}
		if strings.Join(ps[0].Remittance.Lines, "\x00") != strings.Join(wantLines, "\x00") {
			t.Fatalf("lines after joining:\ngot  %q\nwant %q", ps[0].Remittance.Lines, wantLines)
		}
	})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
