package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
)

// decisionOf turns a truth into the decision that applies it exactly.
func decisionOf(t *testing.T, tr *Truth) engine.Decision {
	t.Helper()
	if tr.Expect == ExpectException {
		var r engine.Reason
		if err := r.UnmarshalText([]byte(tr.Exception)); err != nil {
			t.Fatal(err)
		}
		return engine.Decision{Kind: engine.Exception, Exception: r}
	}
	d := engine.Decision{Kind: engine.Auto}
	for _, a := range tr.Allocations {
		d.Allocations = append(d.Allocations, engine.Allocation{Invoice: engine.InvoiceID(a.Invoice),
			Amount: mustAmount(t, a.Amount, tr.Currency)})
	}
	for _, a := range tr.Adjustments {
		var reason engine.AdjustmentReason
		if err := reason.UnmarshalText([]byte(a.Reason)); err != nil {
			t.Fatal(err)
		}
		d.Adjustments = append(d.Adjustments, engine.Adjustment{Invoice: engine.InvoiceID(a.Invoice),
			Amount: mustAmount(t, a.Amount, tr.Currency), Reason: reason})
	}
	if tr.OnAccount != "" {
		d.OnAccount = mustAmount(t, tr.OnAccount, tr.Currency)
	}
	return d
}

// TestQuality_ScoresTheTruthAsPerfect feeds the truth's own decisions to
// the scorer, then the same with one cent moved, and an exception for
// everything.
func TestQuality_ScoresTheTruthAsPerfect(t *testing.T) {
	dir, h := generated(t)
	perfect, shifted, refuse := newQuality(), newQuality(), newQuality()
	_, err := ReadTruth(filepath.Join(dir, TruthFile), func(tr Truth) error {
		p := engine.Payment{Amount: mustAmount(t, tr.Amount, tr.Currency)}
		d := decisionOf(t, &tr)
		perfect.add(&tr, d, p)
		if len(d.Allocations) > 0 {
			cent := engine.FromMinor(1, tr.Currency)
			d.Allocations[0].Amount = d.Allocations[0].Amount.Sub(cent)
			d.OnAccount = d.OnAccount.Add(cent)
		}
		shifted.add(&tr, d, p)
		refuse.add(&tr, engine.Decision{Kind: engine.Exception, Exception: engine.LowConfidence}, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if perfect.Payments != h.Set.Payments || perfect.Precision() != 1000 || perfect.FalseAuto != 0 ||
		perfect.Recall() != 1000 || perfect.ExceptionRight != perfect.Exceptions {
		t.Errorf("the truth scored as %+v", perfect)
	}
	if shifted.AutoCorrect != 0 || shifted.FalseAuto != shifted.Auto || shifted.Auto == 0 {
		t.Errorf("one cent off scored %d correct of %d auto", shifted.AutoCorrect, shifted.Auto)
	}
	if refuse.Auto != 0 || refuse.AutomationRate() != 0 || refuse.ExceptionRight != 0 {
		t.Errorf("all exceptions scored as %+v", refuse)
	}
	for _, k := range Kinds() {
		if perfect.ByKind[k.String()] == nil {
			t.Errorf("no quality for kind %s", k)
		}
	}
}

func TestERPRule_ExactNumberAndAmountOnly(t *testing.T) {
	usd := func(s string) engine.Amount { return mustAmount(t, s, "USD") }
	rule := newERPRule([]engine.Invoice{
		{ID: "INV-001", Amount: usd("100.00"), Open: usd("100.00")},
		{ID: "INV-002", Amount: usd("50.00"), Open: usd("50.00")},
	})
	pay := func(amount, text string) engine.Payment {
		return engine.Payment{Amount: usd(amount), Remittance: engine.Remittance{Lines: []string{text}}}
	}
	cases := []struct {
		name string
		p    engine.Payment
		want engine.Kind
	}{
		{"number without prefix", pay("100.00", "PAYMENT 001"), engine.Exception},
		{"amount short", pay("99.00", "INV-001"), engine.Exception},
		{"lower case", pay("100.00", "inv-001"), engine.Exception},
		{"two invoices", pay("150.00", "INV-001, INV-002"), engine.Auto},
		{"already applied", pay("100.00", "INV-001"), engine.Exception},
	}
	for _, c := range cases {
		if got := rule.decide(c.p); got.Kind != c.want {
			t.Errorf("%s: %s, want %s", c.name, got.Kind, c.want)
		}
	}
}

// TestRun_ReportsTheSet runs the harness on the shared set and checks that
// its counts add up and its report prints.
func TestRun_ReportsTheSet(t *testing.T) {
	dir := t.TempDir()
	h, err := Generate(context.Background(), GenConfig{Seed: 3, Customers: 40, Invoices: 500,
		Payments: 300, PaymentsPerDay: 150, Out: dir})
	if err != nil {
		t.Fatal(err)
	}
	var passes []string
	r, err := Run(context.Background(), Config{Dir: dir, Progress: func(pass string, done, total int64) {
		if len(passes) == 0 || passes[len(passes)-1] != pass {
			passes = append(passes, pass)
		}
		if done > total {
			t.Errorf("progress %d of %d", done, total)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	skipped := 0
	for _, s := range r.Skipped {
		skipped += s.Payments
	}
	if r.Payments+skipped != h.Set.Payments || r.Unjoined != 0 || r.Missing != 0 {
		t.Errorf("read %d, skipped %d, unjoined %d, missing %d of %d payments",
			r.Payments, skipped, r.Unjoined, r.Missing, h.Set.Payments)
	}
	q := r.Quality
	if q.Payments != r.Payments || q.Auto+q.Suggested+q.Exceptions+q.Skipped != q.Payments || q.AutoCorrect+q.FalseAuto != q.Auto {
		t.Errorf("quality does not add up: %+v", q)
	}
	if r.Stage(StagePipeline).Nanos <= 0 || r.Stage(StageParse).Payments != r.Payments {
		t.Errorf("stages %+v", r.Stages)
	}
	if strings.Join(passes, ",") != "pipeline,baselines" {
		t.Errorf("progress passes %v", passes)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"payments/s", "peak RSS", "automation rate", "precision of auto",
		"false auto-applications", "ERP rule", "exception reason", "multi_invoice", "moov-io/bai2"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Error(err)
	}

	first, err := Run(context.Background(), Config{Dir: dir, Files: 1, SkipLibraries: true})
	if err != nil {
		t.Fatal(err)
	}
	if first.Files != 1 || first.Payments != h.Files[0].Payments || first.Quality.Payments != first.Payments {
		t.Errorf("one file: %d files, %d payments, %d scored; want 1 file of %d payments",
			first.Files, first.Payments, first.Quality.Payments, h.Files[0].Payments)
	}
}
