package bai2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// FuzzReader reads arbitrary input in both modes. It must never panic, a
// refusal must be a *parsers.ParseError, and what is accepted must survive a
// round trip: written back as a canonical BAI2 file and read again, it
// gives the same payments.
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "quirks", "*.bai2"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, strict := range []bool{false, true} {
			res := readAll(t, "fuzz.bai2", in, &parsers.Options{Strict: strict})
			if res.err != nil {
				if pe := parseError(t, res.err); pe.File != "fuzz.bai2" {
					t.Fatalf("refusal %q does not name the file", pe)
				}
				continue
			}
			out := writeCanonical(res.payments)
			again := readAll(t, "canonical.bai2", out, nil)
			if again.err != nil {
				t.Fatalf("canonical form of an accepted file is refused: %v\n%s", again.err, out)
			}
			if got, want := canonicalJSON(again.payments), canonicalJSON(res.payments); got != want {
				t.Fatalf("round trip changed the payments\ngot:  %s\nwant: %s\nfile:\n%s", got, want, out)
			}
		}
	})
}

// writeCanonical writes payments as a BAI2 file that follows the
// specification: a group per as-of date, an account per run of payments of
// one account and currency, text in 88 records, and computed trailers.
func writeCanonical(ps []engine.Payment) []byte {
	var b bytes.Buffer
	fileRecords, groups := 2, 0
	var fileTotal int64
	b.WriteString("01,SENDER,RECEIVER,260101,0000,1,,,2/\n")
	for i := 0; i < len(ps); {
		g := groupEnd(ps, i)
		groups++
		b.WriteString(fmt.Sprintf("02,RECEIVER,SENDER,%c,%s,,,/\n", groupStatus(ps[i]), yymmdd(ps[i].BookingDate)))
		groupRecords, accounts := 2, 0
		var groupTotal int64
		for i < g {
			a := i
			for a < g && ps[a].Account == ps[i].Account && ps[a].Amount.Currency == ps[i].Amount.Currency {
				a++
			}
			accounts++
			writeAccount(&b, ps[i])
			records, total := 2, int64(0)
			for ; i < a; i++ {
				p := ps[i]
				units, _ := p.Amount.Minor()
				total += units
				funds := "Z"
				if p.ValueDate != p.BookingDate {
					funds = "V," + yymmdd(p.ValueDate) + ","
				}
				records += writeDetail(&b, p, units, funds)
			}
			b.WriteString(fmt.Sprintf("49,%d,%d/\n", total, records))
			groupRecords += records
			groupTotal += total
		}
		b.WriteString(fmt.Sprintf("98,%d,%d,%d/\n", groupTotal, accounts, groupRecords))
		fileRecords += groupRecords
		fileTotal += groupTotal
	}
	b.WriteString(fmt.Sprintf("99,%d,%d,%d/\n", fileTotal, groups, fileRecords))
	return b.Bytes()
}

// writeAccount writes the 03 record of p's account. An account number with
// a "/" ends its record, so that what follows the "/" cannot read as the
// start of another record; the currency follows in an 88.
func writeAccount(b *bytes.Buffer, p engine.Payment) {
	if strings.Contains(p.Account, "/") {
		fmt.Fprintf(b, "03,%s/\n88,%s,/\n", p.Account, p.Amount.Currency)
		return
	}
	fmt.Fprintf(b, "03,%s,%s,/\n", p.Account, p.Amount.Currency)
}

// writeDetail writes the 16 record of p with its text in 88 records and
// returns how many records it wrote. References with a "/" end their
// record for the same reason as account numbers do.
func writeDetail(b *bytes.Buffer, p engine.Payment, units int64, funds string) int {
	n := 1
	if strings.Contains(p.BankRef+p.CustomerRef, "/") {
		fmt.Fprintf(b, "16,%s,%d,%s,%s/\n", p.TypeCode, units, funds, p.BankRef)
		if p.CustomerRef == "" || len(p.Remittance.Lines) == 0 {
			fmt.Fprintf(b, "88,%s,/\n", p.CustomerRef)
		} else {
			fmt.Fprintf(b, "88,%s/\n", p.CustomerRef)
		}
		n++
	} else {
		fmt.Fprintf(b, "16,%s,%d,%s,%s,%s,/\n", p.TypeCode, units, funds, p.BankRef, p.CustomerRef)
	}
	for _, l := range p.Remittance.Lines {
		b.WriteString("88," + l + "/\n")
		n++
	}
	return n
}

// groupEnd returns the end of the run of payments from i that share a
// group: the same as-of date and group status.
func groupEnd(ps []engine.Payment, i int) int {
	j := i
	for j < len(ps) && ps[j].BookingDate == ps[i].BookingDate && groupStatus(ps[j]) == groupStatus(ps[i]) {
		j++
	}
	return j
}

// groupStatus recovers the status of a payment's group from its warnings.
func groupStatus(p engine.Payment) byte {
	for _, w := range p.Warnings {
		for s, gw := range groupStatusWarnings {
			if w == gw {
				return s
			}
		}
	}
	return '1'
}

func yymmdd(d engine.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d%02d%02d", d.Year%100, int(d.Month), d.Day)
}

// canonicalJSON encodes what a round trip must keep: every field but the
// source and the warnings, and the references' qualifiers.
func canonicalJSON(ps []engine.Payment) string {
	var b bytes.Buffer
	for _, p := range ps {
		p.Source, p.Warnings = "", nil
		j, _ := json.Marshal(p)
		b.Write(j)
		for _, r := range p.Remittance.References {
			b.WriteString(" q=" + strconv.Quote(r.Qualifier))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
