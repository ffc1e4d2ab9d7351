package engine

import "context"

// Ledger is what the engine reads from storage: the receivables of one legal
// entity, as of one consistent point in time.
type Ledger interface {
	// Book returns a snapshot of the entity's open items, customers and
	// learned aliases and accounts. The snapshot reflects every decision
	// committed before the call and is the caller's to change.
	Book(ctx context.Context, entity EntityID) (*Book, error)
}

// Receipt is what storing one statement's payments found.
type Receipt struct {
	// Statement is the statement as stored; for a duplicate, as it was first
	// received.
	Statement Statement
	// Duplicate is true when a statement with the same ID was already
	// stored: nothing was written.
	Duplicate bool
	// New counts the payments stored. Repeated counts those skipped because
	// an earlier statement holds the same payment (same account, bank
	// reference, amount and value date), as a corrected file repeats them.
	New, Repeated int
}

// Intake stores the payments of statements before they are decided. Each
// stored payment gets the entity's next sequence number, once; matching
// consumes an entity's payments in that order.
type Intake interface {
	// Receive reads src to its end and only then makes its payments
	// visible, durably, with their sequence numbers. A statement that src
	// refuses (Next returns an error other than io.EOF) stores nothing and
	// Receive returns that error.
	Receive(ctx context.Context, entity EntityID, src Source) (Receipt, error)
	// Pending returns up to max stored payments of the entity that are not
	// decided yet and are numbered above after, in sequence order. After
	// zero starts right after the entity's decided-up-to cursor; a decider
	// whose last batch is still being committed passes that batch's last
	// sequence number.
	Pending(ctx context.Context, entity EntityID, after uint64, max int) ([]Payment, error)
	// StatementSummary totals the decisions of a statement's payments;
	// complete reports whether every one of them is decided.
	StatementSummary(ctx context.Context, entity EntityID, id StatementID) (s Summary, complete bool, err error)
}

// Batch is the decisions of consecutive pending payments of one entity.
type Batch struct {
	Entity EntityID
	// Payments have consecutive sequence numbers, the first one right after
	// the entity's decided-up-to cursor.
	Payments  []Payment
	Decisions []Decision // Decisions[i] decides Payments[i]
}

// Committer writes decided batches.
type Committer interface {
	// Commit writes b atomically and syncs it before returning: the
	// decisions, the cash they apply, the invoices' new open amounts, the
	// exceptions, the audit records and the entity's decided-up-to cursor,
	// moved past the last payment of b. When the cursor is not where b
	// starts, or an invoice changed since the book was read so that a
	// decision no longer fits it, Commit writes nothing and returns an
	// error wrapping ErrConflict: decide again from a fresh book.
	Commit(ctx context.Context, b Batch) error
}
