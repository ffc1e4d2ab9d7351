// Package invoices reads the open items an ERP exports, as CSV with a header
// row. The columns invoice_id, customer_id, customer_name, amount, currency,
// issue_date and due_date are required; open_amount, terms, po_number and
// customer_accounts (bank accounts separated by semicolons) are optional.
// Column order does not matter.
package invoices

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

var required = []string{"invoice_id", "customer_id", "customer_name", "amount", "currency", "issue_date", "due_date"}

// RowError reports one invalid row.
type RowError struct {
	Line   int    // 1-based line of the CSV file
	Column string // the column at fault, if one
	Err    error
}

func (e *RowError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// MaxRowErrors caps the row errors Read collects before it stops.
const MaxRowErrors = 100

// Read reads every invoice of the CSV r. Valid rows are returned even when
// others are invalid; the invalid ones come back as *RowError values joined
// in err (at most MaxRowErrors). A missing header column is an error of its
// own and returns no invoices.
func Read(r io.Reader) ([]engine.Invoice, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("invoice file header: %w", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	var missing []string
	for _, name := range required {
		if _, ok := col[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("invoice file header lacks the column(s) %s", strings.Join(missing, ", "))
	}

	var (
		out  []engine.Invoice
		errs []error
		seen = make(map[engine.InvoiceID]int)
	)
	for len(errs) < MaxRowErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			errs = append(errs, &RowError{Line: line, Err: err})
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			break
		}
		inv, err := parseRow(rec, col, line)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, dup := seen[inv.ID]; dup {
			errs = append(errs, &RowError{Line: line, Column: "invoice_id",
				Err: fmt.Errorf("invoice %s appears again (first on line %d)", inv.ID, first)})
			continue
		}
		seen[inv.ID] = line
		out = append(out, inv)
	}
	return out, errors.Join(errs...)
}

func parseRow(rec []string, col map[string]int, line int) (engine.Invoice, error) {
	get := func(name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	bad := func(column string, err error) (engine.Invoice, error) {
		return engine.Invoice{}, &RowError{Line: line, Column: column, Err: err}
	}
	for _, name := range []string{"invoice_id", "customer_id", "amount", "currency"} {
		if get(name) == "" {
			return bad(name, errors.New("is empty"))
		}
	}
	cur, err := engine.ParseCurrency(get("currency"))
	if err != nil {
		return bad("currency", err)
	}
	amount, err := engine.ParseAmount(get("amount"), cur)
	if err != nil {
		return bad("amount", err)
	}
	open := amount
	if s := get("open_amount"); s != "" {
		if open, err = engine.ParseAmount(s, cur); err != nil {
			return bad("open_amount", err)
		}
		if open.Sign() != 0 && open.Sign() != amount.Sign() || open.Abs().Cmp(amount.Abs()) > 0 {
			return bad("open_amount", fmt.Errorf("open amount %s is not between 0 and the amount %s", open, amount))
		}
	}
	inv := engine.Invoice{
		ID:           engine.InvoiceID(get("invoice_id")),
		Customer:     engine.CustomerID(get("customer_id")),
		CustomerName: get("customer_name"),
		Amount:       amount,
		Open:         open,
		PONumber:     get("po_number"),
	}
	for _, d := range []struct {
		name string
		to   *engine.Date
	}{{"issue_date", &inv.IssueDate}, {"due_date", &inv.DueDate}} {
		if s := get(d.name); s != "" {
			if *d.to, err = engine.ParseDate(s); err != nil {
				return bad(d.name, err)
			}
		}
	}
	if inv.Terms, err = engine.ParseTerms(get("terms")); err != nil {
		return bad("terms", err)
	}
	for _, a := range strings.Split(get("customer_accounts"), ";") {
		if a = strings.TrimSpace(a); a != "" {
			inv.CustomerAccounts = append(inv.CustomerAccounts, a)
		}
	}
	return inv, nil
}
