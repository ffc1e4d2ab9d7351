package api

import (
	"context"

	"github.com/cashmatch/cashmatch/engine"
)

// Store is what the API needs from storage; *store.Store implements it. A
// method returns an error wrapping store.ErrNotFound for a record that does
// not exist.
type Store interface {
	engine.Store
	StatementStore
	InvoiceStore
}

// StatementStore reads the statements that were ingested.
type StatementStore interface {
	// Statements returns the entity's statements, newest first.
	Statements(ctx context.Context, entity engine.EntityID) ([]engine.Statement, error)
	// StatementOutcome returns a statement as it was first ingested, with
	// the totals of the decisions made then.
	StatementOutcome(ctx context.Context, entity engine.EntityID, id engine.StatementID) (engine.Statement, engine.Summary, error)
}

// InvoiceStore keeps the open items.
type InvoiceStore interface {
	// PutInvoices adds or replaces invoices in one durable write.
	PutInvoices(ctx context.Context, entity engine.EntityID, invs []engine.Invoice) error
	// EachInvoice calls fn for the entity's invoices in ID order, starting
	// after the given ID ("" for the first), until fn returns false.
	EachInvoice(ctx context.Context, entity engine.EntityID, after engine.InvoiceID, fn func(engine.Invoice) bool) error
}
