package camt

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// readAll reads every payment of in, returning those read before an error.
func readAll(tb testing.TB, name string, in []byte, strict bool) ([]engine.Payment, []string, error) {
	tb.Helper()
	r := NewReader(bytes.NewReader(in), &parsers.Options{Name: name, Strict: strict})
	var ps []engine.Payment
	for {
		p, err := r.Next()
		if err == io.EOF {
			return ps, r.Warnings(), nil
		}
		if err != nil {
			return ps, r.Warnings(), err
		}
		ps = append(ps, p)
	}
}

// describe renders a payment with every field the reader sets, references
// in full, one field a line.
func describe(p engine.Payment) string {
	var b strings.Builder
	field := func(name string, v any) {
		if s := fmt.Sprint(v); s != "" {
			fmt.Fprintf(&b, "  %s: %s\n", name, s)
		}
	}
	fmt.Fprintf(&b, "%s\n", p.Source)
	field("format", p.Format)
	field("account", p.Account)
	field("amount", p.Amount.String()+" "+string(p.Amount.Currency))
	field("direction", p.Direction)
	field("status", p.Status)
	field("value_date", p.ValueDate)
	field("booking_date", p.BookingDate)
	field("type_code", p.TypeCode)
	field("bank_ref", p.BankRef)
	field("customer_ref", p.CustomerRef)
	field("end_to_end_id", p.EndToEndID)
	field("transaction_id", p.TransactionID)
	field("uetr", p.UETR)
	field("payer_name", p.PayerName)
	field("payer_id", p.PayerID)
	field("payer_account", p.PayerAccount)
	field("payer_bank", p.PayerBank)
	field("ultimate_payer", p.UltimatePayer)
	field("return_reason", p.ReturnReason)
	if p.Charges.Currency != "" {
		field("charges", p.Charges.String()+" "+string(p.Charges.Currency))
	}
	if p.InstructedAmount.Currency != "" {
		field("instructed", p.InstructedAmount.String()+" "+string(p.InstructedAmount.Currency))
	}
	field("exchange_rate", p.ExchangeRate)
	for _, l := range p.Remittance.Lines {
		fmt.Fprintf(&b, "  line: %q\n", l)
	}
	for _, r := range p.Remittance.References {
		fmt.Fprintf(&b, "  ref: %s %q", r.Kind, r.Value)
		for _, a := range []struct {
			name string
			v    engine.Amount
		}{{"amount", r.Amount}, {"due", r.Due}, {"discount", r.Discount}, {"adjustment", r.Adjustment}} {
			if a.v.Currency != "" {
				fmt.Fprintf(&b, " %s=%s %s", a.name, a.v, a.v.Currency)
			}
		}
		if r.Qualifier != "" {
			fmt.Fprintf(&b, " qualifier=%s", r.Qualifier)
		}
		if !r.Date.IsZero() {
			fmt.Fprintf(&b, " date=%s", r.Date)
		}
		b.WriteString("\n")
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&b, "  warning: %s\n", w)
	}
	return b.String()
}

// TestReader_Golden reads every message in testdata and compares the
// payments and warnings with its .golden file (go test -update rewrites
// them).
func TestReader_Golden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ps, warnings, err := readAll(t, filepath.Base(f), in, false)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, p := range ps {
				b.WriteString(describe(p))
			}
			for _, w := range warnings {
				fmt.Fprintf(&b, "file warning: %s\n", w)
			}
			golden := strings.TrimSuffix(f, ".xml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("payments differ from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

// TestReader_EveryVersionIsRead checks that testdata holds a message of
// every version 001.01 to 001.13, and that each reads in strict mode to at
// least one payment of its format, without warnings.
func TestReader_EveryVersionIsRead(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, name := range files {
		in, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		msg, version, ok := namespaceIn(in)
		if !ok {
			t.Errorf("%s: no camt namespace", name)
			continue
		}
		seen[version] = true
		ps, warnings, err := readAll(t, name, in, true)
		if err != nil || len(warnings) > 0 {
			t.Errorf("%s (strict): %v, warnings %q", name, err, warnings)
			continue
		}
		if len(ps) == 0 || ps[0].Format != msg.format {
			t.Errorf("%s: %d payments, format %q; want at least one of %s", name, len(ps), first(ps).Format, msg.format)
		}
	}
	for v := 1; v <= newestVersion; v++ {
		if !seen[v] {
			t.Errorf("testdata has no message of version 001.%02d", v)
		}
	}
}

func first(ps []engine.Payment) engine.Payment {
	if len(ps) == 0 {
		return engine.Payment{}
	}
	return ps[0]
}

func TestReader_Features(t *testing.T) {
	in, err := os.ReadFile("testdata/camt.053.001.08-features.xml")
	if err != nil {
		t.Fatal(err)
	}
	ps, warnings, err := readAll(t, "f.xml", in, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings = %q, want none: balances and summary add up", warnings)
	}
	if len(ps) != 6 {
		t.Fatalf("got %d payments, want 6 (2 TxDtls of a batch, 2 single TxDtls, 2 entries without details)", len(ps))
	}
	acme, beta, debit, reversal, pending, info := ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]

	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	check("batch source", acme.Source, "f.xml:92:Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]")
	check("amount of own TxDtls/Amt", acme.Amount.String()+" "+string(acme.Amount.Currency), "1000.00 EUR")
	check("booking date of a DtTm with offset", acme.BookingDate, "2026-03-17")
	check("payer name with entity", acme.PayerName, "Acme & Co. GmbH")
	check("ultimate payer", acme.UltimatePayer, "Acme Holding AG")
	check("payer account", acme.PayerAccount, "DE02120300000000202051")
	check("payer bank", acme.PayerBank, "BYLADEM1001")
	check("lines kept as written", fmt.Sprintf("%q", acme.Remittance.Lines), `["Payment of INV-1001 " "thank you"]`)
	inv := acme.Remittance.References[0]
	check("invoice", fmt.Sprint(inv.Kind, " ", inv.Value, " ", inv.Qualifier, " ", inv.Date), "invoice INV-1001 CINV 2026-02-15")
	check("invoice amounts", fmt.Sprint(inv.Amount, " ", inv.Due, " ", inv.Discount), "1000.00 1020.00 20.00")
	rf := acme.Remittance.References[1]
	check("valid RF", fmt.Sprint(rf.Kind, " ", rf.Value), "rf RF18 5390 0754 7034")

	check("second TxDtls keeps the entry's bank ref", beta.BankRef, "BANK-REF-0001")
	check("instructed amount", beta.InstructedAmount.String()+" "+string(beta.InstructedAmount.Currency), "540.00 USD")
	check("exchange rate", beta.ExchangeRate, "0.9259")
	refs := beta.Remittance.References
	check("credit note", fmt.Sprint(refs[1].Kind, " ", refs[1].Value, " ", refs[1].Amount), "credit_note CN-77 -50.00")
	check("QR reference kept as given", fmt.Sprint(refs[2].Kind, " ", refs[2].Value, " ", refs[2].Qualifier),
		"other 210000000003139471430009017 QRR")

	check("debit payer is the creditor", debit.PayerName, "Office Supplies S.A.")
	check("NOTPROVIDED is no reference", debit.EndToEndID, "")
	check("charges", debit.Charges.String(), "2.50")
	check("reversal status", reversal.Status, engine.Reversal)
	check("reversal keeps its direction", reversal.Direction, engine.Debit)
	check("reversal payer is the original debtor", reversal.PayerName, "Gamma Retail")
	check("reversal amount from the entry", reversal.Amount.String(), "100.00")
	check("return reason", reversal.ReturnReason, "AC04")
	check("pending", pending.Status, engine.Pending)
	check("pending value date of a DtTm", pending.ValueDate, "2026-03-19")
	check("entry text of an entry without details", fmt.Sprintf("%q", pending.Remittance.Lines), `["Card settlement 17/03"]`)
	check("info", info.Status, engine.Informational)
}

func TestValidRF(t *testing.T) {
	cases := map[string]bool{
		"RF18539007547034":    true,
		"RF18 5390 0754 7034": true,
		"rf18539007547034":    true,
		"RF712348231":         true,
		"RF19123456789":       false,
		"RF18539007547035":    false,
		"RF1":                 false,
		"XX18539007547034":    false,
		"RF18-5390":           false,
		"RF98123456789012":    false,
	}
	for in, want := range cases {
		if got := ValidRF(in); got != want {
			t.Errorf("ValidRF(%q) = %v, want %v", in, got, want)
		}
	}
}

// minimal wraps entries in a camt.053 statement of version v with an
// opening and closing balance.
func minimal(v, open, closing, entries string) string {
	sts := "<Sts>BOOK</Sts>"
	if v >= "07" {
		sts = "<Sts><Cd>BOOK</Cd></Sts>"
	}
	entries = strings.ReplaceAll(entries, "STS", sts)
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.` + v + `">
<BkToCstmrStmt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">` + open + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">` + closing + `</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>
` + entries + `
</Stmt></BkToCstmrStmt></Document>
`
}

const oneEntry = `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS</Ntry>`

func TestReader_BalanceMismatch(t *testing.T) {
	in := []byte(minimal("08", "100.00", "111.00", oneEntry))
	ps, warnings, err := readAll(t, "b.xml", in, false)
	if err != nil {
		t.Fatalf("lenient: %v", err)
	}
	want := "Stmt[1]/Bal[2]: closing balance (CLBD) states 111.00 EUR, but opening balance (OPBD) 100.00 EUR plus booked entries 10.00 gives 110.00 EUR"
	if len(ps) != 1 || len(warnings) != 1 || warnings[0] != want {
		t.Errorf("lenient: %d payments, warnings %q; want 1 payment and %q", len(ps), warnings, want)
	}

	_, _, err = readAll(t, "b.xml", in, true)
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Record != "Stmt[1]/Bal[2]" || pe.Line != 6 ||
		!strings.Contains(pe.Error(), "states 111.00 EUR") || !strings.Contains(pe.Error(), "gives 110.00 EUR") {
		t.Errorf("strict: err = %v, want a refusal at b.xml:6 naming Stmt[1]/Bal[2] and both values", err)
	}

	if _, w, err := readAll(t, "b.xml", []byte(minimal("08", "100.00", "110.00", oneEntry)), true); err != nil || len(w) != 0 {
		t.Errorf("balanced statement: err %v, warnings %q", err, w)
	}
}

func TestReader_SummaryMismatch(t *testing.T) {
	entries := `<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>10.00</Sum></TtlNtries>
<TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>10.00</Sum></TtlCdtNtries></TxsSummry>` + oneEntry
	in := []byte(minimal("04", "0", "10.00", entries))
	_, warnings, err := readAll(t, "s.xml", in, false)
	if err != nil {
		t.Fatal(err)
	}
	want := "Stmt[1]/TxsSummry/TtlNtries/NbOfNtries states 2 where the statement has 1 entries"
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings = %q, want [%q]", warnings, want)
	}
	_, _, err = readAll(t, "s.xml", in, true)
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Record != "Stmt[1]/TxsSummry/TtlNtries/NbOfNtries" || pe.Line != 7 {
		t.Errorf("strict: err = %v, want a refusal naming Stmt[1]/TxsSummry/TtlNtries/NbOfNtries at line 7", err)
	}
}

func TestReader_Refusals(t *testing.T) {
	cases := []struct {
		name, in, record, msg string
		line, col             int
	}{
		{"malformed", minimal("08", "0", "10.00", `<Ntry><Amt Ccy="EUR">10.00</Amt></Ntri>`),
			"", "does not match <Ntry>", 7, 33},
		{"no amount", minimal("08", "0", "0", `<Ntry><CdtDbtInd>CRDT</CdtDbtInd>STS</Ntry>`),
			"Stmt[1]/Ntry[1]", "entry has no Amt", 7, 1},
		{"bad currency", minimal("08", "0", "10.00", `<Ntry><Amt Ccy="EUX">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS</Ntry>`),
			"Stmt[1]/Ntry[1]/Amt", "EUX", 7, 7},
		{"excess precision", minimal("08", "0", "10.00", `<Ntry><Amt Ccy="EUR">10.001</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS</Ntry>`),
			"Stmt[1]/Ntry[1]/Amt", "more decimals", 7, 7},
		{"bad indicator", minimal("08", "0", "10.00", `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRED</CdtDbtInd>STS</Ntry>`),
			"Stmt[1]/Ntry[1]/CdtDbtInd", "neither CRDT nor DBIT", 7, 33},
		{"bad date", minimal("08", "0", "10.00", `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS<BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>`),
			"Stmt[1]/Ntry[1]/BookgDt/Dt", "does not exist", 7, 93},
		{"wrong message", strings.Replace(minimal("08", "0", "0", ""), "BkToCstmrStmt>", "BkToCstmrAcctRpt>", 2),
			"Document/BkToCstmrAcctRpt", "not <BkToCstmrAcctRpt>", 3, 1},
		{"no document", `<?xml version="1.0"?><Document xmlns="urn:example"/>`, "", "no ISO 20022 camt", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				_, _, err := readAll(t, "r.xml", []byte(c.in), strict)
				var pe *parsers.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("strict=%v: err = %v, want a ParseError", strict, err)
				}
				if pe.File != "r.xml" || pe.Record != c.record || pe.Line != c.line || pe.Column != c.col ||
					!strings.Contains(pe.Error(), c.msg) {
					t.Errorf("strict=%v: got %q (record %q, %d:%d), want record %q at %d:%d mentioning %q",
						strict, pe, pe.Record, pe.Line, pe.Column, c.record, c.line, c.col, c.msg)
				}
			}
		})
	}
}

// TestReader_StatusFormOfVersion: 001.07 introduced the coded status
// Sts/Cd; strict mode refuses a status written in the other form.
func TestReader_StatusFormOfVersion(t *testing.T) {
	plainIn08 := strings.ReplaceAll(minimal("08", "0", "10.00", oneEntry), "<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>")
	codedIn04 := strings.ReplaceAll(minimal("04", "0", "10.00", oneEntry), "<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>")
	for name, in := range map[string]string{"plain in 001.08": plainIn08, "coded in 001.04": codedIn04} {
		ps, warnings, err := readAll(t, "v.xml", []byte(in), false)
		if err != nil || len(ps) != 1 || ps[0].Status != engine.Booked || len(warnings) != 1 {
			t.Errorf("%s lenient: err %v, %d payments, warnings %q; want one booked payment and a warning", name, err, len(ps), warnings)
		}
		if _, _, err := readAll(t, "v.xml", []byte(in), true); err == nil {
			t.Errorf("%s strict: accepted", name)
		}
	}
}

func TestReader_UnknownVersion(t *testing.T) {
	in := []byte(strings.Replace(minimal("13", "0", "10.00", oneEntry), "camt.053.001.13", "camt.053.001.14", 1))
	ps, warnings, err := readAll(t, "u.xml", in, false)
	if err != nil || len(ps) != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], "camt.053.001.14") {
		t.Errorf("lenient: err %v, %d payments, warnings %q", err, len(ps), warnings)
	}
	if _, _, err := readAll(t, "u.xml", in, true); err == nil {
		t.Error("strict: a version newer than 001.13 was accepted")
	}
}

// TestReader_TransactionsWithoutAmounts: several TxDtls of one entry that
// state no amount cannot divide the entry, so they become one payment.
func TestReader_TransactionsWithoutAmounts(t *testing.T) {
	entry := `<Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS<NtryDtls>
<TxDtls><Refs><EndToEndId>A</EndToEndId></Refs><RmtInf><Ustrd>inv 1</Ustrd></RmtInf></TxDtls>
<TxDtls><Refs><EndToEndId>B</EndToEndId></Refs><RmtInf><Ustrd>inv 2</Ustrd></RmtInf></TxDtls>
</NtryDtls></Ntry>`
	ps, _, err := readAll(t, "n.xml", []byte(minimal("02", "0", "30.00", entry)), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Amount.String() != "30.00" || ps[0].Remittance.Text() != "inv 1 inv 2" ||
		ps[0].EndToEndID != "" || ps[0].Source != "n.xml:7:Stmt[1]/Ntry[1]" || len(ps[0].Warnings) != 1 {
		t.Errorf("got %d payments: %+v", len(ps), ps)
	}
}

// TestReader_Limits: an element's text and the file's warnings are bounded,
// so that a hostile file cannot grow the reader's memory.
func TestReader_Limits(t *testing.T) {
	long := `<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>STS<AddtlNtryInf>` +
		strings.Repeat("xxxxxxxx<!---->", maxText/4) + `</AddtlNtryInf></Ntry>`
	_, _, err := readAll(t, "l.xml", []byte(minimal("02", "0", "10.00", long)), false)
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Record != "Stmt[1]/Ntry[1]/AddtlNtryInf" || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("long text: err = %v", err)
	}

	var entries strings.Builder
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&entries, `<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>XX%d</Sts></Ntry>`, i)
	}
	ps, warnings, err := readAll(t, "w.xml", []byte(minimal("02", "0", "0", entries.String())), false)
	if err != nil || len(ps) != 150 {
		t.Fatalf("err %v, %d payments", err, len(ps))
	}
	if len(warnings) != maxWarnings || warnings[maxWarnings-1] != "51 further warnings omitted" {
		t.Errorf("%d warnings, last %q; want %d: 99 kept and one counting the other 51", len(warnings), warnings[len(warnings)-1], maxWarnings)
	}
}

// TestReader_SummaryExponentRefused: TxsSummry numbers are plain decimals;
// an exponent is refused rather than expanded.
func TestReader_SummaryExponentRefused(t *testing.T) {
	entries := `<TxsSummry><TtlNtries><Sum>1e999999999</Sum></TtlNtries></TxsSummry>` + oneEntry
	done := make(chan error, 1)
	go func() {
		_, _, err := readAll(t, "e.xml", []byte(minimal("04", "0", "10.00", entries)), false)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a decimal number") {
			t.Errorf("err = %v, want a refusal of the exponent", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a TxsSummry sum with a huge exponent did not finish")
	}
}
