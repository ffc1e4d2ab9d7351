package engine

import (
	"context"
	"fmt"
	"io"
)

// Source streams the payments of one statement, as a bank-file reader does.
type Source interface {
	// Next returns the next payment, io.EOF at the end, or an error that
	// refuses the whole statement.
	Next() (Payment, error)
	// Statement describes the statement; it is complete once Next returned
	// io.EOF.
	Statement() Statement
}

// Store is what the pipeline needs from storage.
type Store interface {
	Ledger
	Committer
}

// Outcome is the result of ingesting one statement.
type Outcome struct {
	Statement Statement
	Payments  []Payment
	Decisions []Decision
	Summary   Summary
	// Duplicate is true when the statement was already stored; nothing was
	// written.
	Duplicate bool
}

// Ingest reads every payment of src, decides them against the entity's book
// in order, and commits them with their decisions in one batch. A refused
// statement commits nothing.
func Ingest(ctx context.Context, store Store, entity EntityID, src Source, opts *Options) (Outcome, error) {
	// Read the whole statement first: nothing from a refused file is applied.
	var payments []Payment
	for {
		p, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Outcome{}, err
		}
		payments = append(payments, p)
	}
	st := src.Statement()
	st.Entity = entity

	// Decide against a snapshot of the entity's receivables.
	book, err := store.Book(ctx, entity)
	if err != nil {
		return Outcome{}, fmt.Errorf("load receivables of %s: %w", entity, err)
	}
	m, err := NewMatcher(book, opts)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Statement: st, Payments: payments, Summary: NewSummary()}
	if out.Decisions, err = m.DecideAll(ctx, payments); err != nil {
		return Outcome{}, err
	}
	for i, p := range payments {
		out.Summary.Add(p, out.Decisions[i])
	}

	// Commit everything at once.
	err = store.Commit(ctx, Batch{Entity: entity, Statement: st, Payments: payments, Decisions: out.Decisions})
	if err == ErrDuplicateStatement {
		out.Duplicate = true
		return out, nil
	}
	return out, err
}
