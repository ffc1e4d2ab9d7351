package store

import (
	"context"
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// PutInvoices stores invoices, replacing any with the same ID, in one synced
// batch.
func (s *Store) PutInvoices(ctx context.Context, entity engine.EntityID, invs []engine.Invoice) error {
	b := s.db.NewBatch()
	defer b.Close()
	for _, inv := range invs {
		v, err := encode(toInvoiceRecord(inv))
		if err != nil {
			return fmt.Errorf("encode invoice %s: %w", inv.ID, err)
		}
		if err := b.Set(key(entity, tableInvoice, string(inv.ID)), v, nil); err != nil {
			return err
		}
	}
	return b.Commit(pebble.Sync)
}

// Book returns a snapshot of the entity's invoices and customers.
func (s *Store) Book(ctx context.Context, entity engine.EntityID) (*engine.Book, error) {
	lower, upper := tableBounds(entity, tableInvoice)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var invs []engine.Invoice
	for it.First(); it.Valid(); it.Next() {
		var r invoiceRecord
		if err := decode(it.Value(), &r); err != nil {
			return nil, fmt.Errorf("invoice %q: %w", it.Key()[len(lower):], err)
		}
		inv, err := r.invoice()
		if err != nil {
			return nil, fmt.Errorf("invoice %s: %w", r.ID, err)
		}
		invs = append(invs, inv)
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	return engine.NewBook(invs, nil), nil
}
