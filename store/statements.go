package store

import (
	"context"
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// StatementInfo is a stored statement with what ingesting it did.
type StatementInfo struct {
	engine.Statement
	Seq uint64 // the statement's number within the entity, in the order received
	// New and Repeated count the payments stored and those skipped as
	// repeats of an earlier statement's; FirstSeq and LastSeq are the
	// sequence numbers of the stored ones (zero when none was stored).
	New, Repeated     int
	FirstSeq, LastSeq uint64
	// Summary totals the decisions of its payments; Complete is true once
	// all of them are decided.
	Summary  engine.Summary
	Complete bool
}

// Statement returns a stored statement, or ErrNotFound.
func (s *Store) Statement(ctx context.Context, entity engine.EntityID, id engine.StatementID) (StatementInfo, error) {
	var r statementRecord
	if err := s.getJSON("statement", key(entity, tableStatement, string(id)), &r); err != nil {
		return StatementInfo{}, fmt.Errorf("statement %s: %w", id, err)
	}
	meta, _, err := s.meta(entity)
	if err != nil {
		return StatementInfo{}, err
	}
	return r.info(entity, meta)
}

func (r statementRecord) info(entity engine.EntityID, meta entityMeta) (StatementInfo, error) {
	sum, err := r.Summary.summary()
	if err != nil {
		return StatementInfo{}, fmt.Errorf("statement %s: %w", r.ID, err)
	}
	return StatementInfo{Statement: r.statement(entity), Seq: r.Seq, New: r.New, Repeated: r.Repeated,
		FirstSeq: r.FirstSeq, LastSeq: r.LastSeq, Summary: sum,
		Complete: r.LastSeq <= meta.Decided}, nil
}

// StatementPage lists stored statements, newest first: up to limit (zero
// means 100, at most MaxPage) of those numbered below before (zero: from the
// newest). Continue with the Seq of the last one returned.
func (s *Store) StatementPage(ctx context.Context, entity engine.EntityID, before uint64, limit int) ([]StatementInfo, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxPage)
	meta, _, err := s.meta(entity)
	if err != nil {
		return nil, err
	}
	p := prefix(entity, tableStatementNo)
	upper := upperBound(p)
	if before > 0 {
		upper = seqKey(entity, tableStatementNo, before)
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: p, UpperBound: upper})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []StatementInfo
	for it.Last(); it.Valid() && len(out) < limit; it.Prev() {
		var r statementRecord
		if err := s.getJSON("statement", key(entity, tableStatement, string(it.Value())), &r); err != nil {
			return nil, fmt.Errorf("statement %s: %w", it.Value(), err)
		}
		info, err := r.info(entity, meta)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, it.Error()
}

// Statements returns every stored statement of the entity, newest first.
func (s *Store) Statements(ctx context.Context, entity engine.EntityID) ([]engine.Statement, error) {
	var out []engine.Statement
	before := uint64(0)
	for {
		page, err := s.StatementPage(ctx, entity, before, MaxPage)
		if err != nil {
			return nil, err
		}
		for _, st := range page {
			out = append(out, st.Statement)
		}
		if len(page) < MaxPage {
			return out, nil
		}
		before = page[len(page)-1].Seq
	}
}

// StatementOutcome returns a stored statement with the totals of its
// payments' decisions, or an error wrapping ErrNotFound.
func (s *Store) StatementOutcome(ctx context.Context, entity engine.EntityID,
	id engine.StatementID) (engine.Statement, engine.Summary, error) {
	info, err := s.Statement(ctx, entity, id)
	if err != nil {
		return engine.Statement{}, engine.Summary{}, err
	}
	return info.Statement, info.Summary, nil
}
