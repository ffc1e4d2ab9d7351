package engine

import (
	"slices"
)

// Summary totals decisions: how many payments were applied without a person,
// suggested or left as exceptions, and how much cash was applied and left
// unapplied, by currency.
type Summary struct {
	Payments   int `json:"payments"`
	Auto       int `json:"auto"`
	Suggested  int `json:"suggested"`
	Exceptions int `json:"exceptions"`
	// Skipped counts entries that are not customer payments to decide:
	// debits, pending and informational entries.
	Skipped  int            `json:"skipped"`
	ByReason map[string]int `json:"exceptions_by_reason"`
	// Applied is cash allocated to invoices; OnAccount is cash from known
	// customers held on account; Unapplied is cash waiting in exceptions.
	// Each is keyed by currency.
	Applied   map[Currency]Amount `json:"applied_amount"`
	OnAccount map[Currency]Amount `json:"on_account_amount"`
	Unapplied map[Currency]Amount `json:"unapplied_amount"`
}

// NewSummary returns an empty summary.
func NewSummary() Summary {
	return Summary{
		ByReason:  map[string]int{},
		Applied:   map[Currency]Amount{},
		OnAccount: map[Currency]Amount{},
		Unapplied: map[Currency]Amount{},
	}
}

// Add counts one decided payment.
func (s *Summary) Add(p Payment, d Decision) {
	s.Payments++
	switch d.Kind {
	case Auto:
		s.Auto++
	case Suggested:
		s.Suggested++
	case Skipped:
		s.Skipped++
		return
	default:
		s.Exceptions++
	}
	if d.Kind != Auto && d.Exception != NoReason {
		s.ByReason[d.Exception.String()]++
	}
	c := p.Amount.Currency
	addTo(s.Applied, c, d.Allocated(c))
	addTo(s.OnAccount, c, inCurrency(d.OnAccount, c))
	addTo(s.Unapplied, c, inCurrency(d.Unapplied, c))
}

func addTo(m map[Currency]Amount, c Currency, a Amount) {
	sum, ok := m[c]
	if !ok {
		sum = Zero(c)
	}
	m[c] = sum.Add(a)
}

// Currencies returns the currencies the summary has amounts in, sorted.
func (s Summary) Currencies() []Currency {
	var cs []Currency
	for c := range s.Applied {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// Merge adds the counts and amounts of o to s.
func (s *Summary) Merge(o Summary) {
	s.Payments += o.Payments
	s.Auto += o.Auto
	s.Suggested += o.Suggested
	s.Exceptions += o.Exceptions
	for r, n := range o.ByReason {
		s.ByReason[r] += n
	}
	for c, a := range o.Applied {
		addTo(s.Applied, c, a)
	}
	for c, a := range o.OnAccount {
		addTo(s.OnAccount, c, a)
	}
	for c, a := range o.Unapplied {
		addTo(s.Unapplied, c, a)
	}
}
