package ach

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// read reads every payment of data; on error it returns the payments read
// before it.
func read(tb testing.TB, name string, data []byte, strict bool) ([]engine.Payment, []string, error) {
	tb.Helper()
	r := NewReader(bytes.NewReader(data), &parsers.Options{Name: name, Strict: strict})
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

func readFile(tb testing.TB, path string, strict bool) ([]engine.Payment, []string, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return read(tb, filepath.Base(path), data, strict)
}

func mustRead(tb testing.TB, path string, strict bool) ([]engine.Payment, []string) {
	tb.Helper()
	ps, ws, err := readFile(tb, path, strict)
	if err != nil {
		tb.Fatal(err)
	}
	return ps, ws
}

func amt(s string) engine.Amount {
	a, err := engine.ParseAmount(s, "USD")
	if err != nil {
		panic(err)
	}
	return a
}

// refString renders a reference with all its amounts for comparisons.
func refString(r engine.Reference) string {
	s := r.Kind.String() + " " + r.Qualifier + " " + r.Value
	for _, a := range []struct {
		name string
		v    engine.Amount
	}{{"paid", r.Amount}, {"due", r.Due}, {"discount", r.Discount}, {"adjustment", r.Adjustment}} {
		if a.v.Currency != "" {
			s += " " + a.name + "=" + a.v.String()
		}
	}
	if !r.Date.IsZero() {
		s += " date=" + r.Date.String()
	}
	return s
}

func refStrings(rs []engine.Reference) []string {
	var out []string
	for _, r := range rs {
		out = append(out, refString(r))
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
	}
}

func TestReader_CTX820SplitMidSegmentAndInvoice(t *testing.T) {
	ps, ws := mustRead(t, "testdata/ctx-820-split.ach", true)
	if len(ps) != 1 || len(ws) != 0 {
		t.Fatalf("payments %d, warnings %q", len(ps), ws)
	}
	p := ps[0]
	if !p.Amount.Equal(amt("1500.00")) || p.Direction != engine.Credit || p.Status != engine.Booked {
		t.Errorf("amount %s %s %s", p.Amount, p.Direction, p.Status)
	}
	if p.Source != "ctx-820-split.ach:3" || p.TypeCode != "CTX 22" || p.BankRef != "121042880000001" {
		t.Errorf("source %q type %q bank ref %q", p.Source, p.TypeCode, p.BankRef)
	}
	if p.PayerName != "ACME INDUSTRIAL" || p.PayerID != "1234567890" || p.PayerAccount != "000123456789" || p.PayerBank != "121042882" {
		t.Errorf("payer %q %q %q %q", p.PayerName, p.PayerID, p.PayerAccount, p.PayerBank)
	}
	if p.ValueDate.String() != "2026-03-18" || p.BookingDate.String() != "2026-03-18" {
		t.Errorf("dates %s %s", p.ValueDate, p.BookingDate)
	}
	equalStrings(t, "references", refStrings(p.Remittance.References), []string{
		"other TN PAYRUN-17",
		"invoice IV INV-2026-000415 paid=500.00 due=500.00 date=2026-03-01",
		"invoice IV INV-2026-000416 paid=250.00 due=250.00",
		"invoice IV INV-2026-000417 paid=750.00 due=780.00 discount=30.00 adjustment=-30.00",
	})
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %q", p.Warnings)
	}
	if got := p.Remittance.Lines[len(p.Remittance.Lines)-1]; got != "ADX*-30.00*01*IV*INV-2026-000417" {
		t.Errorf("last line %q", got)
	}
}

func TestReader_CTX820CustomSeparators(t *testing.T) {
	ps, _ := mustRead(t, "testdata/ctx-820-custom-separators.ach", true)
	if len(ps) != 1 {
		t.Fatalf("payments %d", len(ps))
	}
	p := ps[0]
	equalStrings(t, "references", refStrings(p.Remittance.References), []string{
		"invoice IV 90-7731 paid=1000.00 due=1000.00",
		"po PO PO-5512 paid=0.00",
		"other ADX 90 adjustment=-20.00",
	})
	if len(p.Warnings) != 0 || p.PayerAccount != "55500011" {
		t.Errorf("warnings %q, payer account %q", p.Warnings, p.PayerAccount)
	}
}

func TestReader_CCDPlusRMR(t *testing.T) {
	ps, ws := mustRead(t, "testdata/ccd-plus-rmr.ach", true)
	if len(ps) != 5 || len(ws) != 0 {
		t.Fatalf("payments %d, warnings %q", len(ps), ws)
	}
	want := [][]string{
		{"invoice IV INV-1001 paid=1200.00 due=1200.00"},
		{"invoice IV INV-1002 paid=490.00 due=500.00 discount=10.00"},
		{"po PO PO-88812"},
		nil,
		nil,
	}
	for i, p := range ps {
		equalStrings(t, p.Source, refStrings(p.Remittance.References), want[i])
	}
	if got := ps[3].Remittance.Text(); got != "PAYMENT FOR INVOICES 1004 AND 1005" {
		t.Errorf("free text %q", got)
	}
	if ps[4].Direction != engine.Debit || ps[4].TypeCode != "CCD 27" || ps[4].Remittance.Text() != "" {
		t.Errorf("debit entry %+v", ps[4])
	}
}

func TestReader_RemittanceThatDoesNotAddUpIsKeptAndFlagged(t *testing.T) {
	f := newTestFile(t)
	f.batch("CCD", "GLOBEX CORP", "9876543210")
	f.entry(22, 100000, "G-1", "CASHMATCH", f.addenda05(`RMR*IV*INV-1**900.00\`)...)
	ps, _, err := read(t, "t.ach", f.bytes(), false)
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	if len(p.Remittance.References) != 1 || !p.Remittance.References[0].Amount.Equal(amt("900.00")) {
		t.Errorf("references %q", refStrings(p.Remittance.References))
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "900.00, the entry is 1000.00") {
		t.Errorf("warnings %q", p.Warnings)
	}
}

func TestReader_MalformedRemittance(t *testing.T) {
	build := func() []byte {
		f := newTestFile(t)
		f.batch("CTX", "GLOBEX CORP", "9876543210")
		f.entry(22, 100000, "G-1", "CASHMATCH", f.addenda05("ST*820*1~BPR*C*1000.00*C~RMR*IV*INV-1**1,000.00~RMR*IV*INV-2**1000.00~SE*5*1~")...)
		return f.bytes()
	}
	ps, _, err := read(t, "t.ach", build(), false)
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	if len(p.Remittance.References) != 2 || p.Remittance.References[0].HasAmount() || !p.Remittance.References[1].Amount.Equal(amt("1000.00")) {
		t.Errorf("references %q", refStrings(p.Remittance.References))
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "segment 3 RMR04") {
		t.Errorf("warnings %q", p.Warnings)
	}

	_, _, err = read(t, "t.ach", build(), true)
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), "RMR04") {
		t.Errorf("strict: %v", err)
	}
}

func TestReader_ReturnsAndNotificationsOfChange(t *testing.T) {
	f := newTestFile(t)
	f.batch("PPD", "CASHMATCH DEMO", "1112223334")
	f.entry(26, 60000, "CUST-0042", "JANE DOE",
		"799R01271111110000301      27111111                                            121042880000001")
	f.entry(26, 60000, "CUST-0043", "JOHN ROE",
		"799R68271111110000302      27111111   27111111000000117901Untimely Return      121042880000002")
	f.batch("COR", "CASHMATCH DEMO", "1112223334")
	f.entry(21, 0, "CUST-0044", "ACME LLC",
		fmt.Sprintf("798C03271111110000303%6s27111111%-29s%15s121042880000003", "", "231380104   44455566677", ""))
	ps, _, err := read(t, "t.ach", f.bytes(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 {
		t.Fatalf("payments %d", len(ps))
	}
	r1, r2, noc := ps[0], ps[1], ps[2]
	if r1.Status != engine.Return || r1.ReturnReason != "R01" || r1.OriginalRef != "271111110000301" ||
		r1.Direction != engine.Debit || !r1.Amount.Equal(amt("600.00")) || r1.PayerName != "JANE DOE" || r1.PayerBank != "271111113" {
		t.Errorf("return %+v", r1)
	}
	if r2.ReturnReason != "R68" || r2.Remittance.Text() != "dishonored return R68 of trace 271111110000302: Untimely Return" {
		t.Errorf("dishonored return %q %q", r2.ReturnReason, r2.Remittance.Text())
	}
	if noc.Status != engine.Informational || noc.ReturnReason != "C03" || noc.OriginalRef != "271111110000303" || !noc.Amount.IsZero() {
		t.Errorf("NOC %+v", noc)
	}
	equalStrings(t, "NOC corrections", refStrings(noc.Remittance.References), []string{
		"other routing_number 231380104",
		"other account_number 44455566677",
	})
}

func TestReader_PrenoteIsInformational(t *testing.T) {
	f := newTestFile(t)
	f.batch("PPD", "CASHMATCH DEMO", "1112223334")
	f.entry(23, 0, "P-1", "JANE DOE")
	f.entry(28, 0, "P-2", "JANE DOE")
	ps, _, err := read(t, "t.ach", f.bytes(), true)
	if err != nil {
		t.Fatal(err)
	}
	if ps[0].Status != engine.Informational || ps[0].Direction != engine.Credit ||
		ps[1].Status != engine.Informational || ps[1].Direction != engine.Debit {
		t.Errorf("prenotes %v %v, %v %v", ps[0].Status, ps[0].Direction, ps[1].Status, ps[1].Direction)
	}
}

// TestReader_ControlsThatDoNotAddUpAreRefused changes one figure of a batch
// or file control and expects a refusal naming the record and both values,
// in both modes.
func TestReader_ControlsThatDoNotAddUpAreRefused(t *testing.T) {
	clean, err := os.ReadFile("testdata/ccd-plus-rmr.ach")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(clean), "\n")
	tests := []struct {
		name      string
		line      int // 0-based line to change
		from, to  int // 1-based positions
		value     string
		wantLine  int
		wantError string
	}{
		{"batch credit total", 11, 33, 44, "000000208001", 12,
			"batch 1 control: does not add up: total credit amount: the record states 208001, the entries add up to 208000"},
		{"batch entry count", 11, 5, 10, "000008", 12,
			"batch 1 control: does not add up: entry/addenda count: the record states 8, the entries add up to 9"},
		{"batch entry hash", 11, 11, 20, "0115690051", 12,
			"entry hash: the record states 115690051, the entries add up to 115690050"},
		{"file debit total", 12, 32, 43, "000000002600", 13,
			"file control: does not add up: total debit amount: the record states 2600, the entries add up to 2500"},
		{"file batch count", 12, 2, 7, "000002", 13,
			"file control: batch count: the record states 2, the file has 1 batches"},
		{"amount not a number", 2, 30, 39, "00001200X0", 3, `amount "00001200X0" is not a number`},
	}
	for _, tt := range tests {
		for _, strict := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				changed := append([]string(nil), lines...)
				l := changed[tt.line]
				changed[tt.line] = l[:tt.from-1] + tt.value + l[tt.to:]
				_, _, err := read(t, "t.ach", []byte(strings.Join(changed, "\n")), strict)
				var pe *parsers.ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("strict=%v: error %v, want a *parsers.ParseError", strict, err)
				}
				if pe.Line != tt.wantLine || !strings.Contains(err.Error(), tt.wantError) {
					t.Errorf("strict=%v:\ngot  %v\nwant line %d and %q", strict, err, tt.wantLine, tt.wantError)
				}
			})
		}
	}
}

// TestReader_Layouts reads the same file with CRLF, without line breaks,
// with trailing blanks stripped and without filler: the payments are the
// same, the departures are warned about (lenient) or refused (strict).
func TestReader_Layouts(t *testing.T) {
	clean, err := os.ReadFile("testdata/ctx-820-split.ach")
	if err != nil {
		t.Fatal(err)
	}
	records := strings.Split(strings.TrimSuffix(string(clean), "\n"), "\n")
	trimmed := make([]string, len(records))
	for i, r := range records {
		trimmed[i] = strings.TrimRight(r, " ")
	}
	var noFiller []string
	for _, r := range records {
		if !strings.HasPrefix(r, "9999999999") {
			noFiller = append(noFiller, r)
		}
	}
	tests := []struct {
		name       string
		data       string
		warning    string // expected among the lenient warnings
		strictErr  string // expected strict refusal; empty when strict accepts
		wantSource string
	}{
		{"LF", string(clean), "", "", "t.ach:3"},
		{"CRLF", strings.Join(records, "\r\n") + "\r\n", "", "", "t.ach:3"},
		{"no line breaks", strings.Join(records, ""), "", "", "t.ach:3"},
		{"trailing blanks stripped", strings.Join(trimmed, "\n"), "shorter than 94 characters, padded", "t.ach:1: record is shorter than 94 characters", "t.ach:3"},
		{"no filler", strings.Join(noFiller, "\n"), "filler records missing", "filler records missing", "t.ach:3"},
		{"blanks beyond 94", strings.Join(records, "   \n"), "followed by blanks beyond 94", "t.ach:1: record is followed by blanks", "t.ach:3"},
		{"blank lines", "\n" + strings.Join(records, "\n\n"), "", "", "t.ach:6"},
	}
	want, _, err := read(t, "t.ach", clean, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, ws, err := read(t, "t.ach", []byte(tt.data), false)
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].Source != tt.wantSource || !ps[0].Amount.Equal(want[0].Amount) ||
				strings.Join(refStrings(ps[0].Remittance.References), "|") != strings.Join(refStrings(want[0].Remittance.References), "|") {
				t.Errorf("payments differ: %+v", ps)
			}
			if tt.warning == "" && len(ws) > 0 || tt.warning != "" && !strings.Contains(strings.Join(ws, "\n"), tt.warning) {
				t.Errorf("warnings %q, want %q", ws, tt.warning)
			}
			_, _, err = read(t, "t.ach", []byte(tt.data), true)
			if tt.strictErr == "" && err != nil || tt.strictErr != "" && (err == nil || !strings.Contains(err.Error(), tt.strictErr)) {
				t.Errorf("strict: %v, want %q", err, tt.strictErr)
			}
		})
	}
}

func TestReader_StructureErrors(t *testing.T) {
	clean, err := os.ReadFile("testdata/ccd-plus-rmr.ach")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(clean), "\n"), "\n")
	join := func(ls ...string) []byte { return []byte(strings.Join(ls, "\n")) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "t.ach: the file is empty"},
		{"no file header", join(lines[1:]...), "t.ach:1: the file does not start with a file header"},
		{"truncated in a batch", join(lines[:5]...), "t.ach:5: batch 1 control: the file ends before the batch control"},
		{"no file control", join(lines[:12]...), "t.ach:12: file control: the file ends without a file control record"},
		{"record after file control", join(append(lines[:13:13], lines[2])...), `t.ach:14: record type '6' after the file control`},
		{"addenda outside an entry", join(append(lines[:2:2], lines[3:]...)...), "t.ach:3: addenda: addenda record outside an entry"},
		{"unknown record type", join(append(lines[:2:2], "X"+lines[2][1:])...), `t.ach:3: unknown record type 'X'`},
		{"line of two records", join(lines[0], lines[1]+lines[2]), "t.ach:2: line is longer than a 94-character record"},
		{"unbroken file cut short", join(lines[0] + lines[1][:50]), "t.ach:2: batch (no number) control: the file ends before the batch control"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := read(t, "t.ach", tt.data, false)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReader_NACHARuleDeparturesAreWarnings(t *testing.T) {
	data, err := os.ReadFile("testdata/ccd-plus-rmr.ach")
	if err != nil {
		t.Fatal(err)
	}
	// A wrong check digit on the first entry: its RDFI routing number no
	// longer validates.
	bad := bytes.Replace(data, []byte("622231380104987654321        0000120000"), []byte("622231380105987654321        0000120000"), 1)
	ps, ws, err := read(t, "t.ach", bad, false)
	if err != nil || len(ps) != 5 {
		t.Fatalf("lenient: %d payments, %v", len(ps), err)
	}
	if len(ws) != 1 || !strings.Contains(ws[0], "t.ach:12: batch 1 control: NACHA rule:") || !strings.Contains(ws[0], "check digit") {
		t.Errorf("warnings %q", ws)
	}
	_, _, err = read(t, "t.ach", bad, true)
	if err == nil || !strings.Contains(err.Error(), "check digit") {
		t.Errorf("strict: %v", err)
	}
}

func TestReader_CTXWithISO20022Remittance(t *testing.T) {
	xml := `<?xml version="1.0"?><Document><RmtInf><Ustrd>MARCH RUN</Ustrd><Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CINV</Cd>` +
		`</CdOrPrtry></Tp><Nb>INV-77</Nb></RfrdDocInf><RfrdDocAmt><DuePyblAmt Ccy="USD">100.00</DuePyblAmt>` +
		`<DscntApldAmt Ccy="USD">2.00</DscntApldAmt><RmtdAmt Ccy="USD">98.00</RmtdAmt></RfrdDocAmt></Strd>` +
		`<Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CREN</Cd></CdOrPrtry></Tp><Nb>CN-5</Nb></RfrdDocInf>` +
		`<RfrdDocAmt><RmtdAmt Ccy="USD">-10.00</RmtdAmt></RfrdDocAmt></Strd></RmtInf></Document>`
	f := newTestFile(t)
	f.batch("CTX", "GLOBEX CORP", "9876543210")
	f.entry(22, 8800, "G-1", "CASHMATCH", f.addenda05(xml)...)
	f.entry(22, 9900, "G-2", "CASHMATCH", f.addenda05(xml)...)
	ps, _, err := read(t, "t.ach", f.bytes(), false)
	if err != nil {
		t.Fatal(err)
	}
	equalStrings(t, "references", refStrings(ps[0].Remittance.References), []string{
		"invoice CINV INV-77 paid=98.00 due=100.00 discount=2.00",
		"credit_note CREN CN-5 paid=-10.00",
	})
	if len(ps[0].Warnings) != 0 || ps[0].Remittance.Lines[1] != "MARCH RUN" {
		t.Errorf("first entry: warnings %q, lines %q", ps[0].Warnings, ps[0].Remittance.Lines)
	}
	wantWarning(t, ps[1], "the RmtdAmt amounts come to 88.00, the entry is 99.00")
}

func TestReader_AddendaOutOfSequenceAreJoinedInSequenceOrder(t *testing.T) {
	f := newTestFile(t)
	f.batch("CTX", "ACME INDUSTRIAL", "1234567890")
	addenda := f.addenda05(split820)
	addenda[1], addenda[4] = addenda[4], addenda[1]
	f.entry(22, 150000, "ACME-0417", "CASHMATCH DEMO", addenda...)
	data := f.bytes()
	ps, _, err := read(t, "t.ach", data, false)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mustRead(t, "testdata/ctx-820-split.ach", true)
	equalStrings(t, "references", refStrings(ps[0].Remittance.References), refStrings(want[0].Remittance.References))
	wantWarning(t, ps[0], "joined in sequence order")
	if _, _, err := read(t, "t.ach", data, true); err == nil || !strings.Contains(err.Error(), "addenda sequence numbers") {
		t.Errorf("strict: %v", err)
	}
}
