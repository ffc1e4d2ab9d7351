package bench

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/invoices"
)

// testSet is one generated set shared by the tests of this package: several
// days, every format, every kind.
var testSet struct {
	once sync.Once
	dir  string
	h    TruthHeader
	err  error
}

func testConfig(out string) GenConfig {
	return GenConfig{Seed: 7, Customers: 300, Invoices: 6000, Payments: 2700, PaymentsPerDay: 900, Out: out}
}

// generated returns the shared set, generating it on first use.
func generated(t testing.TB) (string, TruthHeader) {
	t.Helper()
	testSet.once.Do(func() {
		dir, err := os.MkdirTemp("", "cashmatch-bench-test-")
		if err != nil {
			testSet.err = err
			return
		}
		testSet.dir = dir
		testSet.h, testSet.err = Generate(context.Background(), testConfig(dir))
	})
	if testSet.err != nil {
		t.Fatal(testSet.err)
	}
	return testSet.dir, testSet.h
}

func TestMain(m *testing.M) {
	code := m.Run()
	if testSet.dir != "" {
		os.RemoveAll(testSet.dir)
	}
	os.Exit(code)
}

func TestGenerate_SameSeedSameBytes(t *testing.T) {
	dir, _ := generated(t)
	again := t.TempDir()
	if _, err := Generate(context.Background(), testConfig(again)); err != nil {
		t.Fatal(err)
	}
	if got, want := digestDir(t, again), digestDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("a second run with the same seed wrote other files:\n got %q\nwant %q", got, want)
	}
	other := testConfig(t.TempDir())
	other.Seed = 8
	if _, err := Generate(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(digestDir(t, other.Out), digestDir(t, dir)) {
		t.Error("another seed wrote the same files")
	}
}

// digestDir returns "name sha256" for each file of dir, in name order.
func digestDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %x", e.Name(), sha256.Sum256(b)))
	}
	return out
}

func TestGenerate_EveryKindAndFormat(t *testing.T) {
	_, h := generated(t)
	for _, k := range Kinds() {
		if h.Kinds[k.String()] == 0 {
			t.Errorf("no payment of kind %s in %v", k, h.Kinds)
		}
	}
	formats := map[engine.Format]int{}
	var payments int
	for _, f := range h.Files {
		formats[f.Format]++
		payments += f.Payments
	}
	if len(formats) != 3 || formats[engine.FormatBAI2] != 3 {
		t.Errorf("files by format %v, want 3 days of bai2, camt.053 and ach", formats)
	}
	if payments != 2700 {
		t.Errorf("files hold %d payments, want 2700", payments)
	}
}

// TestTruth_Consistent checks truth.json against invoices.csv: money is
// conserved, no invoice is paid beyond its open amount, every exception is
// an engine reason, every reference is unique within its file.
func TestTruth_Consistent(t *testing.T) {
	dir, h := generated(t)
	f, err := os.Open(filepath.Join(dir, InvoicesFile))
	if err != nil {
		t.Fatal(err)
	}
	invs, err := invoices.Read(f)
	f.Close()
	if err != nil {
		t.Fatalf("invoices.csv does not read in the project's reader: %v", err)
	}
	if len(invs) != 6000 {
		t.Fatalf("invoices.csv holds %d invoices, want 6000", len(invs))
	}
	open := map[string]engine.Amount{}
	customer := map[string]engine.CustomerID{}
	for _, inv := range invs {
		open[string(inv.ID)] = inv.Open
		customer[string(inv.ID)] = inv.Customer
	}
	reasons := map[string]bool{}
	for _, r := range engine.Reasons() {
		reasons[r.String()] = true
	}
	refs := map[string]bool{}
	n := 0
	_, err = ReadTruth(filepath.Join(dir, TruthFile), func(tr Truth) error {
		n++
		key := tr.File + " " + tr.Ref
		if tr.Ref == "" || refs[key] {
			t.Errorf("payment %d: reference %q empty or not unique in %s", n, tr.Ref, tr.File)
		}
		refs[key] = true
		amount := mustAmount(t, tr.Amount, tr.Currency)
		if amount.Sign() <= 0 {
			t.Errorf("%s: amount %s is not positive", key, tr.Amount)
		}
		switch tr.Expect {
		case ExpectException:
			if !reasons[tr.Exception] || len(tr.Allocations) > 0 {
				t.Errorf("%s: exception %q with %d allocations", key, tr.Exception, len(tr.Allocations))
			}
			return nil
		case ExpectApply:
		default:
			t.Errorf("%s: expect %q", key, tr.Expect)
			return nil
		}
		sum := engine.Zero(tr.Currency)
		if tr.OnAccount != "" {
			sum = mustAmount(t, tr.OnAccount, tr.Currency)
		}
		for _, a := range tr.Allocations {
			v := mustAmount(t, a.Amount, tr.Currency)
			sum = sum.Add(v)
			open[a.Invoice] = open[a.Invoice].Sub(v)
			if string(customer[a.Invoice]) != tr.Customer {
				t.Errorf("%s: invoice %s belongs to %s, payment to %s", key, a.Invoice, customer[a.Invoice], tr.Customer)
			}
		}
		for _, a := range tr.Adjustments {
			open[a.Invoice] = open[a.Invoice].Sub(mustAmount(t, a.Amount, tr.Currency))
		}
		if !sum.Equal(amount) {
			t.Errorf("%s: allocations and on account add up to %s, amount %s", key, sum, amount)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != h.Set.Payments {
		t.Errorf("truth.json lists %d payments, header says %d", n, h.Set.Payments)
	}
	for _, inv := range invs {
		left := open[string(inv.ID)]
		if left.Sign() != 0 && left.Sign() != inv.Amount.Sign() {
			t.Errorf("invoice %s is paid beyond its open amount: %s left", inv.ID, left)
		}
	}
}

func mustAmount(t testing.TB, s string, c engine.Currency) engine.Amount {
	t.Helper()
	a, err := engine.ParseAmount(s, c)
	if err != nil {
		t.Fatalf("amount %q in %s: %v", s, c, err)
	}
	return a
}

// truthByFile groups the truth by bank file.
func truthByFile(t *testing.T, dir string) map[string][]Truth {
	t.Helper()
	out := map[string][]Truth{}
	if _, err := ReadTruth(filepath.Join(dir, TruthFile), func(tr Truth) error {
		out[tr.File] = append(out[tr.File], tr)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// fileTotals sums truth amounts by currency in minor units.
func fileTotals(t *testing.T, ts []Truth) map[engine.Currency]int64 {
	out := map[engine.Currency]int64{}
	for _, tr := range ts {
		units, ok := mustAmount(t, tr.Amount, tr.Currency).Minor()
		if !ok {
			t.Fatalf("%s: amount %s", tr.Ref, tr.Amount)
		}
		out[tr.Currency] += units
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// minorString parses a minor-unit integer string as written in BAI2.
func minorString(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

// demoConfig is how testdata/demo is made: `make demo-data`.
func demoConfig(out string) GenConfig {
	return GenConfig{Seed: 1, Customers: 40, Invoices: 500, Payments: 300, PaymentsPerDay: 150, Out: out}
}

// TestDemoData_IsGenerated checks that the bundled demo data is what the
// generator writes, so that it can be made again after a change to the
// generator (make demo-data) and its truth.json stays true.
func TestDemoData_IsGenerated(t *testing.T) {
	fresh := t.TempDir()
	if _, err := Generate(context.Background(), demoConfig(fresh)); err != nil {
		t.Fatal(err)
	}
	demo := filepath.Join("..", "testdata", "demo")
	if got, want := digestDir(t, demo), digestDir(t, fresh); !slices.Equal(got, want) {
		t.Errorf("testdata/demo is not what the generator writes now; run make demo-data\n got %q\nwant %q", got, want)
	}
}
