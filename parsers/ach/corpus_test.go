package ach

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	moov "github.com/moov-io/ach"
)

// corpusCase is what EXPECTED.md of the corpus says about a file, and how
// each mode must treat it.
type corpusCase struct {
	payments int
	// refused is the lenient refusal; empty when the lenient reader must
	// accept the file.
	refused string
	// warning is expected among the lenient warnings.
	warning string
	// strict is the strict refusal; empty when strict mode must accept.
	strict string
	check  func(t *testing.T, ps []engine.Payment)
}

var corpusCases = map[string]corpusCase{
	"dfdl-ach-ccd-plus-rmr.ach": {payments: 9, warning: "check digit", strict: "check digit", check: func(t *testing.T, ps []engine.Payment) {
		p := byTrace(t, ps, "021101100001681")
		equalStrings(t, "681 references", refStrings(p.Remittance.References),
			[]string{"invoice OI 0140611 paid=-1170.49 due=25.00 discount=1170.36"})
		wantWarning(t, p, "the RMR amounts paid come to -1170.49, the entry is 375.00")
		p = byTrace(t, ps, "021101100001682")
		equalStrings(t, "682 references", refStrings(p.Remittance.References), []string{"other ADG 504058968"})
	}},
	"dfdl-ach-ctx-edi820-3batches.ach": {payments: 3, warning: "ImmediateOrigin", strict: "ImmediateOrigin", check: func(t *testing.T, ps []engine.Payment) {
		for _, trace := range []string{"011000132000001", "011000132000002"} {
			p := byTrace(t, ps, trace)
			equalStrings(t, trace, refStrings(p.Remittance.References), []string{
				"invoice OI 0140611 paid=11730.00 due=1170.00 discount=0.00",
				"invoice OI 0140611 paid=56376.97 due=57503.64 discount=1126.67",
				"invoice OI 0140845 paid=57791.46 due=58970.88 discount=1179.42",
			})
			wantWarning(t, p, "come to 125898.43, the entry is 112998.43")
		}
		p := byTrace(t, ps, "121000352000003")
		refs := refStrings(p.Remittance.References)
		if !contains(refs, "invoice IV MP42006Q22000407 paid=2785931.29 due=2785931.29 discount=0.00") || !contains(refs, "other X9 0000000468685019") {
			t.Errorf("references %q", refs)
		}
		if len(p.Warnings) != 0 || p.PayerAccount != "1233229195" || p.PayerBank != "121000358" {
			t.Errorf("warnings %q, payer account %q bank %q", p.Warnings, p.PayerAccount, p.PayerBank)
		}
	}},
	"dfdl-ach-ctx-edi820-nolines.ach": {payments: 1, check: func(t *testing.T, ps []engine.Payment) {
		checkTRN(t, ps)
		if ps[0].Source != "dfdl-ach-ctx-edi820-nolines.ach:3" {
			t.Errorf("source %q, want record 3", ps[0].Source)
		}
	}},
	"dfdl-ach-ctx-edi820-trn.ach":               {payments: 1, check: checkTRN},
	"dfdl-ach-ppd-contested-dishonored-r72.ach": {payments: 1, check: wantReturn("R72", "600.00")},
	"dfdl-ach-ppd-dishonored-return-r68.ach":    {payments: 1, check: wantReturn("R68", "600.00")},
	"dfdl-ach-ppd-return-r01.ach":               {payments: 1, check: wantReturn("R01", "600.00")},
	"dwilkins-ach-ctx-iso20022-xml-remittance.ach": {payments: 2, warning: "not UTF-8", strict: "ImmediateOrigin", check: func(t *testing.T, ps []engine.Payment) {
		if !strings.Contains(ps[0].Remittance.Text(), "<Nb>7321239</Nb>") || !strings.Contains(ps[1].Remittance.Text(), "<Nb>13361023</Nb>") {
			t.Errorf("XML remittance not joined: %q", ps[0].Remittance.Text())
		}
		equalStrings(t, "ISO 20022 references", refStrings(ps[0].Remittance.References), []string{
			"invoice CINV 7321239 paid=953.19 due=953.19 date=2014-06-03",
			"other CdtrRefInf 24305",
			"other VCHR 7321511 paid=7036.54 date=2014-07-03",
			"other CdtrRefInf 24333",
		})
		var docs []string
		for _, ref := range ps[1].Remittance.References {
			if ref.Qualifier != "CdtrRefInf" {
				docs = append(docs, ref.Value+" "+ref.Amount.String())
			}
		}
		equalStrings(t, "second entry's documents", docs, []string{"13334567 7251.52", "13357893 6637.61", "13361023 7360.41"})
		for _, p := range ps {
			if len(p.Warnings) != 0 {
				t.Errorf("%s: warnings %q (the RmtdAmt amounts add up)", p.Source, p.Warnings)
			}
		}
	}},
	"dwilkins-ach-ppd-prenotes.ach": {payments: 8, check: func(t *testing.T, ps []engine.Payment) {
		for _, p := range ps {
			if p.Status != engine.Informational || !p.Amount.IsZero() || (p.TypeCode != "PPD 23" && p.TypeCode != "PPD 33") {
				t.Errorf("prenote %s: %s %s %s", p.Source, p.Status, p.Amount, p.TypeCode)
			}
		}
	}},
	"dwilkins-ach-return-noc-mixed.ach": {payments: 3, warning: "ODFIIdentificationField", strict: "ImmediateDestination", check: func(t *testing.T, ps []engine.Payment) {
		wantNOC("C05", "other transaction_code 32")(t, ps[:1])
		wantReturn("R07", "25.36")(t, ps[1:2])
		wantReturn("R03", "24.17")(t, ps[2:])
	}},
	"moov-ach-atx-ack.ach": {payments: 2, check: func(t *testing.T, ps []engine.Payment) {
		for i, p := range ps {
			want := fmt.Sprintf("03130001000000%d", i+1)
			if p.Status != engine.Informational || p.OriginalRef != want || !p.Amount.IsZero() {
				t.Errorf("ATX %d: %s %q %s", i, p.Status, p.OriginalRef, p.Amount)
			}
		}
		equalStrings(t, "ATX lines", ps[1].Remittance.Lines, []string{"Credit account 1 for leadership", "Credit account 2 for leadership"})
	}},
	"moov-ach-ccd-debit.ach": {payments: 2, check: func(t *testing.T, ps []engine.Payment) {
		if ps[0].EndToEndID != "location1234567" || ps[0].BankRef != "031300010000001" || ps[1].EndToEndID != "Fee123456789012" {
			t.Errorf("entries %q %q %q", ps[0].EndToEndID, ps[0].BankRef, ps[1].EndToEndID)
		}
	}},
	"moov-ach-ccd-txp-tax.ach": {payments: 1, warning: "effective entry date", strict: "effective entry date", check: func(t *testing.T, ps []engine.Payment) {
		if ps[0].Remittance.Text() != "TXP*123456789*941*250901*941*12345*1*1000*2*500***VER" || !ps[0].Amount.Equal(amt("123.45")) {
			t.Errorf("TXP %q %s", ps[0].Remittance.Text(), ps[0].Amount)
		}
	}},
	"moov-ach-contested-dishonored-return.ach": {payments: 1, check: func(t *testing.T, ps []engine.Payment) {
		wantReturn("R71", "1000000.00")(t, ps)
		if len(ps[0].Remittance.Lines) != 3 || !strings.HasPrefix(ps[0].Remittance.Lines[1], "dishonored return R68") {
			t.Errorf("lines %q", ps[0].Remittance.Lines)
		}
	}},
	"moov-ach-cor-c01.ach": {payments: 1, check: wantNOC("C01", "other account_number 1918171614")},
	"moov-ach-ctx-debit.ach": {payments: 1, check: func(t *testing.T, ps []engine.Payment) {
		equalStrings(t, "lines", ps[0].Remittance.Lines, []string{"Debit First Account", "Debit Second Account"})
		if ps[0].Direction != engine.Debit || !ps[0].Amount.Equal(amt("1000000.00")) {
			t.Errorf("%s %s", ps[0].Direction, ps[0].Amount)
		}
	}},
	"moov-ach-extended-ascii.ach": {payments: 6, warning: "non alphanumeric", strict: "non alphanumeric"},
	"moov-ach-iat-mixed.ach": {payments: 2, check: func(t *testing.T, ps []engine.Payment) {
		if ps[0].BankRef != "231380100000001" || ps[0].Direction != engine.Debit || ps[1].BankRef != "231380100000002" || ps[1].Direction != engine.Credit {
			t.Errorf("IAT entries %+v", ps)
		}
		p := ps[0]
		if !p.Amount.Equal(amt("1000.00")) || p.PayerName != "BEK Solutions" || p.PayerBank != "231380104" ||
			p.Remittance.Text() != "This is an international payment" || p.TypeCode != "IAT 27" {
			t.Errorf("IAT payment %+v", p)
		}
	}},
	"moov-ach-ppd-mixed.ach": {payments: 3},
	"moov-ach-ppd-no-newlines.ach": {payments: 1, warning: "filler records missing", strict: "filler records missing", check: func(t *testing.T, ps []engine.Payment) {
		if ps[0].Source != "moov-ach-ppd-no-newlines.ach:3" || !ps[0].Amount.Equal(amt("105.00")) {
			t.Errorf("%q %s", ps[0].Source, ps[0].Amount)
		}
	}},
	"moov-ach-return-ppd-r97-custom.ach": {payments: 1, warning: "R97", strict: "shorter than 94", check: wantReturn("R97", "1061.61")},
	"moov-ach-return-web-r01-r03.ach": {payments: 2, check: func(t *testing.T, ps []engine.Payment) {
		wantReturn("R01", "123.54")(t, ps[:1])
		wantReturn("R03", "45.65")(t, ps[1:])
	}},
	"moov-ach-short-lines.ach":        {payments: 1, warning: "shorter than 94", strict: "shorter than 94"},
	"moov-ach-two-micro-deposits.ach": {payments: 6},
	"orderfactory-ach-returns-web-ppd-cor.ach": {payments: 4, warning: "CompanyIdentification", strict: "check digit", check: func(t *testing.T, ps []engine.Payment) {
		if ps[1].BankRef != "053100302316300" || ps[2].PayerBank != "314074269" {
			t.Errorf("trace %q, original RDFI %q", ps[1].BankRef, ps[2].PayerBank)
		}
		wantNOC("C01", "other account_number 158659591416")(t, ps[3:])
	}},

	"invalid/comanage-ach-trimmed-lines.ach":         {payments: 1, warning: "shorter than 94", strict: "shorter than 94"},
	"invalid/dfdl-ach-ccd-bad-batch-record-type.ach": {refused: "2: entry: entry detail record outside a batch"},
	// moov-io/ach does not hold a CCD-style payment under WEB against the
	// rules, so the lenient reader warns only about a check digit; strict
	// mode refuses the file for that.
	"invalid/dfdl-ach-ccd-sec-web-mismatch.ach": {payments: 9, warning: "check digit", strict: "check digit"},
	"invalid/dfdl-ach-ppd-addenda-bad-file-counts.ach": {
		refused: "8: batch 2 control: does not add up: entry/addenda count: the record states 1, the entries add up to 2"},
	"invalid/dwilkins-ach-masked-sample.ach":           {refused: "1: the file does not start with a file header"},
	"invalid/moov-ach-20110729A-invalid.ach":           {refused: "293: file control: batch count: the record states 5, the file has 4 batches"},
	"invalid/moov-ach-20110805A-ppd-iat.ach":           {refused: "93: file control: batch count: the record states 5, the file has 4 batches"},
	"invalid/moov-ach-5-record-before-1.ach":           {refused: "1: the file does not start with a file header"},
	"invalid/moov-ach-8-record-after-9.ach":            {refused: "10: batch 2 control: file control before the batch control"},
	"invalid/moov-ach-bad-format-code.ach":             {payments: 4, warning: "FormatCode 9 is not 1", strict: "FormatCode 9 is not 1"},
	"invalid/moov-ach-ccd-prenote-bad-batch-count.ach": {refused: "5: file control: batch count: the record states 2, the file has 1 batches"},
	"invalid/moov-ach-fiserv-zero-file.ach":            {warning: "the file has no batches", strict: "shorter than 94"},
	"invalid/moov-ach-no-file-control.ach":             {refused: "29: file control: the file ends without a file control record"},
	"invalid/moov-ach-ppd-invalid-checkdigit.ach":      {payments: 1, warning: "check digit", strict: "shorter than 94"},
	"invalid/moov-ach-ppd-mixed-invalid.ach":           {payments: 2, warning: "ImmediateOrigin", strict: "ImmediateOrigin"},
	"invalid/moov-ach-return-no-batch-controls.ach":    {refused: "1: the file does not start with a file header"},
	"invalid/moov-ach-tel-reversal-nacha-sample.ach":   {payments: 2, warning: "does not allow debit", strict: "does not allow debit"},
}

// TestCorpus reads every ACH file of $CASHMATCH_CORPUS/ach in both modes and
// checks what EXPECTED.md states about it.
func TestCorpus(t *testing.T) {
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	dir := filepath.Join(root, "ach")
	files, _ := filepath.Glob(filepath.Join(dir, "*.ach"))
	invalid, _ := filepath.Glob(filepath.Join(dir, "invalid", "*.ach"))
	files = append(files, invalid...)
	if len(files) == 0 {
		t.Fatalf("no ACH files in %s", dir)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name, _ := filepath.Rel(dir, path)
		seen[name] = true
		tc, ok := corpusCases[name]
		if !ok {
			t.Errorf("%s: no expectation for this corpus file", name)
			continue
		}
		t.Run(name, func(t *testing.T) { tc.run(t, path) })
	}
	for name := range corpusCases {
		if !seen[name] {
			t.Errorf("%s: expected in the corpus but not found", name)
		}
	}
}

func (tc corpusCase) run(t *testing.T, path string) {
	ps, ws, err := readFile(t, path, false)
	switch {
	case tc.refused != "":
		if err == nil || !strings.Contains(err.Error(), filepath.Base(path)+":"+tc.refused) {
			t.Errorf("lenient: error %v, want %q", err, tc.refused)
		}
	case err != nil:
		t.Fatalf("lenient: %v", err)
	default:
		if len(ps) != tc.payments {
			t.Errorf("lenient: %d payments, want %d", len(ps), tc.payments)
		}
		if tc.warning != "" && !strings.Contains(strings.Join(ws, "\n"), tc.warning) {
			t.Errorf("lenient: warnings %q, want %q", ws, tc.warning)
		} else if tc.warning == "" && len(ws) > 0 {
			t.Errorf("lenient: unexpected warnings %q", ws)
		}
		checkTotals(t, path, ps)
		compareWithMoov(t, path, ps)
		if tc.check != nil {
			tc.check(t, ps)
		}
	}

	_, _, err = readFile(t, path, true)
	switch {
	case tc.refused != "" && err == nil:
		t.Errorf("strict accepted a file the lenient mode refuses")
	case tc.refused == "" && tc.strict == "" && err != nil:
		t.Errorf("strict: %v", err)
	case tc.strict != "" && (err == nil || !strings.Contains(err.Error(), tc.strict)):
		t.Errorf("strict: error %v, want %q", err, tc.strict)
	}
}

// checkTotals compares the payments with the totals the file control
// states: the debits and the credits, in cents.
func checkTotals(t *testing.T, path string, ps []engine.Payment) {
	t.Helper()
	data, _ := os.ReadFile(path)
	text := string(data)
	control := ""
	for i := 0; i+55 <= len(text); {
		end := strings.IndexAny(text[i:], "\r\n")
		if end < 0 || end > recordLen {
			end = recordLen
		}
		if rec := text[i:min(i+end, len(text))]; strings.HasPrefix(rec, "9") && !strings.HasPrefix(rec, "9999999999") {
			control = rec
		}
		i += end
		for i < len(text) && (text[i] == '\r' || text[i] == '\n') {
			i++
		}
	}
	if len(control) < 55 {
		t.Fatalf("no file control in %s", path)
	}
	var debit, credit int64
	for _, p := range ps {
		cents, ok := p.Amount.Minor()
		if !ok {
			t.Fatalf("%s: amount %s is not whole cents", p.Source, p.Amount)
		}
		if p.Direction == engine.Debit {
			debit += cents
		} else {
			credit += cents
		}
	}
	if got := fmt.Sprintf("%012d%012d", debit, credit); got != control[31:55] {
		t.Errorf("payments add up to debits and credits %s, the file control states %s", got, control[31:55])
	}
}

// compareWithMoov reads the file with moov-io/ach's own reader and, when it
// reads it without error, compares trace numbers, amounts and transaction
// codes entry by entry.
func compareWithMoov(t *testing.T, path string, ps []engine.Payment) {
	t.Helper()
	f, err := moov.ReadFile(path)
	if err != nil {
		return
	}
	var want []string
	for _, b := range f.Batches {
		for _, e := range b.GetEntries() {
			want = append(want, fmt.Sprintf("%s %d %02d", e.TraceNumber, e.Amount, e.TransactionCode))
		}
	}
	for _, b := range f.IATBatches {
		for _, e := range b.GetEntries() {
			want = append(want, fmt.Sprintf("%s %d %02d", e.TraceNumber, e.Amount, e.TransactionCode))
		}
	}
	var got []string
	for _, p := range ps {
		cents, _ := p.Amount.Minor()
		got = append(got, fmt.Sprintf("%s %d %s", p.BankRef, cents, p.TypeCode[len(p.TypeCode)-2:]))
	}
	equalStrings(t, "entries compared with moov-io/ach", got, want)
}

func checkTRN(t *testing.T, ps []engine.Payment) {
	p := ps[0]
	if p.BankRef != "710005050000002" || p.EndToEndID != "00XX-2330752902" || !p.Amount.Equal(amt("112998.43")) {
		t.Errorf("entry %q %q %s", p.BankRef, p.EndToEndID, p.Amount)
	}
	equalStrings(t, "references", refStrings(p.Remittance.References), []string{
		"other ZZ 333444555",
		"invoice OI 0140611 paid=11730.00 due=1170.00 discount=0.00",
		"invoice OI 0140611 paid=56376.97 due=57503.64 discount=1126.67",
		"invoice OI 0140845 paid=57791.46 due=58970.88 discount=1179.42",
	})
	wantWarning(t, p, "come to 125898.43, the entry is 112998.43")
}

func wantReturn(code, amount string) func(*testing.T, []engine.Payment) {
	return func(t *testing.T, ps []engine.Payment) {
		t.Helper()
		p := ps[0]
		if p.Status != engine.Return || p.ReturnReason != code || p.OriginalRef == "" || !p.Amount.Equal(amt(amount)) {
			t.Errorf("return %s: status %s reason %q original %q amount %s", p.Source, p.Status, p.ReturnReason, p.OriginalRef, p.Amount)
		}
	}
}

func wantNOC(code string, refs ...string) func(*testing.T, []engine.Payment) {
	return func(t *testing.T, ps []engine.Payment) {
		t.Helper()
		p := ps[0]
		if p.Status != engine.Informational || p.ReturnReason != code || p.OriginalRef == "" || !p.Amount.IsZero() {
			t.Errorf("NOC %s: status %s reason %q original %q amount %s", p.Source, p.Status, p.ReturnReason, p.OriginalRef, p.Amount)
		}
		equalStrings(t, "corrections", refStrings(p.Remittance.References), refs)
	}
}

func byTrace(t *testing.T, ps []engine.Payment, trace string) engine.Payment {
	t.Helper()
	for _, p := range ps {
		if p.BankRef == trace {
			return p
		}
	}
	t.Fatalf("no payment with trace %s", trace)
	return engine.Payment{}
}

func wantWarning(t *testing.T, p engine.Payment, want string) {
	t.Helper()
	if !contains(p.Warnings, want) {
		t.Errorf("%s: warnings %q, want one containing %q", p.Source, p.Warnings, want)
	}
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}
