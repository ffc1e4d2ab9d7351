package bai2

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
	moov "github.com/moov-io/bai2/pkg/lib"
)

// corpusDir returns the folder of real public bank files, or skips the
// test when $CASHMATCH_CORPUS is not set.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CASHMATCH_CORPUS")
	if dir == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	return dir
}

// expectation is what EXPECTED.md states about one corpus file.
type expectation struct {
	outcome string // "accept", "accept (lenient ...)", "reject ..."
	details int    // 16 records, summed over the accounts listed
	sum     int64  // their amounts in minor units
}

var (
	expectedHeading = regexp.MustCompile("^### `(bai2/[^`]+)`")
	expectedOutcome = regexp.MustCompile(`expected outcome: (.+)$`)
	expectedDetails = regexp.MustCompile(`^- group \d+ account .*: (\d+) x 16 details summing (-?\d+)`)
)

// readExpected reads the BAI2 entries of the corpus's EXPECTED.md.
func readExpected(t *testing.T, path string) map[string]*expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	exp := map[string]*expectation{}
	var cur *expectation
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if m := expectedHeading.FindStringSubmatch(l); m != nil {
			cur = &expectation{}
			exp[m[1]] = cur
			continue
		}
		if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
			cur = nil
		}
		if cur == nil {
			continue
		}
		if m := expectedOutcome.FindStringSubmatch(l); m != nil {
			cur.outcome = m[1]
		}
		if m := expectedDetails.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			s, _ := strconv.ParseInt(m[2], 10, 64)
			cur.details += n
			cur.sum += s
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return exp
}

// strictRefusals are the corpus files EXPECTED.md accepts that strict
// reading refuses, with the departure it refuses them for.
var strictRefusals = map[string]string{
	"bai2/moj-bai2-nwb.bai2":                         `file creation time "14:59:35" is not HHMM`,
	"bai2/moov-bai2-sample3-multi-record-lines.bai2": "line has no record code",
}

// TestCorpus_Conformance reads every BAI2 file of the corpus in both modes
// and checks the outcome EXPECTED.md states: accepted files give the detail
// counts and sums it lists; files it accepts leniently are accepted with
// warnings and refused when strict; files under invalid/ are refused, with
// an error naming file and line, in both modes.
func TestCorpus_Conformance(t *testing.T) {
	dir := corpusDir(t)
	exp := readExpected(t, filepath.Join(dir, "EXPECTED.md"))
	files, _ := filepath.Glob(filepath.Join(dir, "bai2", "*.bai2"))
	invalid, _ := filepath.Glob(filepath.Join(dir, "bai2", "invalid", "*.bai2"))
	if len(files) == 0 || len(invalid) == 0 {
		t.Fatalf("no BAI2 files under %s", dir)
	}
	for _, path := range append(files, invalid...) {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			e := exp[rel]
			if e == nil || e.outcome == "" {
				t.Fatalf("EXPECTED.md states no outcome for %s", rel)
			}
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(path)
			l := readAll(t, name, in, nil)
			s := readAll(t, name, in, &parsers.Options{Strict: true})
			switch {
			case strings.HasPrefix(e.outcome, "reject"):
				for mode, r := range map[string]result{"lenient": l, "strict": s} {
					if r.err == nil {
						t.Fatalf("%s: accepted; EXPECTED.md: %s", mode, e.outcome)
					}
					if pe := parseError(t, r.err); pe.File != name || pe.Line == 0 {
						t.Errorf("%s: refusal %q does not name file and line", mode, pe)
					}
				}
				return
			case strings.HasPrefix(e.outcome, "accept (lenient"):
				if l.err != nil || len(l.warnings) == 0 {
					t.Fatalf("lenient: got %v with warnings %q; EXPECTED.md: %s", l.err, l.warnings, e.outcome)
				}
				if s.err == nil {
					t.Errorf("strict: accepted; a file accepted only leniently must be refused")
				}
			default:
				if l.err != nil {
					t.Fatalf("lenient: refused: %v; EXPECTED.md: %s", l.err, e.outcome)
				}
				for _, w := range l.warnings {
					if strings.Contains(w, "control total") || strings.Contains(w, "count") {
						t.Errorf("trailer warning on a file whose trailers reconcile: %s", w)
					}
				}
				if msg, ok := strictRefusals[rel]; ok {
					if s.err == nil || !strings.Contains(s.err.Error(), msg) {
						t.Errorf("strict: got %v, want refusal %q", s.err, msg)
					}
				} else if s.err != nil {
					t.Errorf("strict: refused: %v", s.err)
				}
			}
			var sum int64
			for _, p := range l.payments {
				units, ok := p.Amount.Minor()
				if !ok {
					t.Fatalf("%s: amount %s is not whole minor units", p.Source, p.Amount)
				}
				sum += units
			}
			if len(l.payments) != e.details || sum != e.sum {
				t.Errorf("got %d details summing %d; EXPECTED.md: %d summing %d", len(l.payments), sum, e.details, e.sum)
			}
		})
	}
}

// TestCorpus_AgreesWithMoov reads every corpus file and every hand-made
// case with github.com/moov-io/bai2 too, and checks that on each file both
// read, the details agree: account, type code, amount, references and text
// (compared without blanks, commas and slashes, which moov keeps or joins
// differently). Where they disagree, the file's own account trailers
// arbitrate: a disagreement is accepted only when the details read here add
// up to the trailers and moov's do not.
func TestCorpus_AgreesWithMoov(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "quirks", "*.bai2"))
	if dir := os.Getenv("CASHMATCH_CORPUS"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "bai2", "*.bai2"))
		invalid, _ := filepath.Glob(filepath.Join(dir, "bai2", "invalid", "*.bai2"))
		paths = append(append(paths, more...), invalid...)
	}
	compared := 0
	for _, path := range paths {
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := moov.NewBai2()
		scan := moov.NewBai2Scanner(bytes.NewReader(in))
		if err := m.Read(&scan); err != nil {
			t.Logf("%s: moov-io/bai2 does not read it: %v", filepath.Base(path), err)
			continue
		}
		name := filepath.Base(path)
		ours := readAll(t, name, in, &parsers.Options{BAI2: quirkOptions[name]})
		if ours.err != nil {
			t.Logf("%s: read by moov-io/bai2, refused here: %v", name, ours.err)
			continue
		}
		compared++
		diffs := compareWithMoov(name, ours, m)
		switch {
		case len(diffs) == 0:
		case reconciles(ours) && !moovReconciles(m):
			t.Logf("%s: moov-io/bai2 misreads it (its details do not add up to the file's account trailers; "+
				"those read here do): %s", name, diffs[0])
		default:
			t.Errorf("%s: disagrees with moov-io/bai2:\n%s", name, strings.Join(diffs, "\n"))
		}
	}
	if compared == 0 {
		t.Fatal("no file was read by both")
	}
}

// reconciles reports whether a file was accepted with trailers that follow
// the BAI2 rules.
func reconciles(r result) bool {
	for _, w := range r.warnings {
		if strings.Contains(w, "control total") || strings.Contains(w, "count") {
			return false
		}
	}
	return r.err == nil
}

// moovReconciles reports whether every account moov read adds up to its
// trailer: the 03 amounts and the 16 amounts sum to the control total.
func moovReconciles(m *moov.Bai2) bool {
	for _, g := range m.Groups {
		for _, a := range g.Accounts {
			want, err := strconv.ParseInt(strings.TrimPrefix(a.AccountControlTotal, "+"), 10, 64)
			if err != nil {
				return false
			}
			var sum int64
			for _, s := range a.Summaries {
				v, _ := strconv.ParseInt(strings.TrimPrefix(s.Amount, "+"), 10, 64)
				sum += v
			}
			for _, d := range a.Details {
				v, _ := strconv.ParseInt(d.Amount, 10, 64)
				sum += v
			}
			if sum != want {
				return false
			}
		}
	}
	return true
}

// compareWithMoov lists the details on which moov and this reader disagree.
func compareWithMoov(name string, ours result, m *moov.Bai2) []string {
	var diffs []string
	i := 0
	for _, g := range m.Groups {
		for _, a := range g.Accounts {
			for _, d := range a.Details {
				if i >= len(ours.payments) {
					return append(diffs, fmt.Sprintf("moov-io/bai2 reads more details than the %d read here",
						len(ours.payments)))
				}
				p := ours.payments[i]
				i++
				units, _ := p.Amount.Minor()
				moovUnits, err := strconv.ParseInt(d.Amount, 10, 64)
				text := d.Text
				if strings.Contains(moovKnownDifferences[p.Source], `"88:"`) {
					text = strings.Replace(text, "88:", "", 1)
				}
				got := []string{p.Account, p.TypeCode, strconv.FormatInt(units, 10), p.BankRef, p.CustomerRef,
					squeeze(strings.Join(p.Remittance.Lines, ""))}
				want := []string{a.AccountNumber, d.TypeCode, strconv.FormatInt(moovUnits, 10),
					d.BankReferenceNumber, d.CustomerReferenceNumber, squeeze(text)}
				if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
					diffs = append(diffs, fmt.Sprintf("%s: detail %d: here %q, moov %q", p.Source, i, got, want))
				}
			}
		}
	}
	if i != len(ours.payments) {
		diffs = append(diffs, fmt.Sprintf("%s: %d details read here, %d by moov-io/bai2", name, len(ours.payments), i))
	}
	return diffs
}

// moovKnownDifferences are the details this reader reads differently from
// moov-io/bai2 on purpose, by source, with the reason.
var moovKnownDifferences = map[string]string{
	"moov-bai2-sample5-gs-slash-in-text.bai2:62": `a line starting "88:" is read here as an 88 continuation ` +
		`(with a warning); moov keeps "88:" in the text`,
}

// squeeze drops blanks, commas and slashes.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', ',', '/':
			return -1
		}
		return r
	}, s)
}
