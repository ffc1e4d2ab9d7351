package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// entryJSON is one line of the cash-application ledger.
type entryJSON struct {
	Entry    string            `json:"entry"`
	Time     time.Time         `json:"time"`
	Kind     store.EntryKind   `json:"kind"`
	Payment  engine.PaymentID  `json:"payment_id"`
	Invoice  engine.InvoiceID  `json:"invoice_id,omitempty"`
	Customer engine.CustomerID `json:"customer_id,omitempty"`
	Amount   engine.Amount     `json:"amount"`
	Currency engine.Currency   `json:"currency"`
	Reason   string            `json:"reason,omitempty"`
	Code     string            `json:"code,omitempty"`
	Reverses string            `json:"reverses,omitempty"`
}

func newEntryJSON(en store.Entry) entryJSON {
	j := entryJSON{Entry: version(en.Seq), Time: en.Time.UTC(), Kind: en.Kind, Payment: en.Payment,
		Invoice: en.Invoice, Customer: en.Customer, Amount: en.Amount, Currency: en.Amount.Currency,
		Code: en.Code}
	if en.Kind == store.EntryAdjustment {
		j.Reason = en.Reason.String()
	}
	if en.Reverses != 0 {
		j.Reverses = version(en.Reverses)
	}
	return j
}

// paymentJSON is a payment with the engine's decision and what is applied of
// it now.
type paymentJSON struct {
	Payment       engine.Payment    `json:"payment"`
	Decision      engine.Kind       `json:"decision"`
	Customer      engine.CustomerID `json:"customer_id,omitempty"`
	Confidence    engine.Confidence `json:"confidence"`
	Reasons       []string          `json:"reasons"`
	Exception     string            `json:"exception,omitempty"`
	Version       string            `json:"version"`
	Applied       engine.Amount     `json:"applied"`
	OnAccount     engine.Amount     `json:"on_account"`
	NotReceivable engine.Amount     `json:"not_receivable"`
	Unapplied     engine.Amount     `json:"unapplied"`
	Allocations   []allocationJSON  `json:"allocations"`
	Entries       []entryJSON       `json:"entries"`
}

func newPaymentJSON(app store.Application) paymentJSON {
	c := app.Payment.Amount.Currency
	d := app.Engine
	j := paymentJSON{Payment: app.Payment, Decision: d.Kind, Customer: d.Customer, Confidence: d.Confidence,
		Reasons: nonNil(d.Reasons), Version: version(app.Version),
		Applied: inCurrency(app.Applied, c), OnAccount: inCurrency(app.OnAccount, c),
		NotReceivable: inCurrency(app.NotReceivable, c), Unapplied: inCurrency(app.Unapplied, c),
		Allocations: []allocationJSON{}, Entries: []entryJSON{}}
	if d.Exception != engine.NoReason {
		j.Exception = d.Exception.String()
	}

	// What is applied now, by invoice: the allocations net of reversals.
	net := map[engine.InvoiceID]engine.Amount{}
	var order []engine.InvoiceID
	for _, en := range app.Entries {
		j.Entries = append(j.Entries, newEntryJSON(en))
		if en.Kind != store.EntryAllocation {
			continue
		}
		sum, ok := net[en.Invoice]
		if !ok {
			sum, order = engine.Zero(c), append(order, en.Invoice)
		}
		net[en.Invoice] = sum.Add(en.Amount)
	}
	for _, id := range order {
		if !net[id].IsZero() {
			j.Allocations = append(j.Allocations, allocationJSON{id, net[id]})
		}
	}
	return j
}

// getPayment answers with a payment, its decision and what is applied now.
func (s *Server) getPayment(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	app, err := s.store.Application(r.Context(), s.opts.Entity, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("no payment %q", id))
	}
	if err != nil {
		return err
	}
	if !app.Decided {
		return problem(http.StatusNotFound, "not-decided", "Not decided yet",
			fmt.Sprintf("payment %s is stored but the engine has not decided it yet", id))
	}
	w.Header().Set("ETag", etag(app.Version))
	return writeJSON(w, http.StatusOK, newPaymentJSON(app))
}

// unapplyPayment reverses everything applied of a payment: its invoices
// reopen and it goes back to the exception queue.
func (s *Server) unapplyPayment(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	ver, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &in); err != nil {
			return err
		}
	}
	who := principalFrom(r.Context())
	app, err := s.store.Unapply(r.Context(), s.opts.Entity, store.Unapply{Payment: id, Version: ver,
		Actor: who.Name, Note: in.Note})
	if err != nil {
		return storeProblem(err, "payment", string(id))
	}
	// A proposal made before is stale now; drop it so it shows nowhere.
	if err := s.store.DropProposal(r.Context(), s.opts.Entity, id); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(app.Version))
	return writeJSON(w, http.StatusOK, newPaymentJSON(app))
}

// Export page sizes.
const (
	defaultExport = 1000
	maxExport     = 10000
)

// exportAllocations answers with the ledger entries after since, as JSON or
// CSV, for posting to the ERP.
func (s *Server) exportAllocations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	limit := defaultExport
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxExport {
			return badRequest(fmt.Sprintf("limit %q: want a whole number from 1 to %d", v, maxExport))
		}
		limit = n
	}
	after, err := s.since(r, q.Get("since"))
	if err != nil {
		return err
	}
	asCSV, err := wantCSV(r)
	if err != nil {
		return err
	}
	entries, err := s.store.Entries(ctx, s.opts.Entity, after, limit)
	if err != nil {
		return err
	}
	next := after
	if len(entries) > 0 {
		next = entries[len(entries)-1].Seq
	}
	w.Header().Set("X-Next-Since", version(next))
	if asCSV {
		return writeEntriesCSV(w, entries)
	}
	out := struct {
		Entries   []entryJSON `json:"entries"`
		NextSince string      `json:"next_since"`
	}{Entries: make([]entryJSON, 0, len(entries)), NextSince: version(next)}
	for _, en := range entries {
		out.Entries = append(out.Entries, newEntryJSON(en))
	}
	return writeJSON(w, http.StatusOK, out)
}

// since reads the export position: a ledger position as next_since gave
// it, or a date or time, meaning the entries written from then on.
func (s *Server) since(r *http.Request, v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		d, derr := engine.ParseDate(v)
		if derr != nil {
			return 0, badRequest(fmt.Sprintf("since %q: want a ledger position (next_since), a date YYYY-MM-DD or an RFC 3339 time", v))
		}
		t = d.Time()
	}
	return s.store.EntrySeqAt(r.Context(), s.opts.Entity, t)
}

// wantCSV reports whether the export is asked for as CSV, by format=csv or
// an Accept header that prefers text/csv.
func wantCSV(r *http.Request) (bool, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
	default:
		return false, badRequest(fmt.Sprintf("format %q: want json or csv", f))
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		switch mt {
		case "text/csv":
			return true, nil
		case "application/json":
			return false, nil
		}
	}
	return false, nil
}

// exportColumns are the columns of the CSV export.
var exportColumns = []string{"entry", "time", "kind", "payment_id", "invoice_id", "customer_id",
	"amount", "currency", "reason", "code", "reverses"}

func writeEntriesCSV(w http.ResponseWriter, entries []store.Entry) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(exportColumns)
	for _, en := range entries {
		j := newEntryJSON(en)
		cw.Write([]string{j.Entry, j.Time.Format(time.RFC3339Nano), j.Kind.String(), string(j.Payment),
			string(j.Invoice), string(j.Customer), j.Amount.String(), string(j.Currency), j.Reason, j.Code, j.Reverses})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}
