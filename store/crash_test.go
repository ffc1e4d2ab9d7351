package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
)

// crashSize is how large a crash test runs: small in every test run, large
// when CASHMATCH_CRASH_LARGE is set.
type crashSize struct {
	payments, kills, commitSize int
}

func crashSizeFromEnv() crashSize {
	switch {
	case os.Getenv("CASHMATCH_CRASH_LARGE") != "":
		return crashSize{payments: 200000, kills: 30, commitSize: 2000}
	case raceEnabled:
		return crashSize{payments: 1000, kills: 8, commitSize: 25}
	}
	return crashSize{payments: 4000, kills: 8, commitSize: 100}
}

// TestCrash_KilledIngestEndsAsAnUninterruptedRun kills the real `cashmatch
// ingest` with SIGKILL at random moments of a large ingest, many times,
// checks the store's invariants after every kill, lets a last run finish,
// and compares the store with one that ran without interruption.
func TestCrash_KilledIngestEndsAsAnUninterruptedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	size := crashSizeFromEnv()
	begin := time.Now()
	bin := buildBinary(t)
	t.Logf("built the binary in %s", time.Since(begin).Round(time.Millisecond))
	data := t.TempDir()
	invoices, files := writeCrashData(t, data, size.payments)
	ingest := func(dir string) []string {
		return append([]string{"ingest", "--data", dir, "--commit-size", strconv.Itoa(size.commitSize)}, files...)
	}

	// The run nobody interrupts.
	ref := filepath.Join(t.TempDir(), "ref")
	runBinary(t, bin, "invoices", "import", "--data", ref, invoices)
	start := time.Now()
	runBinary(t, bin, ingest(ref)...)
	took := time.Since(start)
	t.Logf("uninterrupted ingest of %d payments: %s", size.payments*11/10, took.Round(time.Millisecond))

	// The run killed again and again. A run that finishes before its kill
	// leaves nothing to resume: start again from a fresh store.
	var dir string
	fresh := func() {
		dir = filepath.Join(t.TempDir(), "crashed")
		runBinary(t, bin, "invoices", "import", "--data", dir, invoices)
	}
	fresh()
	seed := uint64(time.Now().UnixNano())
	t.Logf("kill times drawn with seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	states := map[report]bool{}
	kills, midway := 0, 0
	for attempt := 0; kills < size.kills && attempt < 4*size.kills; attempt++ {
		cmd := exec.Command(bin, ingest(dir)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(took))))
		cmd.Process.Kill()
		err := cmd.Wait()
		var exit *exec.ExitError
		if err == nil {
			fresh()
			continue
		}
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
		kills++
		runBinary(t, bin, "check", "--data", dir)
		r := reportOf(t, bin, dir)
		states[r] = true
		if r.Pending > 0 || r.Payments < size.payments*11/10 {
			midway++
		}
	}
	t.Logf("%d kills, %d left the ingest unfinished, %d distinct states", kills, midway, len(states))
	if midway == 0 {
		t.Errorf("no kill interrupted the ingest: the test tested nothing")
	}
	t.Logf("kills and checks done at %s", time.Since(begin).Round(time.Millisecond))

	// A last run finishes the job.
	runBinary(t, bin, ingest(dir)...)
	runBinary(t, bin, "check", "--data", dir)
	got, want := dumpDir(t, dir), dumpDir(t, ref)
	t.Logf("dumps done at %s", time.Since(begin).Round(time.Millisecond))
	t.Logf("compared %d lines of state", strings.Count(want, "\n"))
	if got != want {
		t.Errorf("the store after crashes differs from the uninterrupted one:\n%s", firstDifference(got, want))
	}
}

// buildBinary builds cmd/cashmatch into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cashmatch")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(gobin, "build", "-o", bin, "github.com/cashmatch/cashmatch/cmd/cashmatch").CombinedOutput()
	if err != nil {
		t.Fatalf("build cashmatch: %v\n%s", err, out)
	}
	return bin
}

func runBinary(t *testing.T, bin string, args ...string) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("cashmatch %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// report is what `cashmatch report --json` says of a store's progress.
type report struct {
	Payments int `json:"payments"`
	Pending  int `json:"pending"`
}

func reportOf(t *testing.T, bin, dir string) report {
	t.Helper()
	out, err := exec.Command(bin, "report", "--json", "--data", dir).Output()
	if err != nil {
		t.Fatalf("cashmatch report: %v", err)
	}
	var r report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("cashmatch report: %v: %s", err, out)
	}
	return r
}

func dumpDir(t *testing.T, dir string) string {
	t.Helper()
	s, err := store.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return storetest.Dump(t, s, engine.DefaultEntity)
}

// firstDifference shows the first line where two dumps differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// writeCrashData writes an invoice file and two statements: the first pays
// n invoices in ways that the engine applies or queues; the second, a
// corrected file, repeats its last tenth and adds a tenth of new payments.
func writeCrashData(t *testing.T, dir string, n int) (invoices string, files []string) {
	t.Helper()
	invoices = filepath.Join(dir, "invoices.csv")
	var csv strings.Builder
	csv.WriteString("invoice_id,customer_id,customer_name,amount,currency,issue_date,due_date\n")
	cents := func(i int) int64 { return int64(10000 + (i*7919)%900000) }
	total := n + n/10
	for i := range total {
		c := cents(i)
		fmt.Fprintf(&csv, "INV-%07d,C%05d,Customer %d Inc,%d.%02d,USD,2026-10-01,2026-10-31\n",
			i, i/10, i/10, c/100, c%100)
	}
	if err := os.WriteFile(invoices, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	credit := func(i int) storetest.Credit {
		c := storetest.Credit{Cents: cents(i), BankRef: fmt.Sprintf("BR%08d", i), Text: fmt.Sprintf("CUSTOMER %d INC", i/10)}
		switch i % 10 {
		case 7: // short paid
			c.Cents = c.Cents * 9 / 10
			c.Lines = []string{fmt.Sprintf("INV INV-%07d", i)}
		case 8: // no remittance, a payer nobody knows
			c.Text = fmt.Sprintf("PAYER %d", i)
		case 9: // two invoices in one payment
			c.Cents += cents(i + 1)
			c.Lines = []string{fmt.Sprintf("INV-%07d INV-%07d", i, i+1)}
		default:
			c.Lines = []string{fmt.Sprintf("INV INV-%07d", i)}
		}
		return c
	}
	var first, second []storetest.Credit
	for i := range n {
		first = append(first, credit(i))
	}
	second = append(second, first[n-n/10:]...)
	for i := n; i < total; i++ {
		second = append(second, credit(i))
	}
	for k, credits := range [][]storetest.Credit{first, second} {
		path := filepath.Join(dir, fmt.Sprintf("statement-%d.bai2", k+1))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := storetest.WriteBAI2(f, fmt.Sprintf("F%d", k+1), "9876543210", "261103", credits); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	return invoices, files
}
