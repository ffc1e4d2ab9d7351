package api

import (
	"context"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// Store is what the API needs from storage; *store.Store implements it. A
// method returns an error wrapping store.ErrNotFound for a record that does
// not exist, store.ErrConflict for a change based on a stale version and
// store.ErrInvalid for a change that does not add up.
type Store interface {
	engine.Store

	ImportInvoices(ctx context.Context, entity engine.EntityID, invs []engine.Invoice, actor string) (store.ImportResult, error)
	Invoices(ctx context.Context, entity engine.EntityID, f store.InvoiceFilter) ([]store.Invoice, error)
	InvoiceEntries(ctx context.Context, entity engine.EntityID, id engine.InvoiceID) ([]store.Entry, error)
	Customer(ctx context.Context, entity engine.EntityID, id engine.CustomerID) (engine.Customer, error)

	Statement(ctx context.Context, entity engine.EntityID, id engine.StatementID) (store.StatementInfo, error)
	StatementPage(ctx context.Context, entity engine.EntityID, before uint64, limit int) ([]store.StatementInfo, error)

	Exception(ctx context.Context, entity engine.EntityID, payment engine.PaymentID) (store.Exception, error)
	Exceptions(ctx context.Context, entity engine.EntityID, f store.ExceptionFilter) (store.ExceptionPage, error)
	Assign(ctx context.Context, entity engine.EntityID, payment engine.PaymentID, version uint64, assignee, actor string) (store.Exception, error)
	ResolveAll(ctx context.Context, entity engine.EntityID, rs []store.Resolution) ([]store.Exception, []error, error)

	Application(ctx context.Context, entity engine.EntityID, id engine.PaymentID) (store.Application, error)
	Unapply(ctx context.Context, entity engine.EntityID, u store.Unapply) (store.Application, error)
	Entries(ctx context.Context, entity engine.EntityID, after uint64, limit int) ([]store.Entry, error)
	EntrySeqAt(ctx context.Context, entity engine.EntityID, since time.Time) (uint64, error)

	Propose(ctx context.Context, entity engine.EntityID, p store.Proposal) error
	Proposals(ctx context.Context, entity engine.EntityID) ([]store.Proposal, error)
	DropProposal(ctx context.Context, entity engine.EntityID, payment engine.PaymentID) error

	Report(ctx context.Context, entity engine.EntityID) (store.Totals, error)
}
