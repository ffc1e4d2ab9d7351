package store

import (
	"fmt"
	"maps"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
)

// Totals are an entity's running totals, kept in its meta record and moved in
// the same batch as the records they sum, so that a report reads one key.
// Check recomputes them from the records.
type Totals struct {
	Invoices int `json:"invoices"`
	// Payments counts decided payments; Pending those stored but not yet
	// decided.
	Payments int `json:"payments"`
	Pending  int `json:"pending"`
	// Auto, Suggested and Exceptions count the engine's decisions, as made.
	Auto       int `json:"auto"`
	Suggested  int `json:"suggested"`
	Exceptions int `json:"exceptions"`
	// Skipped counts entries that are not customer payments to decide:
	// debits, pending and informational entries. Their amounts are kept
	// apart, in CurrencyTotals.Skipped.
	Skipped int `json:"skipped"`
	// OpenExceptions and Resolved count exceptions by their status now;
	// OpenByReason counts the open ones by the engine's reason.
	OpenExceptions int            `json:"open_exceptions"`
	Resolved       int            `json:"resolved_exceptions"`
	OpenByReason   map[string]int `json:"open_by_reason"`
	// Currencies holds the amounts, by currency.
	Currencies map[engine.Currency]*CurrencyTotals `json:"by_currency"`
}

// CurrencyTotals are an entity's amounts in one currency.
type CurrencyTotals struct {
	// Received is the sum of the decided payments. Applied, OnAccount,
	// NotReceivable and Unapplied say where that cash is now, and add up
	// to Received.
	Received      engine.Amount `json:"received_amount"`
	Applied       engine.Amount `json:"applied_amount"`
	OnAccount     engine.Amount `json:"on_account_amount"`
	NotReceivable engine.Amount `json:"not_receivable_amount"`
	Unapplied     engine.Amount `json:"unapplied_amount"`
	// Adjusted is the sum of adjustments: invoices reduced beyond the cash.
	Adjusted engine.Amount `json:"adjusted_amount"`
	// Skipped sums the entries that are not payments to decide.
	Skipped engine.Amount `json:"skipped_amount"`
	// Invoiced and Open sum the invoices' original and open amounts.
	Invoiced engine.Amount `json:"invoiced_amount"`
	Open     engine.Amount `json:"open_amount"`
}

func newTotals() Totals {
	return Totals{OpenByReason: map[string]int{}, Currencies: map[engine.Currency]*CurrencyTotals{}}
}

func (t *Totals) currency(c engine.Currency) *CurrencyTotals {
	ct, ok := t.Currencies[c]
	if !ok {
		z := engine.Zero(c)
		ct = &CurrencyTotals{z, z, z, z, z, z, z, z, z}
		t.Currencies[c] = ct
	}
	return ct
}

// clone returns a deep copy, so that a failed batch leaves the totals as
// they were.
func (t Totals) clone() Totals {
	c := t
	c.OpenByReason = maps.Clone(t.OpenByReason)
	c.Currencies = make(map[engine.Currency]*CurrencyTotals, len(t.Currencies))
	for k, v := range t.Currencies {
		cp := *v
		c.Currencies[k] = &cp
	}
	return c
}

// invoice adds (sign 1) or removes (sign -1) an invoice's contribution.
func (t *Totals) invoice(inv *Invoice, sign int) {
	if inv == nil {
		return
	}
	t.Invoices += sign
	ct := t.currency(inv.Amount.Currency)
	ct.Invoiced = addSigned(ct.Invoiced, inv.Amount, sign)
	ct.Open = addSigned(ct.Open, inv.Open, sign)
}

// application adds or removes a decided payment's contribution.
func (t *Totals) application(a *application, sign int) {
	if a == nil {
		return
	}
	t.Payments += sign
	ct := t.currency(a.Unapplied.Currency)
	switch a.Kind {
	case engine.Auto:
		t.Auto += sign
	case engine.Suggested:
		t.Suggested += sign
	case engine.Skipped:
		t.Skipped += sign
		ct.Skipped = addSigned(ct.Skipped, a.Unapplied, sign)
		return
	default:
		t.Exceptions += sign
	}
	received := a.Applied.Add(a.OnAccount).Add(a.NotReceivable).Add(a.Unapplied)
	ct.Received = addSigned(ct.Received, received, sign)
	ct.Applied = addSigned(ct.Applied, a.Applied, sign)
	ct.OnAccount = addSigned(ct.OnAccount, a.OnAccount, sign)
	ct.NotReceivable = addSigned(ct.NotReceivable, a.NotReceivable, sign)
	ct.Unapplied = addSigned(ct.Unapplied, a.Unapplied, sign)
}

// exception adds or removes an exception's contribution.
func (t *Totals) exception(x *Exception, sign int) {
	if x == nil {
		return
	}
	switch x.Status {
	case StatusOpen:
		t.OpenExceptions += sign
		r := x.Reason.String()
		t.OpenByReason[r] += sign
		if t.OpenByReason[r] == 0 {
			delete(t.OpenByReason, r)
		}
	case StatusResolved:
		t.Resolved += sign
	}
}

// entry adds a ledger entry's adjustment; cash entries are counted through
// the payment's application.
func (t *Totals) entry(en *Entry) {
	if en.Kind == EntryAdjustment {
		ct := t.currency(en.Amount.Currency)
		ct.Adjusted = ct.Adjusted.Add(en.Amount)
	}
}

func addSigned(sum, a engine.Amount, sign int) engine.Amount {
	if sign < 0 {
		return sum.Sub(a)
	}
	return sum.Add(a)
}

// totalsRecord is Totals as stored.
type totalsRecord struct {
	Invoices       int                         `json:"invoices"`
	Payments       int                         `json:"payments"`
	Auto           int                         `json:"auto"`
	Suggested      int                         `json:"suggested"`
	Exceptions     int                         `json:"exceptions"`
	Skipped        int                         `json:"skipped,omitempty"`
	OpenExceptions int                         `json:"open"`
	Resolved       int                         `json:"resolved"`
	OpenByReason   map[string]int              `json:"open_by_reason,omitempty"`
	Currencies     map[engine.Currency][]money `json:"currencies,omitempty"`
}

func (t Totals) record() totalsRecord {
	r := totalsRecord{Invoices: t.Invoices, Payments: t.Payments, Auto: t.Auto, Suggested: t.Suggested,
		Exceptions: t.Exceptions, Skipped: t.Skipped, OpenExceptions: t.OpenExceptions, Resolved: t.Resolved,
		OpenByReason: t.OpenByReason, Currencies: map[engine.Currency][]money{}}
	for c, ct := range t.Currencies {
		r.Currencies[c] = []money{toMoney(ct.Received), toMoney(ct.Applied), toMoney(ct.OnAccount),
			toMoney(ct.NotReceivable), toMoney(ct.Unapplied), toMoney(ct.Adjusted),
			toMoney(ct.Invoiced), toMoney(ct.Open), toMoney(ct.Skipped)}
	}
	return r
}

func (r totalsRecord) totals() (Totals, error) {
	t := newTotals()
	t.Invoices, t.Payments, t.Auto, t.Suggested = r.Invoices, r.Payments, r.Auto, r.Suggested
	t.Exceptions, t.Skipped, t.OpenExceptions, t.Resolved = r.Exceptions, r.Skipped, r.OpenExceptions, r.Resolved
	maps.Copy(t.OpenByReason, r.OpenByReason)
	var err error
	for c, m := range r.Currencies {
		if len(m) != 9 {
			return t, fmt.Errorf("%w: totals of %s hold %d amounts, want 9", ErrCorrupt, c, len(m))
		}
		t.Currencies[c] = &CurrencyTotals{
			Received: m[0].mustAmount(&err), Applied: m[1].mustAmount(&err),
			OnAccount: m[2].mustAmount(&err), NotReceivable: m[3].mustAmount(&err),
			Unapplied: m[4].mustAmount(&err), Adjusted: m[5].mustAmount(&err),
			Invoiced: m[6].mustAmount(&err), Open: m[7].mustAmount(&err), Skipped: m[8].mustAmount(&err),
		}
	}
	return t, err
}

// CurrencyList returns the currencies of the totals, sorted.
func (t Totals) CurrencyList() []engine.Currency {
	return slices.Sorted(maps.Keys(t.Currencies))
}
