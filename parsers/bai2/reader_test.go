package bai2

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// quirkOptions are the BAI2 options some hand-made cases are read with.
var quirkOptions = map[string]parsers.BAI2Options{
	"custom-codes.bai2":     {CustomCodes: map[string]parsers.BAI2Class{"930": parsers.BAI2DebitDetail}},
	"currency-cascade.bai2": {Currency: "CAD"},
}

// readQuirk reads testdata/quirks/name leniently and strictly.
func readQuirk(t *testing.T, name string) (lenient, strict result) {
	t.Helper()
	in, err := os.ReadFile(filepath.Join("testdata", "quirks", name))
	if err != nil {
		t.Fatal(err)
	}
	opts := &parsers.Options{BAI2: quirkOptions[name]}
	lenient = readAll(t, name, in, opts)
	opts.Strict = true
	strict = readAll(t, name, in, opts)
	return lenient, strict
}

// TestQuirks_Golden reads every hand-made case in both modes and compares
// the payments, warnings and refusals with its golden file.
func TestQuirks_Golden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "quirks", "*.bai2"))
	if len(files) == 0 {
		t.Fatal("no cases in testdata/quirks")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			lenient, strict := readQuirk(t, name)
			got := "# lenient\n" + lenient.render() + "# strict\n" + strict.render()
			golden := strings.TrimSuffix(f, ".bai2") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

// quirkFacts states, for each hand-made case, the facts that case exists
// for, independently of its golden file.
var quirkFacts = []struct {
	file  string
	check func(t *testing.T, lenient, strict result)
}{
	{"no-slash.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		p := l.payments[0]
		want(t, "amount", p.Amount.String(), "62.50")
		want(t, "customer ref", p.CustomerRef, "INV-2201")
		want(t, "text", lines(p), "ACME SUPPLY CO PAYMENT")
	}},
	{"crlf.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		want(t, "text", lines(l.payments[0]), "WIRE FROM GLOBEX | OBI:=INVOICE 10001")
	}},
	{"no-final-newline.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		want(t, "text", lines(l.payments[0]), "INITECH LLC")
	}},
	{"fixed-length.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		p := l.payments[0]
		want(t, "source", p.Source, "fixed-length.bai2:4")
		want(t, "text", lines(p), "UMBRELLA CORP PAYMENT FOR INVOICE 30017 AND | INVOICE 30018")
		want(t, "references", refValues(p), "invoice:30017 invoice:30018")
	}},
	{"records-on-one-line.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 3)
		var got []string
		for _, p := range l.payments {
			got = append(got, p.Source+"="+p.Amount.String()+" "+p.Direction.String())
		}
		want(t, "payments", strings.Join(got, ", "), "records-on-one-line.bai2:2=1.00 credit, "+
			"records-on-one-line.bai2:2=2.50 credit, records-on-one-line.bai2:3=0.75 debit")
	}},
	{"continuation-split.bai2", func(t *testing.T, l, s result) {
		// The trailer reconciles only if the summary entry split over the
		// 03 and its 88 is read as one (type 100, amount 60000).
		accepted(t, l, s, 2)
		p, q := l.payments[0], l.payments[1]
		want(t, "first refs", p.BankRef+" "+p.CustomerRef, "LBX0001 CUST77")
		want(t, "first text", lines(p), "LOCKBOX DEPOSIT | BATCH 12 OF | 14 ITEMS")
		want(t, "second refs", q.BankRef+" "+q.CustomerRef, "FW0002 CUST78")
		want(t, "second text", lines(q), "INCOMING WIRE")
	}},
	{"funds-types.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 9)
		var got []string
		for _, p := range l.payments {
			got = append(got, p.BankRef+"="+p.ValueDate.String())
		}
		want(t, "value dates", strings.Join(got, " "), "A1=2026-03-01 A2=2026-03-01 A3=2026-03-01 "+
			"A4=2026-03-01 A5=2026-03-03 A6=2026-03-04 A7=2026-03-01 A8=2026-03-01 A9=2026-03-01")
		want(t, "S amount", l.payments[6].Amount.String(), "160.00")
		want(t, "D amount", l.payments[7].Amount.String(), "70.00")
		want(t, "defaulted funds type direction", l.payments[8].Direction.String(), "debit")
	}},
	{"defaulted-fields.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 3)
		want(t, "currency", string(l.payments[0].Amount.Currency), "USD")
		want(t, "empty refs and text", l.payments[0].BankRef+l.payments[0].CustomerRef+lines(l.payments[0]), "")
		want(t, "customer ref from 88", l.payments[1].CustomerRef, "CUST-ONLY")
		want(t, "text after defaulted refs", lines(l.payments[2]), "TEXT AFTER DEFAULTED REFERENCES")
	}},
	{"text-commas-slashes.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		p := l.payments[0]
		want(t, "text", lines(p), "WIRE, FROM: STARK INDUSTRIES, REF 08/18/26 | ORG:=STARK INDUSTRIES INC | "+
			"ORG ADDRESS:=2/AV MAIN 2/AVENUE, SUITE 4/B | /MEXICO CITY, MX | OBI:=INV 5512/A, INV 5513; PO 98-1")
		want(t, "payer", p.PayerName, "STARK INDUSTRIES INC")
		want(t, "references", refValues(p), "invoice:5512/A invoice:5513 po:98-1")
	}},
	{"jpy-bhd.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 2)
		want(t, "JPY", l.payments[0].Amount.String()+" "+string(l.payments[0].Amount.Currency), "125000 JPY")
		want(t, "BHD", l.payments[1].Amount.String()+" "+string(l.payments[1].Amount.Currency), "1.500 BHD")
	}},
	{"currency-cascade.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 3)
		var got []string
		for _, p := range l.payments {
			got = append(got, string(p.Amount.Currency))
		}
		want(t, "currencies (file default CAD, group EUR, account GBP)", strings.Join(got, " "), "CAD EUR GBP")
	}},
	{"signed-trailers.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
	}},
	{"custom-codes.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 3)
		var got []string
		for _, p := range l.payments {
			got = append(got, p.TypeCode+"="+p.Direction.String())
		}
		want(t, "directions", strings.Join(got, " "), "951=credit 975=debit 930=debit")
		if len(l.payments[0].Warnings) != 1 || len(l.payments[2].Warnings) != 0 {
			t.Errorf("an unconfigured custom code should warn, a configured one not: %q / %q",
				l.payments[0].Warnings, l.payments[2].Warnings)
		}
	}},
	{"wrapped-line.bai2", func(t *testing.T, l, s result) {
		if l.err != nil || len(l.payments) != 1 || len(l.payments[0].Warnings) != 1 {
			t.Fatalf("lenient: want 1 payment with 1 warning, got %d, %v", len(l.payments), l.err)
		}
		want(t, "text", lines(l.payments[0]), "PAYMENT FROM HOOLI INC      INVOICE | 20551 AND 20552 | SETTLED")
		refused(t, s, 5, "16", "no record code")
	}},
	{"convention-details-only.bai2", func(t *testing.T, l, s result) {
		conventional(t, l, s, "control total 6000 is the sum of the 16 detail amounts")
	}},
	{"convention-count-without-88.bai2", func(t *testing.T, l, s result) {
		conventional(t, l, s, "leaves out the 2 continuation (88) records")
	}},
	{"lost-record.bai2", func(t *testing.T, l, s result) {
		refused(t, l, 6, "49", "records were lost")
		refused(t, s, 6, "49", "control total 19000 does not match the records, whose amounts sum to 12000")
	}},
	{"changed-amount.bai2", func(t *testing.T, l, s result) {
		refused(t, l, 6, "49", "an amount was changed")
		refused(t, s, 6, "49", "control total 12000 does not match the records, whose amounts sum to 12100")
	}},
	{"truncated.bai2", func(t *testing.T, l, s result) {
		refused(t, l, 4, "", "no 49 account trailer")
		refused(t, s, 4, "", "no 49 account trailer")
	}},
	{"unreconciled-trailers.bai2", func(t *testing.T, l, s result) {
		if l.err != nil || len(l.warnings) != 3 {
			t.Errorf("lenient: want acceptance with 3 warnings, got %v, %q", l.err, l.warnings)
		}
		refused(t, s, 5, "49", "control total 90000 does not match")
	}},
	{"slash-in-reference.bai2", func(t *testing.T, l, s result) {
		// "/01," inside a reference must not read as the start of a 01
		// record.
		if l.err != nil || len(l.payments) != 1 || len(l.payments[0].Warnings) != 1 {
			t.Fatalf("lenient: want 1 payment with a warning, got %d, %v", len(l.payments), l.err)
		}
		want(t, "customer ref", l.payments[0].CustomerRef, "ORDER 2024/01")
		want(t, "end-to-end id", l.payments[0].EndToEndID, "ORDER 2024/01")
		refused(t, s, 4, "16", `contains "/"`)
	}},
	{"blank-lines.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 1)
		want(t, "text", lines(l.payments[0]), "BLANK LINES AROUND | AND TRAILING BLANKS")
		want(t, "source", l.payments[0].Source, "blank-lines.bai2:7")
	}},
	{"type-codes.bai2", func(t *testing.T, l, s result) {
		if l.err != nil || len(l.payments) != 8 {
			t.Fatalf("lenient: got %d payments, %v; want 8", len(l.payments), l.err)
		}
		var got []string
		for _, p := range l.payments {
			got = append(got, p.TypeCode+"="+p.Direction.String()+"/"+p.Status.String())
		}
		want(t, "classes", strings.Join(got, " "), "890=credit/info 257=credit/return 555=debit/return "+
			"258=credit/reversal 104=credit/booked 110=credit/booked 015=credit/info 800=credit/info")
		for i, n := range []int{0, 0, 0, 0, 0, 1, 1, 1} {
			if len(l.payments[i].Warnings) != n {
				t.Errorf("%s: warnings %q, want %d", l.payments[i].TypeCode, l.payments[i].Warnings, n)
			}
		}
		refused(t, s, 9, "16", "type code 110 is a summary code")
	}},
	{"group-status.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 2)
		want(t, "test group", l.payments[0].Status.String(), "info")
		want(t, "correction group", l.payments[1].Status.String(), "booked")
	}},
	{"keyed-text.bai2", func(t *testing.T, l, s result) {
		accepted(t, l, s, 5)
		wire, ach, gs, ret, out := l.payments[0], l.payments[1], l.payments[2], l.payments[3], l.payments[4]
		want(t, "wire payer", wire.PayerName, "SOYLENT CORP")
		want(t, "wire invoices", refValues(wire), "invoice:40017 invoice:40018 invoice:40019")
		want(t, "ACH payer", ach.PayerName+" "+ach.PayerID, "WAYNE ENTERPRISES 1234567890")
		want(t, "ACH RMR", refValues(ach), "invoice:50021=1200.50")
		want(t, "GS payer", gs.PayerName+" / "+gs.PayerAccount+" / "+gs.PayerBank,
			"CYBERDYNE SYSTEMS CORP / 8348572423 / CITIUS33XXX")
		want(t, "GS end-to-end and RF", gs.EndToEndID+" "+refValues(gs), "E2E-77 rf:RF18539007547034")
		want(t, "return", ret.Status.String()+" "+ret.ReturnReason+" "+ret.OriginalRef, "return R02 021000080000030")
		want(t, "debit has no payer", out.PayerName, "")
	}},
}

func TestQuirks_Facts(t *testing.T) {
	for _, c := range quirkFacts {
		t.Run(c.file, func(t *testing.T) {
			l, s := readQuirk(t, c.file)
			c.check(t, l, s)
		})
	}
}

func want(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// accepted checks that both modes accept the file without file warnings and
// give n payments.
func accepted(t *testing.T, l, s result, n int) {
	t.Helper()
	for mode, r := range map[string]result{"lenient": l, "strict": s} {
		if r.err != nil || len(r.warnings) > 0 || len(r.payments) != n {
			t.Fatalf("%s: got %d payments, warnings %q, error %v; want %d payments, accepted cleanly",
				mode, len(r.payments), r.warnings, r.err, n)
		}
	}
}

// conventional checks a trailer that follows a known bank convention: a
// warning when lenient, a refusal when strict.
func conventional(t *testing.T, l, s result, msg string) {
	t.Helper()
	if l.err != nil || len(l.warnings) == 0 || !strings.Contains(l.warnings[0], msg) {
		t.Errorf("lenient: got %v, %q; want acceptance warning %q", l.err, l.warnings, msg)
	}
	if s.err == nil || !strings.Contains(s.err.Error(), msg) {
		t.Errorf("strict: got %v; want refusal %q", s.err, msg)
	}
}

// refused checks that r was refused at line and record with msg.
func refused(t *testing.T, r result, line int, record, msg string) {
	t.Helper()
	if r.err == nil {
		t.Fatalf("accepted; want refusal at line %d: %s", line, msg)
	}
	pe := parseError(t, r.err)
	if pe.Line != line || pe.Record != record || !strings.Contains(pe.Error(), msg) {
		t.Errorf("refused with %q (line %d, record %q); want line %d, record %q, %q",
			pe.Error(), pe.Line, pe.Record, line, record, msg)
	}
}

// refValues lists the references of p as kind:value[=amount].
func refValues(p engine.Payment) string {
	var s []string
	for _, r := range p.Remittance.References {
		v := r.Kind.String() + ":" + r.Value
		if r.HasAmount() {
			v += "=" + r.Amount.String()
		}
		s = append(s, v)
	}
	return strings.Join(s, " ")
}

// TestReader_AllocationsPerDetailAreConstant reads generated files of 1000,
// 2000 and 3000 details: each thousand more details costs the same, small
// number of allocations, whatever the size of the file.
func TestReader_AllocationsPerDetailAreConstant(t *testing.T) {
	var allocs [3]float64
	for i := range allocs {
		file, n := generate(1, 1, 1000*(i+1))
		allocs[i] = testing.AllocsPerRun(3, func() {
			if res := readAll(t, "gen.bai2", file, nil); res.err != nil || len(res.payments) != n {
				t.Fatalf("read %d of %d details: %v", len(res.payments), n, res.err)
			}
		})
	}
	// readAll's own slice of payments grows by doubling: about log2(n)
	// allocations, which the bounds below allow for.
	first, second := (allocs[1]-allocs[0])/1000, (allocs[2]-allocs[1])/1000
	t.Logf("allocations: %v; per detail: %.2f, %.2f", allocs, first, second)
	if first > 6 || second > 6 || first-second > 0.5 || second-first > 0.5 {
		t.Errorf("allocations per detail %.2f then %.2f: want at most 6, the same for every thousand", first, second)
	}
}

// TestReader_Refusals reads broken files: each is refused in both modes with
// a *parsers.ParseError naming the file, the line and the record.
func TestReader_Refusals(t *testing.T) {
	const head = "01,A,B,260302,0700,1,,,2/\n02,B,A,1,260301,2400,USD,2/\n03,1,USD,,,,/\n"
	const tail = "49,100,3/\n98,100,1,5/\n99,100,1,7/\n"
	cases := []struct {
		name, in string
		line     int
		record   string
		msg      string
	}{
		{"empty file", "", 0, "", "no 01 file header"},
		{"blank file", "\n  \n", 2, "", "no 01 file header"},
		{"unknown record type", "01,A,B,260302,0700,1,,,2/\n77,oops/\n", 2, "77", "unknown record type 77"},
		{"continuation first", "88,TEXT/\n", 1, "88", "no record to continue"},
		{"text first", "HELLO\n", 1, "", "does not start with a BAI2 record code"},
		{"detail before account", "01,A,B,260302,0700,1,,,2/\n02,B,A,1,260301,,USD,2/\n16,165,100,0,,,X/\n",
			3, "16", "where a 03 account identifier or the 98 group trailer was expected"},
		{"group without file header", "02,B,A,1,260301,,USD,2/\n", 1, "02", "where the 01 file header was expected"},
		{"record after file trailer", head + "16,165,100,0,,,X/\n" + tail + "16,165,1,0,,,Y/\n", 8, "16",
			"after the 99 file trailer"},
		{"second file header", head + "01,A,B,260302,0700,1,,,2/\n", 4, "01", "01 file header where"},
		{"type code of two digits", head + "16,16,100,0,,,X/\n" + tail, 4, "16", "type code \"16\" is not three digits"},
		{"amount not a number", head + "16,165,1O0,0,,,X/\n" + tail, 4, "16", "amount \"1O0\" is not"},
		{"negative detail amount", head + "16,165,-100,0,,,X/\n" + tail, 4, "16", "amount \"-100\" is not"},
		{"unknown funds type", head + "16,165,100,X,,,X/\n" + tail, 4, "16", "funds type \"X\""},
		{"distribution longer than the record", head + "16,165,100,D,5,0,100/\n" + tail, 4, "16",
			"announces 5 distributions"},
		{"currency not ISO 4217", "01,A,B,260302,0700,1,,,2/\n02,B,A,1,260301,,USD,2/\n03,1,XYZ,,,,/\n", 3, "03",
			"currency code \"XYZ\" is not an ISO 4217 code"},
		{"account without number", "01,A,B,260302,0700,1,,,2/\n02,B,A,1,260301,,USD,2/\n03,,USD,/\n", 3, "03",
			"no account number"},
		{"summary without type code", "01,A,B,260302,0700,1,,,2/\n02,B,A,1,260301,,USD,2/\n03,1,USD,,100,,/\n",
			3, "03", "type code \"\" is not three digits"},
		{"trailer total not a number", head + "16,165,100,0,,,X/\n49,1OO,3/\n", 5, "49", "control total \"1OO\""},
		{"line longer than 1 MiB", head + "16,165,100,0,,," + strings.Repeat("X", maxLine+1) + "\n" + tail, 4, "",
			"longer than 1 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				res := readAll(t, "broken.bai2", []byte(c.in), &parsers.Options{Strict: strict})
				if res.err == nil {
					t.Fatalf("strict=%v: accepted", strict)
				}
				pe := parseError(t, res.err)
				if pe.File != "broken.bai2" || pe.Line != c.line || pe.Record != c.record ||
					!strings.Contains(pe.Error(), c.msg) {
					t.Errorf("strict=%v: got %q (line %d, record %q); want line %d, record %q, %q",
						strict, pe.Error(), pe.Line, pe.Record, c.line, c.record, c.msg)
				}
			}
		})
	}
}

// TestReader_OptionsAreChecked refuses custom codes outside 900-999 and an
// unknown default currency before reading anything.
func TestReader_OptionsAreChecked(t *testing.T) {
	for _, o := range []parsers.BAI2Options{
		{CustomCodes: map[string]parsers.BAI2Class{"450": parsers.BAI2CreditDetail}},
		{CustomCodes: map[string]parsers.BAI2Class{"95": parsers.BAI2CreditDetail}},
		{CustomCodes: map[string]parsers.BAI2Class{"950": parsers.BAI2Unknown}},
		{Currency: "XXY"},
	} {
		res := readAll(t, "x.bai2", []byte("01,A,B,260302,0700,1,,,2/\n"), &parsers.Options{BAI2: o})
		if res.err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}
