package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/invoices"
	"github.com/cashmatch/cashmatch/store"
)

// invoiceJSON is an open item as the API shows and accepts it. Amounts are
// decimal strings in the invoice's currency.
type invoiceJSON struct {
	ID               engine.InvoiceID  `json:"invoice_id"`
	Customer         engine.CustomerID `json:"customer_id"`
	CustomerName     string            `json:"customer_name"`
	Currency         engine.Currency   `json:"currency"`
	Amount           string            `json:"amount"`
	Open             string            `json:"open_amount,omitempty"`
	IssueDate        string            `json:"issue_date"`
	DueDate          string            `json:"due_date"`
	Terms            string            `json:"terms,omitempty"`
	PONumber         string            `json:"po_number,omitempty"`
	CustomerAccounts []string          `json:"customer_accounts,omitempty"`
}

func newInvoiceJSON(inv engine.Invoice) invoiceJSON {
	return invoiceJSON{
		ID: inv.ID, Customer: inv.Customer, CustomerName: inv.CustomerName,
		Currency: inv.Amount.Currency, Amount: inv.Amount.String(), Open: inv.Open.String(),
		IssueDate: inv.IssueDate.String(), DueDate: inv.DueDate.String(),
		Terms: inv.Terms.String(), PONumber: inv.PONumber, CustomerAccounts: inv.CustomerAccounts,
	}
}

// importJSON says what an invoice upload stored. Warnings name invoices
// whose amounts in the upload disagree with the store, which keeps its own:
// cash may have been applied that the ERP has not seen yet.
type importJSON struct {
	Imported int      `json:"imported"`
	New      int      `json:"new"`
	Updated  int      `json:"updated"`
	Warnings []string `json:"warnings"`
}

// rowErrorJSON is one invalid row of an invoice upload. Row counts data rows
// from 1; Line is the line of a CSV file.
type rowErrorJSON struct {
	Row     int    `json:"row"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// uploadInvoices adds or replaces open items from a CSV file (the ERP
// export, text/csv) or a JSON object {"invoices": [...]}. Valid rows are
// stored even when others are not; the invalid ones are listed, row by row,
// in a 422 problem.
func (s *Server) uploadInvoices(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var (
		src    io.Reader
		isJSON bool
	)
	switch mt {
	case "text/csv", "application/csv":
		src = r.Body
	case "application/json":
		var in struct {
			Invoices []invoiceJSON `json:"invoices"`
		}
		if err := readJSON(r, &in); err != nil {
			return err
		}
		csvText, err := invoicesCSV(in.Invoices)
		if err != nil {
			return err
		}
		src, isJSON = csvText, true
	default:
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported content type",
			"send the ERP's CSV export as text/csv, or JSON as application/json")
	}

	// Read every row, store the valid ones, then report the others.
	invs, rowErr := invoices.Read(src)
	var err error
	var tooLarge *http.MaxBytesError
	if errors.As(rowErr, &tooLarge) {
		return rowErr
	}
	var res store.ImportResult
	if len(invs) > 0 {
		who := principalFrom(r.Context())
		if res, err = s.store.ImportInvoices(r.Context(), s.opts.Entity, invs, who.Name); err != nil {
			return err
		}
	}
	if rowErr == nil {
		return writeJSON(w, http.StatusOK, importJSON{Imported: len(invs), New: res.New,
			Updated: res.Updated, Warnings: nonNil(res.Warnings)})
	}
	rows := rowErrors(rowErr, isJSON)
	if len(rows) == 0 {
		// The header, not a row, is at fault.
		return unprocessable("invalid-invoices", "The invoice file cannot be read", rowErr.Error())
	}
	p := unprocessable("invalid-invoices", "Some invoice rows are invalid",
		fmt.Sprintf("%d rows are invalid; the %d valid rows were imported", len(rows), len(invs)))
	p.Extra = map[string]any{"imported": len(invs), "errors": rows, "warnings": nonNil(res.Warnings)}
	return p
}

// invoicesCSV writes invoices given as JSON in the CSV layout that
// invoices.Read reads, so that both forms are validated alike. Line n+1 of
// the result holds invoice n.
func invoicesCSV(in []invoiceJSON) (io.Reader, error) {
	if len(in) == 0 {
		return nil, badRequest(`"invoices" is empty`)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"invoice_id", "customer_id", "customer_name", "amount", "currency",
		"open_amount", "issue_date", "due_date", "terms", "po_number", "customer_accounts"})
	for i, inv := range in {
		rec := []string{string(inv.ID), string(inv.Customer), inv.CustomerName, inv.Amount,
			string(inv.Currency), inv.Open, inv.IssueDate, inv.DueDate, inv.Terms, inv.PONumber,
			strings.Join(inv.CustomerAccounts, ";")}
		for _, f := range rec {
			if strings.ContainsAny(f, "\r\n") {
				return nil, badRequest(fmt.Sprintf("invoice %d: a field holds a line break", i+1))
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return &buf, cw.Error()
}

// rowErrors lists the row errors joined in err. For JSON input the line is
// dropped: the row is what the caller knows.
func rowErrors(err error, isJSON bool) []rowErrorJSON {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []rowErrorJSON
	for _, e := range errs {
		var re *invoices.RowError
		if !errors.As(e, &re) {
			continue
		}
		row := rowErrorJSON{Row: re.Line - 1, Line: re.Line, Column: re.Column, Message: re.Err.Error()}
		if isJSON {
			row.Line = 0
		}
		out = append(out, row)
	}
	return out
}

// listInvoices answers with the entity's invoices in ID order, filtered by
// customer, currency and status (open, closed or all; open by default), a
// page at a time.
func (s *Server) listInvoices(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	status := q.Get("status")
	switch status {
	case "":
		status = "open"
	case "open", "closed", "all":
	default:
		return badRequest(fmt.Sprintf("status %q: want open, closed or all", status))
	}
	f := store.InvoiceFilter{Customer: engine.CustomerID(q.Get("customer")), OpenOnly: status == "open",
		Limit: store.MaxPage}
	if c := q.Get("cursor"); c != "" {
		after, err := decodeCursor(c)
		if err != nil {
			return err
		}
		f.After = engine.InvoiceID(after)
	}
	currency := engine.Currency(strings.ToUpper(q.Get("currency")))

	// Read store pages until this page is full: the closed and currency
	// filters are applied here.
	out := struct {
		Invoices   []invoiceJSON `json:"invoices"`
		NextCursor string        `json:"next_cursor,omitempty"`
	}{Invoices: []invoiceJSON{}}
	for {
		got, err := s.store.Invoices(r.Context(), s.opts.Entity, f)
		if err != nil {
			return err
		}
		for _, inv := range got {
			f.After = inv.ID
			if currency != "" && inv.Amount.Currency != currency || status == "closed" && !inv.Open.IsZero() {
				continue
			}
			if len(out.Invoices) == limit {
				out.NextCursor = encodeCursor(string(out.Invoices[limit-1].ID))
				return writeJSON(w, http.StatusOK, out)
			}
			out.Invoices = append(out.Invoices, newInvoiceJSON(inv.Invoice))
		}
		if len(got) < f.Limit {
			return writeJSON(w, http.StatusOK, out)
		}
	}
}

// getCustomer answers with a customer, the names and accounts it is known to
// pay under, and its open items.
func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) error {
	id := engine.CustomerID(r.PathValue("id"))
	c, err := s.store.Customer(r.Context(), s.opts.Entity, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(fmt.Sprintf("no customer %q", id))
	}
	if err != nil {
		return err
	}
	items, err := s.openItems(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		ID        engine.CustomerID          `json:"customer_id"`
		Name      string                     `json:"name"`
		Aliases   []string                   `json:"aliases"`
		Accounts  []string                   `json:"accounts"`
		OpenItems []invoiceJSON              `json:"open_items"`
		OpenTotal map[engine.Currency]string `json:"open_total"`
	}{ID: c.ID, Name: c.Name, Aliases: nonNil(c.Aliases), Accounts: nonNil(c.Accounts),
		OpenItems: []invoiceJSON{}, OpenTotal: map[engine.Currency]string{}}
	totals := map[engine.Currency]engine.Amount{}
	for _, inv := range items {
		out.OpenItems = append(out.OpenItems, newInvoiceJSON(inv))
		cur := inv.Open.Currency
		sum, ok := totals[cur]
		if !ok {
			sum = engine.Zero(cur)
		}
		totals[cur] = sum.Add(inv.Open)
	}
	for cur, a := range totals {
		out.OpenTotal[cur] = a.String()
	}
	return writeJSON(w, http.StatusOK, out)
}

// maxOpenItems caps the open items shown with a customer or an exception.
const maxOpenItems = 1000

// openItems returns up to maxOpenItems open invoices of a customer.
func (s *Server) openItems(ctx context.Context, id engine.CustomerID) ([]engine.Invoice, error) {
	got, err := s.store.Invoices(ctx, s.opts.Entity, store.InvoiceFilter{Customer: id, OpenOnly: true, Limit: maxOpenItems})
	if err != nil {
		return nil, err
	}
	out := make([]engine.Invoice, 0, len(got))
	for _, inv := range got {
		out = append(out, inv.Invoice)
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
