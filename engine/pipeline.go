package engine

import (
	"context"
	"errors"
	"fmt"
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
	Intake
	Committer
}

// DefaultCommitSize is how many decided payments are written per synced
// commit when Options.CommitSize is zero: large enough that the cost of a
// sync is spread thin, small enough that a commit stays a few megabytes.
const DefaultCommitSize = 4096

// maxConflicts bounds how often DecidePending starts again from a fresh book
// after a commit lost to a concurrent change.
const maxConflicts = 8

// Outcome is the result of ingesting one statement.
type Outcome struct {
	Statement Statement
	// Summary totals the decisions of the statement's payments.
	Summary Summary
	// Duplicate is true when the statement was already stored; nothing new
	// was stored.
	Duplicate bool
	// New and Repeated count the payments stored and those skipped because
	// an earlier statement holds them (see Receipt).
	New, Repeated int
}

// Ingest stores every payment of src, then decides every pending payment of
// the entity in sequence order against its book, committing each
// opts.CommitSize decisions together with the entity's decided-up-to cursor.
// A refused statement stores nothing. A statement already stored changes
// nothing, except that decisions an interrupted run left pending are made.
// opts may be nil.
func Ingest(ctx context.Context, store Store, entity EntityID, src Source, opts *Options) (Outcome, error) {
	// Store the whole statement first: nothing of a refused file is kept.
	rc, err := store.Receive(ctx, entity, src)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Statement: rc.Statement, Duplicate: rc.Duplicate, New: rc.New, Repeated: rc.Repeated}

	// Decide this statement's payments and any an interrupted run left.
	if _, err := DecidePending(ctx, store, entity, opts); err != nil {
		return out, err
	}

	out.Summary, _, err = store.StatementSummary(ctx, entity, rc.Statement.ID)
	return out, err
}

// DecidePending decides every stored payment of the entity that is not
// decided yet, in sequence order, and returns how many it decided. It is how a
// restarted process resumes after a crash: the store's decided-up-to cursor
// says where to start. opts may be nil.
func DecidePending(ctx context.Context, store Store, entity EntityID, opts *Options) (int, error) {
	opts = opts.EnsureDefaults()
	if err := opts.Validate(); err != nil {
		return 0, err
	}
	decided := 0
	for conflicts := 0; ; conflicts++ {
		n, err := decideRun(ctx, store, entity, opts)
		decided += n
		if !errors.Is(err, ErrConflict) || conflicts == maxConflicts {
			return decided, err
		}
		opts.Logger.Warn("commit lost to a concurrent change; deciding again from a fresh book",
			"entity", entity, "err", err)
	}
}

// decideRun decides pending payments against one book, read when the first
// pending payment is found, until none is left or a commit fails. While one
// batch is being committed the next one is decided: commits stay in order,
// and a commit that fails stops the run.
func decideRun(ctx context.Context, store Store, entity EntityID, opts *Options) (int, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan Batch, 1)
	committed := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range batches {
			if ctx.Err() != nil {
				continue
			}
			if err := store.Commit(ctx, b); err != nil {
				cancel(err)
				continue
			}
			committed += len(b.Payments)
			if opts.Decided != nil {
				for i, p := range b.Payments {
					opts.Decided(p, b.Decisions[i])
				}
			}
		}
	}()
	err := decideBatches(ctx, store, entity, opts, batches)
	close(batches)
	<-done
	if cause := context.Cause(ctx); cause != nil && cause != context.Canceled {
		err = cause // the commit's failure, or the caller's reason
	}
	return committed, err
}

// decideBatches decides the pending payments a batch at a time and hands
// each batch to the committer.
func decideBatches(ctx context.Context, store Store, entity EntityID, opts *Options, batches chan<- Batch) error {
	var m *Matcher
	after := uint64(0)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ps, err := store.Pending(ctx, entity, after, opts.CommitSize)
		if err != nil || len(ps) == 0 {
			return err
		}
		if m == nil {
			book, err := store.Book(ctx, entity)
			if err != nil {
				return fmt.Errorf("load receivables of %s: %w", entity, err)
			}
			if m, err = NewMatcher(book, opts); err != nil {
				return err
			}
		}
		ds, err := m.DecideAll(ctx, ps)
		if err != nil {
			return err
		}
		select {
		case batches <- Batch{Entity: entity, Payments: ps, Decisions: ds}:
		case <-ctx.Done():
			return ctx.Err()
		}
		after = ps[len(ps)-1].Seq
	}
}
