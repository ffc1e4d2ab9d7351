package bench

import (
	"slices"

	"github.com/cashmatch/cashmatch/engine"
)

// Quality compares decisions with the truth.
type Quality struct {
	// Payments counts decided payments that joined a truth.
	Payments   int `json:"payments"`
	Auto       int `json:"auto"`
	Suggested  int `json:"suggested"`
	Exceptions int `json:"exceptions"`
	// Skipped counts entries the engine did not decide as payments.
	Skipped int `json:"skipped"`
	// AutoCorrect counts auto decisions equal to the truth; FalseAuto the
	// other auto decisions.
	AutoCorrect int `json:"auto_correct"`
	FalseAuto   int `json:"false_auto"`
	// ShouldApply counts payments the truth applies; ExceptionRight the
	// exceptions (and suggestions) raised with the truth's reason.
	ShouldApply    int `json:"should_apply"`
	ExceptionRight int `json:"exception_right_reason"`
	// ByReason counts exceptions and suggestions by reason, as decided and
	// as the truth has them.
	ByReason map[string]*ReasonCount `json:"by_reason"`
	// ByKind breaks the counts down by kind of payment.
	ByKind map[string]*KindQuality `json:"by_kind"`
}

// ReasonCount is how often a reason was raised and how often the truth
// raises it.
type ReasonCount struct {
	Decided int `json:"decided"`
	Truth   int `json:"truth"`
}

// KindQuality is the outcome for one kind of payment.
type KindQuality struct {
	Payments       int `json:"payments"`
	Auto           int `json:"auto"`
	AutoCorrect    int `json:"auto_correct"`
	FalseAuto      int `json:"false_auto"`
	Suggested      int `json:"suggested"`
	Exceptions     int `json:"exceptions"`
	Skipped        int `json:"skipped"`
	ExceptionRight int `json:"exception_right_reason"`
}

func newQuality() *Quality {
	return &Quality{ByReason: map[string]*ReasonCount{}, ByKind: map[string]*KindQuality{}}
}

// AutomationRate is auto decisions over payments, in thousandths.
func (q *Quality) AutomationRate() int { return perMille(q.Auto, q.Payments) }

// Precision is correct auto decisions over auto decisions, in thousandths.
func (q *Quality) Precision() int { return perMille(q.AutoCorrect, q.Auto) }

// Recall is correct auto decisions over payments the truth applies, in
// thousandths.
func (q *Quality) Recall() int { return perMille(q.AutoCorrect, q.ShouldApply) }

func perMille(n, of int) int {
	if of == 0 {
		return 0
	}
	return (n*1000 + of/2) / of
}

// add scores one decision against its truth.
func (q *Quality) add(t *Truth, d engine.Decision, p engine.Payment) {
	k := q.ByKind[t.Kind.String()]
	if k == nil {
		k = &KindQuality{}
		q.ByKind[t.Kind.String()] = k
	}
	q.Payments++
	k.Payments++
	if t.Expect == ExpectApply {
		q.ShouldApply++
	} else {
		q.reason(t.Exception).Truth++
	}
	switch d.Kind {
	case engine.Auto:
		q.Auto++
		k.Auto++
		if t.Expect == ExpectApply && sameDecision(t, d, p.Amount.Currency) {
			q.AutoCorrect++
			k.AutoCorrect++
		} else {
			q.FalseAuto++
			k.FalseAuto++
		}
		return
	case engine.Suggested:
		q.Suggested++
		k.Suggested++
	case engine.Skipped:
		q.Skipped++
		k.Skipped++
		return
	default:
		q.Exceptions++
		k.Exceptions++
	}
	if d.Exception != engine.NoReason {
		q.reason(d.Exception.String()).Decided++
	}
	if t.Expect == ExpectException && d.Exception.String() == t.Exception {
		q.ExceptionRight++
		k.ExceptionRight++
	}
}

func (q *Quality) reason(r string) *ReasonCount {
	c := q.ByReason[r]
	if c == nil {
		c = &ReasonCount{}
		q.ByReason[r] = c
	}
	return c
}

// sameDecision reports whether d applies what t does: the same cash to the
// same invoices, the same adjustments and the same amount on account.
func sameDecision(t *Truth, d engine.Decision, c engine.Currency) bool {
	var got, want []string
	for _, a := range d.Allocations {
		got = append(got, string(a.Invoice)+"="+inCurrency(a.Amount, c))
	}
	for _, a := range d.Adjustments {
		got = append(got, string(a.Invoice)+"-"+inCurrency(a.Amount, c)+" "+a.Reason.String())
	}
	for _, a := range t.Allocations {
		want = append(want, a.Invoice+"="+a.Amount)
	}
	for _, a := range t.Adjustments {
		want = append(want, a.Invoice+"-"+a.Amount+" "+a.Reason)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return false
	}
	onAccount := ""
	if !d.OnAccount.IsZero() {
		onAccount = inCurrency(d.OnAccount, c)
	}
	return onAccount == t.OnAccount
}

// inCurrency formats a in c's minor digits, whatever currency a carries.
func inCurrency(a engine.Amount, c engine.Currency) string {
	if a.Currency == "" {
		a.Currency = c
	}
	return a.String()
}

// kindOrder lists the kinds present in m in the order of Kinds.
func kindOrder(m map[string]*KindQuality) []string {
	var out []string
	for _, k := range Kinds() {
		if m[k.String()] != nil {
			out = append(out, k.String())
		}
	}
	return out
}
