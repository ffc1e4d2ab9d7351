package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/shopspring/decimal"
)

// exceptionJSON is an exception as the queue shows it. Version is the ETag
// a change names in If-Match.
type exceptionJSON struct {
	ID          engine.PaymentID  `json:"id"`
	Status      string            `json:"status"`
	Kind        engine.Kind       `json:"kind"`
	Reason      engine.Reason     `json:"reason"`
	Assignee    string            `json:"assignee"`
	Version     string            `json:"version"`
	Created     time.Time         `json:"created"`
	Updated     time.Time         `json:"updated,omitzero"`
	AgeDays     int               `json:"age_days"`
	Amount      engine.Amount     `json:"amount"`
	Currency    engine.Currency   `json:"currency"`
	Customer    engine.CustomerID `json:"customer_id,omitempty"`
	PayerName   string            `json:"payer_name,omitempty"`
	ValueDate   engine.Date       `json:"value_date,omitzero"`
	Reasons     []string          `json:"reasons"`
	Suggestions []suggestionJSON  `json:"suggestions"`
	Resolution  *store.Note       `json:"resolution,omitempty"`
	// Pending is the resolution that waits for an approver.
	Pending *resolutionJSON `json:"pending,omitempty"`
}

type suggestionJSON struct {
	Rank        int               `json:"rank"`
	Customer    engine.CustomerID `json:"customer_id,omitempty"`
	Allocations []allocationJSON  `json:"allocations"`
	Adjustments []adjustmentJSON  `json:"adjustments,omitempty"`
	OnAccount   engine.Amount     `json:"on_account"`
	Confidence  engine.Confidence `json:"confidence"`
	Reasons     []string          `json:"reasons"`
	Lost        string            `json:"lost,omitempty"`
}

type allocationJSON struct {
	Invoice engine.InvoiceID `json:"invoice_id"`
	Amount  engine.Amount    `json:"amount"`
}

type adjustmentJSON struct {
	Invoice engine.InvoiceID        `json:"invoice_id"`
	Amount  engine.Amount           `json:"amount"`
	Reason  engine.AdjustmentReason `json:"reason"`
	Code    string                  `json:"code,omitempty"`
}

// version formats a version as an ETag value.
func version(v uint64) string { return strconv.FormatUint(v, 10) }

func newExceptionJSON(x store.Exception, now time.Time) exceptionJSON {
	c := x.Amount.Currency
	j := exceptionJSON{
		ID: x.Payment, Status: x.Status.String(), Kind: x.Kind, Reason: x.Reason, Assignee: x.Assignee,
		Version: version(x.Version), Created: x.Created, Updated: x.Updated,
		AgeDays: int(now.Sub(x.Created) / (24 * time.Hour)), Amount: x.Amount, Currency: c,
		Customer: x.Customer, PayerName: x.PayerName, ValueDate: x.ValueDate,
		Reasons: nonNil(x.Reasons), Suggestions: []suggestionJSON{}, Resolution: x.Resolution,
	}
	for i, s := range x.Suggestions {
		sj := suggestionJSON{Rank: i + 1, Customer: s.Customer, Allocations: []allocationJSON{},
			OnAccount: inCurrency(s.OnAccount, c), Confidence: s.Confidence, Reasons: nonNil(s.Reasons), Lost: s.Lost}
		for _, a := range s.Allocations {
			sj.Allocations = append(sj.Allocations, allocationJSON{a.Invoice, a.Amount})
		}
		for _, a := range s.Adjustments {
			sj.Adjustments = append(sj.Adjustments, adjustmentJSON{a.Invoice, a.Amount, a.Reason, a.Code})
		}
		j.Suggestions = append(j.Suggestions, sj)
	}
	return j
}

// inCurrency gives a zero amount without a currency the currency c.
func inCurrency(a engine.Amount, c engine.Currency) engine.Amount {
	if a.Currency == "" {
		a.Currency = c
	}
	return a
}

// listExceptions answers with the exceptions the query selects, in the order
// it asks for, a page at a time.
func (s *Server) listExceptions(w http.ResponseWriter, r *http.Request) error {
	f, pendingOnly, err := exceptionFilter(r)
	if err != nil {
		return err
	}
	page, err := s.store.Exceptions(r.Context(), s.opts.Entity, f)
	if errors.Is(err, store.ErrBadCursor) {
		return badRequest("cursor: not a cursor this API returned for this sort")
	}
	if err != nil {
		return err
	}
	pending, err := s.proposals(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	out := struct {
		Exceptions []exceptionJSON `json:"exceptions"`
		NextCursor string          `json:"next_cursor,omitempty"`
	}{Exceptions: []exceptionJSON{}, NextCursor: page.Next}
	for _, x := range page.Exceptions {
		j := newExceptionJSON(x, now)
		s.markPending(&j, x, pending)
		if pendingOnly && j.Pending == nil {
			continue
		}
		out.Exceptions = append(out.Exceptions, j)
	}
	return writeJSON(w, http.StatusOK, out)
}

// exceptionFilter reads the query of an exception listing. pendingOnly is
// true for status=pending_approval, which the store knows as open.
func exceptionFilter(r *http.Request) (f store.ExceptionFilter, pendingOnly bool, err error) {
	q := r.URL.Query()
	if f.Limit, err = limitParam(r); err != nil {
		return f, false, err
	}
	f.Cursor = q.Get("cursor")
	switch v := q.Get("status"); v {
	case "", "open":
		f.Statuses = []store.ExceptionStatus{store.StatusOpen}
	case "pending_approval":
		f.Statuses = []store.ExceptionStatus{store.StatusOpen}
		pendingOnly = true
	case "resolved":
		f.Statuses = []store.ExceptionStatus{store.StatusResolved}
	case "all":
	default:
		return f, false, badRequest(fmt.Sprintf("status %q: want open, pending_approval, resolved or all", v))
	}
	if v := q.Get("reason"); v != "" {
		if err := f.Reason.UnmarshalText([]byte(v)); err != nil || f.Reason == engine.NoReason {
			return f, false, badRequest(fmt.Sprintf("reason %q is not an exception reason", v))
		}
	}
	f.Customer = engine.CustomerID(q.Get("customer"))
	switch v := q.Get("assignee"); v {
	case "":
	case "none":
		f.Unassigned = true
	default:
		f.Assignee = v
	}
	f.Currency = engine.Currency(strings.ToUpper(q.Get("currency")))
	for _, b := range []struct {
		name string
		to   *decimal.NullDecimal
	}{{"min_amount", &f.MinAmount}, {"max_amount", &f.MaxAmount}} {
		if v := q.Get(b.name); v != "" {
			d, err := decimal.NewFromString(v)
			if err != nil {
				return f, false, badRequest(fmt.Sprintf("%s %q is not a decimal number", b.name, v))
			}
			*b.to = decimal.NewNullDecimal(d)
		}
	}
	for _, b := range []struct {
		name string
		to   *time.Duration
	}{{"min_age_days", &f.MinAge}, {"max_age_days", &f.MaxAge}} {
		if v := q.Get(b.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return f, false, badRequest(fmt.Sprintf("%s %q: want a whole number of days", b.name, v))
			}
			*b.to = time.Duration(n) * 24 * time.Hour
		}
	}
	// A max age of n days includes exceptions up to the end of day n.
	if f.MaxAge > 0 {
		f.MaxAge += 24*time.Hour - time.Nanosecond
	}
	switch v := q.Get("sort"); v {
	case "", "age":
	case "-age":
		f.Desc = true
	case "amount":
		f.Sort = store.SortAmount
	case "-amount":
		f.Sort, f.Desc = store.SortAmount, true
	default:
		return f, false, badRequest(fmt.Sprintf("sort %q: want age, -age, amount or -amount", v))
	}
	return f, pendingOnly, nil
}

// exceptionDetailJSON is an exception with its payment and the open items of
// its customer.
type exceptionDetailJSON struct {
	exceptionJSON
	Payment   engine.Payment `json:"payment"`
	OpenItems []invoiceJSON  `json:"open_items"`
}

// getException answers with one exception, its payment and remittance, the
// ranked suggestions and the customer's open items.
func (s *Server) getException(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	app, err := s.store.Application(r.Context(), s.opts.Entity, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && app.Exception == nil {
		return notFound(fmt.Sprintf("no exception %q", id))
	}
	if err != nil {
		return err
	}
	x := *app.Exception
	pending, err := s.proposals(r.Context())
	if err != nil {
		return err
	}
	out := exceptionDetailJSON{exceptionJSON: newExceptionJSON(x, time.Now()), Payment: app.Payment,
		OpenItems: []invoiceJSON{}}
	s.markPending(&out.exceptionJSON, x, pending)
	if x.Customer != "" {
		items, err := s.openItems(r.Context(), x.Customer)
		if err != nil {
			return err
		}
		for _, inv := range items {
			out.OpenItems = append(out.OpenItems, newInvoiceJSON(inv))
		}
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, out)
}

// assignException sets who works on an exception.
func (s *Server) assignException(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	ver, err := ifMatch(r)
	if err != nil {
		return err
	}
	who := principalFrom(r.Context())
	in := struct {
		Assignee *string `json:"assignee"`
	}{}
	if r.ContentLength != 0 {
		if err := readJSON(r, &in); err != nil {
			return err
		}
	}
	assignee := who.Name
	if in.Assignee != nil {
		assignee = strings.TrimSpace(*in.Assignee)
	}
	x, err := s.store.Assign(r.Context(), s.opts.Entity, id, ver, assignee, who.Name)
	if err != nil {
		return storeProblem(err, "exception", string(id))
	}
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, newExceptionJSON(x, time.Now()))
}

// etag formats a version as a strong ETag.
func etag(v uint64) string { return `"` + version(v) + `"` }

// ifMatch reads the version a change is based on from If-Match: a quoted
// ETag as GET returned it, or the bare number.
func ifMatch(r *http.Request) (uint64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return 0, problem(http.StatusPreconditionRequired, "if-match-required", "If-Match required",
			"send If-Match with the version (ETag) of the exception or payment as you last read it")
	}
	return parseVersion(v)
}

// parseVersion reads a version as an ETag or a plain number.
func parseVersion(v string) (uint64, error) {
	v = strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("version %q: want the ETag the API returned", v))
	}
	return n, nil
}

// storeProblem turns a store error of a change into the answer: 404, 409 or
// 422; any other error is a failure of the server.
func storeProblem(err error, what, id string) error {
	var inv *store.InvalidError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound(fmt.Sprintf("no %s %q", what, id))
	case errors.Is(err, store.ErrConflict):
		return problem(http.StatusConflict, "conflict", "Changed by someone else",
			err.Error()+"; read it again and decide on what it is now")
	case errors.As(err, &inv):
		p := unprocessable("invalid-change", "The change does not add up", err.Error())
		if inv.Field != "" {
			p.Extra = map[string]any{"field": inv.Field}
		}
		return p
	case errors.Is(err, store.ErrInvalid):
		return unprocessable("invalid-change", "The change does not add up", err.Error())
	}
	return err
}
