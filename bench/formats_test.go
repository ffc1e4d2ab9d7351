package bench

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/moov-io/ach"
	bai2lib "github.com/moov-io/bai2/pkg/lib"
	"github.com/moov-io/iso20022/pkg/camt_v08"
	"github.com/moov-io/iso20022/pkg/document"
)

// filesOf returns the set's files of format f.
func filesOf(t *testing.T, f engine.Format) (string, []SetFile, map[string][]Truth) {
	t.Helper()
	dir, h := generated(t)
	var out []SetFile
	for _, sf := range h.Files {
		if sf.Format == f {
			out = append(out, sf)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s file in the set", f)
	}
	return dir, out, truthByFile(t, dir)
}

// TestBAI2_ReadsInMoov reads every BAI2 file with moov-io/bai2 and checks
// the details against the truth and every trailer against the records.
func TestBAI2_ReadsInMoov(t *testing.T) {
	dir, files, truth := filesOf(t, engine.FormatBAI2)
	for _, sf := range files {
		path := filepath.Join(dir, sf.Name)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		file := bai2lib.NewBai2()
		scan := bai2lib.NewBai2Scanner(f)
		err = file.Read(&scan)
		f.Close()
		if err == nil {
			err = file.Validate()
		}
		if err != nil {
			t.Fatalf("%s: moov-io/bai2: %v", sf.Name, err)
		}
		want := fileTotals(t, truth[sf.Name])
		got := map[engine.Currency]int64{}
		refs := map[string]bool{}
		var details int
		var fileTotal int64
		for _, g := range file.Groups {
			var groupTotal int64
			for _, a := range g.Accounts {
				sum, err := a.SumDetailAmounts()
				if err != nil || sum != a.AccountControlTotal {
					t.Errorf("%s: account %s control total %s, records add up to %s (%v)",
						sf.Name, a.AccountNumber, a.AccountControlTotal, sum, err)
				}
				groupTotal += minorString(t, a.AccountControlTotal)
				for _, d := range a.Details {
					details++
					got[engine.Currency(a.CurrencyCode)] += minorString(t, d.Amount)
					refs[d.BankReferenceNumber] = true
				}
			}
			if groupTotal != minorString(t, g.GroupControlTotal) || int(g.NumberOfAccounts) != len(g.Accounts) {
				t.Errorf("%s: group total %s over %d accounts; accounts add up to %d over %d",
					sf.Name, g.GroupControlTotal, g.NumberOfAccounts, groupTotal, len(g.Accounts))
			}
			fileTotal += groupTotal
		}
		if fileTotal != minorString(t, file.FileControlTotal) {
			t.Errorf("%s: file total %s, groups add up to %d", sf.Name, file.FileControlTotal, fileTotal)
		}
		if details != len(truth[sf.Name]) || !equalTotals(got, want) {
			t.Errorf("%s: %d details totalling %v; truth has %d totalling %v",
				sf.Name, details, got, len(truth[sf.Name]), want)
		}
		for _, tr := range truth[sf.Name] {
			if !refs[tr.Ref] {
				t.Errorf("%s: truth reference %s is no bank reference of the file", sf.Name, tr.Ref)
			}
		}
		checkBAI2Counts(t, path)
	}
}

// checkBAI2Counts counts the physical records of each account, group and
// the file, and compares them with the 49, 98 and 99 records.
func checkBAI2Counts(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var file, group, account int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rec := strings.TrimSuffix(sc.Text(), "/")
		fields := strings.Split(rec, ",")
		file++
		group++
		account++
		switch fields[0] {
		case "02":
			group = 1
		case "03":
			account = 1
		case "49":
			if fields[2] != itoa(account) {
				t.Errorf("%s:%d: account trailer counts %s records, the account has %d", path, file, fields[2], account)
			}
		case "98":
			if fields[3] != itoa(group) {
				t.Errorf("%s:%d: group trailer counts %s records, the group has %d", path, file, fields[3], group)
			}
		case "99":
			if fields[3] != itoa(file) {
				t.Errorf("%s:%d: file trailer counts %s records, the file has %d", path, file, fields[3], file)
			}
		}
		if len(sc.Text()) > bai2Record {
			t.Errorf("%s:%d: record of %d characters, the header declares %d", path, file, len(sc.Text()), bai2Record)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func equalTotals(a, b map[engine.Currency]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestACH_ReadsInMoov reads every NACHA file with moov-io/ach, validating
// it in full, and checks entries, returns and addenda against the truth.
func TestACH_ReadsInMoov(t *testing.T) {
	dir, files, truth := filesOf(t, engine.FormatACH)
	for _, sf := range files {
		f, err := os.Open(filepath.Join(dir, sf.Name))
		if err != nil {
			t.Fatal(err)
		}
		file, err := ach.NewReader(f).Read()
		f.Close()
		if err == nil {
			err = file.Validate()
		}
		if err != nil {
			t.Fatalf("%s: moov-io/ach: %v", sf.Name, err)
		}
		byRef := map[string]Truth{}
		for _, tr := range truth[sf.Name] {
			byRef[tr.Ref] = tr
		}
		var entries, ctx, returns int
		var credits int64
		for _, b := range file.Batches {
			for _, e := range b.GetEntries() {
				entries++
				credits += int64(e.Amount)
				tr, ok := byRef[e.TraceNumber]
				if !ok {
					t.Errorf("%s: entry %s is not in the truth", sf.Name, e.TraceNumber)
					continue
				}
				if e.Addenda99 != nil {
					returns++
					if tr.Kind != Return || e.Addenda99.OriginalTrace != tr.Original {
						t.Errorf("%s: return %s of %s; truth says %s of %s", sf.Name, e.TraceNumber,
							e.Addenda99.OriginalTrace, tr.Kind, tr.Original)
					}
				}
				if b.GetHeader().StandardEntryClassCode == ach.CTX {
					ctx++
					var text strings.Builder
					for _, a := range e.Addenda05 {
						text.WriteString(a.PaymentRelatedInformation)
					}
					if !strings.HasPrefix(text.String(), "ST*820*") || !strings.Contains(text.String(), "~SE*") {
						t.Errorf("%s: CTX entry %s carries no 820: %q", sf.Name, e.TraceNumber, text.String())
					}
				}
			}
		}
		want := fileTotals(t, truth[sf.Name])
		if entries != len(truth[sf.Name]) || credits != want["USD"] || int64(file.Control.TotalCreditEntryDollarAmountInFile) != credits {
			t.Errorf("%s: %d entries, %d cents (control %d); truth has %d, %v",
				sf.Name, entries, credits, file.Control.TotalCreditEntryDollarAmountInFile, len(truth[sf.Name]), want)
		}
		if ctx == 0 {
			t.Errorf("%s: no CTX entry", sf.Name)
		}
		if returns == 0 && sf.Name != files[0].Name {
			t.Errorf("%s: no return after the first day", sf.Name)
		}
	}
}

// TestCamt_ReadsInMoov decodes every camt.053 file with moov-io/iso20022 and
// checks entries, balances and the transaction summary against the truth.
func TestCamt_ReadsInMoov(t *testing.T) {
	dir, files, truth := filesOf(t, engine.FormatCamt053)
	for _, sf := range files {
		doc, err := document.ParseIso20022Document(readFile(t, filepath.Join(dir, sf.Name)))
		if err != nil {
			t.Fatalf("%s: moov-io/iso20022: %v", sf.Name, err)
		}
		// TODO: moov-io/iso20022's Validate treats alternative-choice
		// elements (Acct Id IBAN or Othr, Party40Choice) as all required and
		// rejects schema-valid files; the structure is checked here instead.
		msg, ok := doc.InspectMessage().(*camt_v08.BankToCustomerStatementV08)
		if !ok {
			t.Fatalf("%s: decoded as %T, want camt.053.001.08", sf.Name, doc.InspectMessage())
		}
		byRef := map[string]Truth{}
		for _, tr := range truth[sf.Name] {
			byRef[tr.Ref] = tr
		}
		var txs, batches int
		got := map[engine.Currency]int64{}
		for _, st := range msg.Stmt {
			cur := engine.Currency(*st.Acct.Ccy)
			var sum int64
			for _, n := range st.Ntry {
				entry := camtUnits(t, floatText(n.Amt.Value, cur), cur)
				sum += entry
				var inEntry int64
				for _, d := range n.NtryDtls {
					if d.Btch != nil {
						batches++
					}
					for _, tx := range d.TxDtls {
						txs++
						units := camtUnits(t, floatText(tx.Amt.Value, cur), cur)
						inEntry += units
						got[cur] += units
						ref := string(*tx.Refs.EndToEndId)
						if tr, ok := byRef[ref]; !ok || mustAmount(t, tr.Amount, tr.Currency).String() != engine.FromMinor(units, cur).String() {
							t.Errorf("%s: transaction %s for %d not in the truth as such", sf.Name, ref, units)
						}
					}
				}
				if inEntry != entry {
					t.Errorf("%s: entry %v of %d holds transactions of %d", sf.Name, n.AcctSvcrRef, entry, inEntry)
				}
			}
			checkCamtStatement(t, sf.Name, st, sum, cur)
		}
		if txs != len(truth[sf.Name]) || !equalTotals(got, fileTotals(t, truth[sf.Name])) {
			t.Errorf("%s: %d transactions totalling %v; truth has %d", sf.Name, txs, got, len(truth[sf.Name]))
		}
		if batches == 0 {
			t.Errorf("%s: no batch entry", sf.Name)
		}
	}
}

// checkCamtStatement compares a statement's balances and summary with the
// sum of its entries.
func checkCamtStatement(t *testing.T, name string, st camt_v08.AccountStatement9, sum int64, cur engine.Currency) {
	t.Helper()
	bal := map[string]int64{}
	for _, b := range st.Bal {
		bal[string(b.Tp.CdOrPrtry.Cd)] = camtUnits(t, floatText(b.Amt.Value, cur), cur)
	}
	if bal["CLBD"]-bal["OPBD"] != sum {
		t.Errorf("%s %s: closing %d less opening %d is not the entries' %d", name, st.Id, bal["CLBD"], bal["OPBD"], sum)
	}
	s := st.TxsSummry
	if s == nil || s.TtlNtries == nil || camtUnits(t, floatText(s.TtlNtries.Sum, cur), cur) != sum ||
		string(*s.TtlNtries.NbOfNtries) != itoa(len(st.Ntry)) {
		t.Errorf("%s %s: transaction summary disagrees with %d entries of %d", name, st.Id, len(st.Ntry), sum)
	}
}

// floatText formats an amount that moov-io/iso20022 decoded as a float64
// with the currency's digits; amounts below 2^53 minor units come back
// exactly.
func floatText(v float64, c engine.Currency) string {
	return strconv.FormatFloat(v, 'f', int(c.Digits()), 64)
}

func camtUnits(t *testing.T, s string, c engine.Currency) int64 {
	t.Helper()
	units, ok := mustAmount(t, s, c).Minor()
	if !ok {
		t.Fatalf("amount %s in %s", s, c)
	}
	return units
}

// TestProjectReaders_ReadEveryFile reads every file of the set with the
// project's own readers and joins each payment to its truth by reference.
// A format whose reader is not built yet is reported and skipped.
func TestProjectReaders_ReadEveryFile(t *testing.T) {
	dir, h := generated(t)
	truth := truthByFile(t, dir)
	for _, sf := range h.Files {
		st, ps, err := bankfile.ReadAll(filepath.Join(dir, sf.Name), nil)
		if err != nil && strings.Contains(err.Error(), "cannot be read yet") {
			t.Logf("%s: %v", sf.Name, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", sf.Name, err)
			continue
		}
		if st.Format != sf.Format {
			t.Errorf("%s: detected as %s, written as %s", sf.Name, st.Format, sf.Format)
		}
		byRef := map[string]Truth{}
		for _, tr := range truth[sf.Name] {
			byRef[tr.Ref] = tr
		}
		got := map[engine.Currency]int64{}
		for _, p := range ps {
			tr, ok := byRef[p.BankRef]
			if !ok {
				tr, ok = byRef[p.EndToEndID]
			}
			if !ok {
				t.Errorf("%s: payment at %s (bank ref %q, end to end %q) joins no truth", sf.Name, p.Source, p.BankRef, p.EndToEndID)
				continue
			}
			if want := mustAmount(t, tr.Amount, tr.Currency); !p.Amount.Equal(want) {
				t.Errorf("%s: payment %s is %s %s, truth %s %s", sf.Name, tr.Ref, p.Amount, p.Amount.Currency, want, want.Currency)
			}
			units, _ := p.Amount.Minor()
			got[p.Amount.Currency] += units
		}
		if len(ps) != sf.Payments || !equalTotals(got, fileTotals(t, truth[sf.Name])) {
			t.Errorf("%s: read %d payments totalling %v, the set has %d", sf.Name, len(ps), got, sf.Payments)
		}
	}
}
