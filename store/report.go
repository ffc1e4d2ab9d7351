package store

import (
	"context"

	"github.com/cashmatch/cashmatch/engine"
)

// Report returns an entity's totals: invoices, payments by the engine's
// decision, exceptions by status and reason, and the amounts by currency. It
// reads one record: the totals move in the same batches as what they sum.
func (s *Store) Report(ctx context.Context, entity engine.EntityID) (Totals, error) {
	meta, t, err := s.meta(entity)
	if err != nil {
		return Totals{}, err
	}
	t.Pending = int(meta.Ingested - meta.Decided)
	return t, nil
}

// Cursors are an entity's positions: how many payments are stored and how
// many of them are decided.
type Cursors struct {
	Ingested   uint64 // the last payment seq of a stored statement
	Decided    uint64 // every payment up to this seq is decided
	Entries    uint64 // the last ledger entry seq
	Audit      uint64 // the last audit record seq
	Statements uint64 // the last statement seq
}

// Cursors returns an entity's cursors.
func (s *Store) Cursors(ctx context.Context, entity engine.EntityID) (Cursors, error) {
	m, _, err := s.meta(entity)
	if err != nil {
		return Cursors{}, err
	}
	return Cursors{m.Ingested, m.Decided, m.Entries, m.Audit, m.Statements}, nil
}
