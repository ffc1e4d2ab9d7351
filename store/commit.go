package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// Commit writes a statement, its payments, their decisions and the invoices'
// new open amounts in one synced batch. A statement already stored is not
// written again: Commit returns engine.ErrDuplicateStatement.
func (s *Store) Commit(ctx context.Context, b engine.Batch) error {
	sk := key(b.Entity, tableStatement, string(b.Statement.ID))
	if err := s.get(sk, &statementRecord{}); err == nil {
		return engine.ErrDuplicateStatement
	} else if err != ErrNotFound {
		return err
	}
	if len(b.Decisions) != len(b.Payments) {
		return fmt.Errorf("commit statement %s: %d decisions for %d payments",
			b.Statement.ID, len(b.Decisions), len(b.Payments))
	}

	batch := s.db.NewBatch()
	defer batch.Close()
	set := func(k []byte, v any) error {
		enc, err := encode(v)
		if err != nil {
			return err
		}
		return batch.Set(k, enc, nil)
	}

	// Reduce the open amounts of the invoices the decisions apply cash to.
	invoices := make(map[engine.InvoiceID]engine.Invoice)
	for i, d := range b.Decisions {
		if err := d.Check(b.Payments[i]); err != nil {
			return fmt.Errorf("commit statement %s: %w", b.Statement.ID, err)
		}
		if err := s.reduce(b.Entity, invoices, d); err != nil {
			return fmt.Errorf("commit statement %s: %w", b.Statement.ID, err)
		}
	}
	for id, inv := range invoices {
		if err := set(key(b.Entity, tableInvoice, string(id)), toInvoiceRecord(inv)); err != nil {
			return err
		}
	}

	// Write the payments with their decisions, then the statement.
	for i, p := range b.Payments {
		rec := paymentRecord{Payment: p, Currency: p.Amount.Currency,
			Decision: engine.NewDecisionLine(p, b.Decisions[i])}
		if err := set(key(b.Entity, tablePayment, string(p.ID)), rec); err != nil {
			return err
		}
	}
	st := b.Statement
	if err := set(sk, statementRecord{ID: st.ID, Source: st.Source, Format: st.Format, Size: st.Size,
		Received: time.Now().UTC().Format(time.RFC3339), Payments: len(b.Payments), Warnings: st.Warnings}); err != nil {
		return err
	}
	return batch.Commit(pebble.Sync)
}

// reduce applies the decision's allocations and adjustments to the invoices,
// reading each invoice from the store the first time it is met.
func (s *Store) reduce(entity engine.EntityID, invoices map[engine.InvoiceID]engine.Invoice, d engine.Decision) error {
	load := func(id engine.InvoiceID) (engine.Invoice, error) {
		if inv, ok := invoices[id]; ok {
			return inv, nil
		}
		var r invoiceRecord
		if err := s.get(key(entity, tableInvoice, string(id)), &r); err != nil {
			return engine.Invoice{}, fmt.Errorf("invoice %s: %w", id, err)
		}
		return r.invoice()
	}
	apply := func(id engine.InvoiceID, a engine.Amount) error {
		inv, err := load(id)
		if err != nil {
			return err
		}
		inv.Open = inv.Open.Sub(a)
		if inv.Open.Sign() != 0 && inv.Open.Sign() != inv.Amount.Sign() {
			return fmt.Errorf("invoice %s would be left at %s", id, inv.Open)
		}
		invoices[id] = inv
		return nil
	}
	for _, a := range d.Allocations {
		if err := apply(a.Invoice, a.Amount); err != nil {
			return err
		}
	}
	for _, a := range d.Adjustments {
		if err := apply(a.Invoice, a.Amount); err != nil {
			return err
		}
	}
	return nil
}
