package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/shopspring/decimal"
)

// ageBuckets are the age ranges, in whole days, that the summary counts open
// exceptions in; the last is open-ended.
var ageBuckets = []struct {
	name    string
	maxDays int
}{{"0-1", 1}, {"2-7", 7}, {"8-30", 30}, {"31+", -1}}

// currencyReport holds an entity's amounts in one currency.
type currencyReport struct {
	Received      engine.Amount `json:"received"`
	Applied       engine.Amount `json:"applied"`
	OnAccount     engine.Amount `json:"on_account"`
	NotReceivable engine.Amount `json:"not_receivable"`
	Unapplied     engine.Amount `json:"unapplied"`
	Adjusted      engine.Amount `json:"adjusted"`
	Invoiced      engine.Amount `json:"invoiced"`
	Open          engine.Amount `json:"open"`
}

// summaryReport answers with the entity's totals: the auto-match rate, the
// amounts by currency and the open exceptions by reason and by age.
func (s *Server) summaryReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.store.Report(ctx, s.opts.Entity)
	if err != nil {
		return err
	}
	byAge, err := s.openByAge(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Payments      int                                `json:"payments"`
		Pending       int                                `json:"pending"`
		Auto          int                                `json:"auto"`
		Suggested     int                                `json:"suggested"`
		Exceptions    int                                `json:"exceptions"`
		AutoMatchRate string                             `json:"auto_match_rate"`
		Open          int                                `json:"open_exceptions"`
		Resolved      int                                `json:"resolved_exceptions"`
		OpenByReason  map[string]int                     `json:"open_by_reason"`
		OpenByAge     map[string]int                     `json:"open_by_age"`
		Currencies    map[engine.Currency]currencyReport `json:"currencies"`
	}{Payments: t.Payments, Pending: t.Pending, Auto: t.Auto, Suggested: t.Suggested,
		Exceptions: t.Exceptions, AutoMatchRate: ratio(t.Auto, t.Payments), Open: t.OpenExceptions,
		Resolved: t.Resolved, OpenByReason: t.OpenByReason, OpenByAge: byAge,
		Currencies: map[engine.Currency]currencyReport{}}
	if out.OpenByReason == nil {
		out.OpenByReason = map[string]int{}
	}
	for c, ct := range t.Currencies {
		out.Currencies[c] = currencyReport{Received: inCurrency(ct.Received, c), Applied: inCurrency(ct.Applied, c),
			OnAccount: inCurrency(ct.OnAccount, c), NotReceivable: inCurrency(ct.NotReceivable, c),
			Unapplied: inCurrency(ct.Unapplied, c), Adjusted: inCurrency(ct.Adjusted, c),
			Invoiced: inCurrency(ct.Invoiced, c), Open: inCurrency(ct.Open, c)}
	}
	return writeJSON(w, http.StatusOK, out)
}

// openByAge counts the open exceptions by age bucket.
//
// TODO: this walks every open exception; running counts by creation day in
// the store's totals would answer from one record on a large queue.
func (s *Server) openByAge(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, b := range ageBuckets {
		out[b.name] = 0
	}
	now := time.Now()
	f := store.ExceptionFilter{Statuses: []store.ExceptionStatus{store.StatusOpen}, Limit: store.MaxPage}
	for {
		page, err := s.store.Exceptions(ctx, s.opts.Entity, f)
		if err != nil {
			return nil, err
		}
		for _, x := range page.Exceptions {
			days := int(now.Sub(x.Created) / (24 * time.Hour))
			for _, b := range ageBuckets {
				if b.maxDays < 0 || days <= b.maxDays {
					out[b.name]++
					break
				}
			}
		}
		if page.Next == "" {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// ratio formats n/of as a decimal fraction with three digits, "0.953"; ""
// when of is zero.
func ratio(n, of int) string {
	if of == 0 {
		return ""
	}
	return decimal.NewFromInt(int64(n)).DivRound(decimal.NewFromInt(int64(of)), 3).StringFixed(3)
}

// customerReport answers with how a customer pays: days from issue to
// payment and against the due date for the invoices it paid in full, and how
// often its payments left a difference (a write-off, a discount, a fee, or
// an invoice still partly open).
func (s *Server) customerReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := engine.CustomerID(r.PathValue("id"))
	c, err := s.store.Customer(ctx, s.opts.Entity, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("no customer %q", id))
	}
	if err != nil {
		return err
	}
	st, err := s.paymentHabits(ctx, id)
	if err != nil {
		return err
	}
	out := struct {
		Customer     engine.CustomerID `json:"customer_id"`
		Name         string            `json:"name"`
		InvoicesPaid int               `json:"invoices_paid"`
		DaysToPay    string            `json:"average_days_to_pay,omitempty"`
		DaysLate     string            `json:"average_days_late,omitempty"`
		PaidLate     int               `json:"paid_late"`
		Payments     int               `json:"payments"`
		Short        int               `json:"short_payments"`
		ShortRate    string            `json:"short_pay_rate,omitempty"`
	}{Customer: c.ID, Name: c.Name, InvoicesPaid: st.paid, PaidLate: st.late,
		Payments: len(st.payments), Short: len(st.short), ShortRate: ratio(len(st.short), len(st.payments))}
	if st.paid > 0 {
		n := decimal.NewFromInt(int64(st.paid))
		out.DaysToPay = decimal.NewFromInt(int64(st.daysToPay)).DivRound(n, 1).StringFixed(1)
		out.DaysLate = decimal.NewFromInt(int64(st.daysLate)).DivRound(n, 1).StringFixed(1)
	}
	return writeJSON(w, http.StatusOK, out)
}

// habits are the sums a customer report is made of.
type habits struct {
	paid, late          int
	daysToPay, daysLate int
	payments, short     map[engine.PaymentID]bool
}

// paymentHabits walks a customer's invoices and the ledger entries against
// them.
//
// TODO: this reads every entry of every invoice of the customer and each
// paying payment once; fine for a customer's history, slow for one with
// hundreds of thousands of invoices.
func (s *Server) paymentHabits(ctx context.Context, id engine.CustomerID) (habits, error) {
	h := habits{payments: map[engine.PaymentID]bool{}, short: map[engine.PaymentID]bool{}}
	valueDates := map[engine.PaymentID]engine.Date{}
	valueDate := func(p engine.PaymentID) (engine.Date, error) {
		if d, ok := valueDates[p]; ok {
			return d, nil
		}
		app, err := s.store.Application(ctx, s.opts.Entity, p)
		if err != nil {
			return engine.Date{}, err
		}
		valueDates[p] = app.Payment.ValueDate
		return app.Payment.ValueDate, nil
	}
	f := store.InvoiceFilter{Customer: id, Limit: store.MaxPage}
	for {
		invs, err := s.store.Invoices(ctx, s.opts.Entity, f)
		if err != nil {
			return h, err
		}
		for _, inv := range invs {
			if err := h.addInvoice(ctx, s, inv, valueDate); err != nil {
				return h, err
			}
		}
		if len(invs) < f.Limit {
			return h, nil
		}
		f.After = invs[len(invs)-1].ID
	}
}

// addInvoice adds one invoice's history to the sums.
func (h *habits) addInvoice(ctx context.Context, s *Server, inv store.Invoice,
	valueDate func(engine.PaymentID) (engine.Date, error)) error {
	entries, err := s.store.InvoiceEntries(ctx, s.opts.Entity, inv.ID)
	if err != nil {
		return err
	}
	reversed := map[uint64]bool{}
	for _, en := range entries {
		if en.Reverses != 0 {
			reversed[en.Reverses], reversed[en.Seq] = true, true
		}
	}
	var last engine.PaymentID
	for _, en := range entries {
		if reversed[en.Seq] {
			continue
		}
		switch en.Kind {
		case store.EntryAllocation:
			h.payments[en.Payment] = true
			last = en.Payment
			if !inv.Open.IsZero() {
				h.short[en.Payment] = true
			}
		case store.EntryAdjustment:
			h.short[en.Payment] = true
		}
	}
	if last == "" || !inv.Open.IsZero() || inv.IssueDate.IsZero() {
		return nil
	}
	paid, err := valueDate(last)
	if err != nil || paid.IsZero() {
		return err
	}
	h.paid++
	h.daysToPay += paid.DaysSince(inv.IssueDate)
	if !inv.DueDate.IsZero() {
		late := paid.DaysSince(inv.DueDate)
		h.daysLate += late
		if late > 0 {
			h.late++
		}
	}
	return nil
}
