package engine

import "context"

// Ledger is what the engine reads from storage: the receivables of one legal
// entity, as of one consistent point in time.
type Ledger interface {
	// Book returns a snapshot of the entity's open items, customers and
	// learned aliases. The snapshot is the caller's to change.
	Book(ctx context.Context, entity EntityID) (*Book, error)
}

// Batch is everything one matching run decided, written together: the
// statement, its payments, their decisions and the invoices' new open
// amounts. A store writes a Batch atomically and durably, or not at all.
type Batch struct {
	Entity    EntityID
	Statement Statement
	Payments  []Payment
	Decisions []Decision // Decisions[i] decides Payments[i]
}

// Committer writes decided batches.
type Committer interface {
	// Commit writes b atomically and syncs it before returning. A statement
	// already stored is not written again; Commit then returns
	// ErrDuplicateStatement.
	Commit(ctx context.Context, b Batch) error
}
