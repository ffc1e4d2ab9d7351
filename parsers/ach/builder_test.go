package ach

import (
	"fmt"
	"strings"
	"testing"
)

// testFile builds NACHA files for tests and benchmarks, computing every
// control figure the way the rules define them.
type testFile struct {
	tb      testing.TB
	lines   []string
	odfi    string // 8 digits
	batches int
	file    totals

	open    bool
	number  int
	sec     string
	scc     string
	company string
	sums    totals
	trace   int
	entries int
}

func newTestFile(tb testing.TB) *testFile {
	tb.Helper()
	f := &testFile{tb: tb, odfi: "12104288"}
	f.add(fmt.Sprintf("101 231380104 1210428822603171200A094101%-23s%-23s%-8s",
		"FEDERAL RESERVE BANK", "MY BANK NAME", ""))
	return f
}

func (f *testFile) add(rec string) {
	f.tb.Helper()
	if len(rec) != recordLen {
		f.tb.Fatalf("test record has %d characters, want 94: %q", len(rec), rec)
	}
	f.lines = append(f.lines, rec)
}

// batch opens a batch of SEC code sec from the company name and id.
func (f *testFile) batch(sec, company, companyID string) *testFile {
	f.closeBatch()
	f.batches++
	f.open, f.number, f.sec, f.company, f.sums, f.entries = true, f.batches, sec, companyID, totals{}, 0
	f.scc = "200"
	f.add(fmt.Sprintf("5%s%-16s%-20s%-10s%s%-10s%-6s%s%s1%s%07d",
		f.scc, company, "", companyID, sec, "PAYMENT", "", "260318", "077", f.odfi, f.number))
	return f
}

// entry adds an entry detail record (standard layout, or CTX layout for a
// CTX batch) followed by addenda records given whole.
func (f *testFile) entry(code int, amount int64, id, name string, addenda ...string) string {
	f.tb.Helper()
	f.trace++
	f.entries++
	trace := fmt.Sprintf("%s%07d", f.odfi, f.trace)
	indicator := "0"
	if len(addenda) > 0 {
		indicator = "1"
	}
	nameArea := fmt.Sprintf("%-22s", name)
	if f.sec == "CTX" {
		nameArea = fmt.Sprintf("%04d%-16s  ", len(addenda), name)
	}
	f.add(fmt.Sprintf("6%02d231380104%-17s%010d%-15s%s  %s%s", code, "987654321", amount, id, nameArea, indicator, trace))
	for _, a := range addenda {
		f.add(a)
	}
	f.sums.entryAddenda += 1 + int64(len(addenda))
	f.sums.hash += 23138010
	if isCredit(int64(code)) {
		f.sums.credit += amount
	} else {
		f.sums.debit += amount
	}
	return trace
}

// addenda05 returns addenda 05 records carrying text, cut into 80-character
// pieces, for the entry that will get the next trace number.
func (f *testFile) addenda05(text string) []string {
	var out []string
	for i := 0; len(text) > 0; i++ {
		n := min(80, len(text))
		out = append(out, fmt.Sprintf("705%-80s%04d%07d", text[:n], i+1, f.trace+1))
		text = text[n:]
	}
	return out
}

func (f *testFile) closeBatch() {
	if !f.open {
		return
	}
	f.open = false
	f.add(fmt.Sprintf("8%s%06d%010d%012d%012d%-10s%-19s%-6s%s%07d",
		f.scc, f.sums.entryAddenda, f.sums.hash%hashModulus, f.sums.debit, f.sums.credit, f.company, "", "", f.odfi, f.number))
	f.file.add(f.sums)
}

// bytes closes the file: batch control, file control and filler to a whole
// block of ten records, one record per line.
func (f *testFile) bytes() []byte {
	f.closeBatch()
	n := len(f.lines) + 1
	blocks := (n + 9) / 10
	f.add(fmt.Sprintf("9%06d%06d%08d%010d%012d%012d%39s",
		f.batches, blocks, f.file.entryAddenda, f.file.hash%hashModulus, f.file.debit, f.file.credit, ""))
	for len(f.lines)%10 != 0 {
		f.add(strings.Repeat("9", recordLen))
	}
	return []byte(strings.Join(f.lines, "\n") + "\n")
}
