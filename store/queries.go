package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// Statements returns the entity's statements, newest first (by the time they
// were received, then by ID).
func (s *Store) Statements(ctx context.Context, entity engine.EntityID) ([]engine.Statement, error) {
	var out []engine.Statement
	err := s.scan(ctx, entity, tableStatement, "", func(k, v []byte) (bool, error) {
		var r statementRecord
		if err := decode(v, &r); err != nil {
			return false, fmt.Errorf("statement %q: %w", k, err)
		}
		out = append(out, r.statement(entity))
		return true, nil
	})
	slices.SortFunc(out, func(a, b engine.Statement) int {
		if c := b.Received.Compare(a.Received); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.ID), []byte(b.ID))
	})
	return out, err
}

// StatementOutcome returns a stored statement with the totals of the
// decisions made when it was first ingested. It returns ErrNotFound for a
// statement that is not stored.
func (s *Store) StatementOutcome(ctx context.Context, entity engine.EntityID, id engine.StatementID) (engine.Statement, engine.Summary, error) {
	var r statementRecord
	if err := s.get(key(entity, tableStatement, string(id)), &r); err != nil {
		return engine.Statement{}, engine.Summary{}, fmt.Errorf("statement %s: %w", id, err)
	}
	sum := engine.NewSummary()
	// Payment IDs begin with the statement's ID (see bankfile.PaymentID), so
	// the statement's payments are one key range.
	prefix := string(id)
	if len(prefix) > 16 {
		prefix = prefix[:16]
	}
	err := s.scan(ctx, entity, tablePayment, prefix, func(k, v []byte) (bool, error) {
		var pr storedDecision
		if err := decode(v, &pr); err != nil {
			return false, fmt.Errorf("payment %q: %w", k, err)
		}
		if pr.Payment.Statement != id {
			return true, nil
		}
		p, d, err := pr.decision()
		if err != nil {
			return false, fmt.Errorf("payment %s: %w", pr.Payment.ID, err)
		}
		sum.Add(p, d)
		return true, nil
	})
	return r.statement(entity), sum, err
}

// EachInvoice calls fn for the entity's invoices in ID order, starting after
// the given ID ("" for the first), until fn returns false.
func (s *Store) EachInvoice(ctx context.Context, entity engine.EntityID, after engine.InvoiceID, fn func(engine.Invoice) bool) error {
	start := ""
	if after != "" {
		start = string(after) + "\x00"
	}
	return s.scanFrom(ctx, entity, tableInvoice, start, "", func(k, v []byte) (bool, error) {
		var r invoiceRecord
		if err := decode(v, &r); err != nil {
			return false, fmt.Errorf("invoice %q: %w", k, err)
		}
		inv, err := r.invoice()
		if err != nil {
			return false, fmt.Errorf("invoice %s: %w", r.ID, err)
		}
		return fn(inv), nil
	})
}

// scan calls fn for every record of a table whose ID begins with prefix.
func (s *Store) scan(ctx context.Context, entity engine.EntityID, table byte, prefix string, fn func(k, v []byte) (bool, error)) error {
	return s.scanFrom(ctx, entity, table, prefix, prefix, fn)
}

// scanFrom calls fn for the records of a table from ID start on, while their
// ID begins with prefix and fn returns true.
func (s *Store) scanFrom(ctx context.Context, entity engine.EntityID, table byte, start, prefix string, fn func(k, v []byte) (bool, error)) error {
	lower, upper := tableBounds(entity, table)
	if start != "" {
		lower = key(entity, table, start)
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return err
	}
	defer it.Close()
	want := key(entity, table, prefix)
	for it.First(); it.Valid(); it.Next() {
		if !bytes.HasPrefix(it.Key(), want) {
			break
		}
		more, err := fn(it.Key(), it.Value())
		if err != nil {
			return err
		}
		if !more {
			break
		}
	}
	return it.Error()
}

func (r statementRecord) statement(entity engine.EntityID) engine.Statement {
	received, _ := time.Parse(time.RFC3339, r.Received)
	return engine.Statement{ID: r.ID, Entity: entity, Source: r.Source, Format: r.Format,
		Size: r.Size, Received: received, Payments: r.Payments, Warnings: r.Warnings}
}

// storedDecision reads back the parts of a payment record that totals need.
// The decision line holds amounts as decimal strings in the payment's
// currency.
type storedDecision struct {
	Payment struct {
		ID        engine.PaymentID   `json:"id"`
		Statement engine.StatementID `json:"statement"`
		Amount    string             `json:"amount"`
	} `json:"payment"`
	Currency engine.Currency `json:"currency"`
	Decision struct {
		Decision    engine.Kind `json:"decision"`
		Allocations []struct {
			Invoice engine.InvoiceID `json:"invoice_id"`
			Amount  string           `json:"amount"`
		} `json:"allocations"`
		OnAccount string `json:"on_account"`
		Unapplied string `json:"unapplied"`
		Exception string `json:"exception"`
	} `json:"decision"`
}

func (r storedDecision) decision() (engine.Payment, engine.Decision, error) {
	c := r.Currency
	amount, err := engine.ParseAmount(r.Payment.Amount, c)
	if err != nil {
		return engine.Payment{}, engine.Decision{}, err
	}
	p := engine.Payment{ID: r.Payment.ID, Statement: r.Payment.Statement, Amount: amount}
	d := engine.Decision{Payment: p.ID, Kind: r.Decision.Decision}
	if r.Decision.Exception != "" {
		if err := d.Exception.UnmarshalText([]byte(r.Decision.Exception)); err != nil {
			return p, d, err
		}
	}
	for _, a := range r.Decision.Allocations {
		v, err := engine.ParseAmount(a.Amount, c)
		if err != nil {
			return p, d, err
		}
		d.Allocations = append(d.Allocations, engine.Allocation{Invoice: a.Invoice, Amount: v})
	}
	if d.OnAccount, err = engine.ParseAmount(r.Decision.OnAccount, c); err != nil {
		return p, d, err
	}
	if d.Unapplied, err = engine.ParseAmount(r.Decision.Unapplied, c); err != nil {
		return p, d, err
	}
	return p, d, nil
}
