package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// Action names what an audit record records.
type Action string

// Actions.
const (
	ActionImport        Action = "import_invoices"
	ActionReceive       Action = "receive_statement"
	ActionDecide        Action = "decide"
	ActionAssign        Action = "assign"
	ActionApply         Action = "apply"
	ActionOnAccount     Action = "on_account"
	ActionNotReceivable Action = "not_receivable"
	ActionUnapply       Action = "unapply"
)

// EngineActor is the actor of the engine's own decisions.
const EngineActor = "engine"

// Audit is one record of the append-only audit log: who did what, when and
// why, with the state before and after. A person's change lists the ledger
// entries it wrote and the invoices it changed. The engine's decisions are
// audited a batch at a time: the record names the payments decided
// (FirstSeq to LastSeq) and each ledger entry it wrote names the record; the
// decisions themselves are kept with the payments. Replayed in order from an
// empty store, with the ledger, the records rebuild the state the store
// holds (see Check).
type Audit struct {
	Seq    uint64
	Time   time.Time
	Actor  string
	Action Action
	Note   string // why, in the actor's words

	// The payment changed, with its amount.
	Payment    engine.PaymentID
	PaymentSeq uint64
	Amount     engine.Amount

	// A received statement and the payment seqs it was given.
	Statement         engine.StatementID
	FirstSeq, LastSeq uint64

	// Entries are the ledger entries written; Invoices the open amounts
	// they changed (or, for an import, the invoices imported).
	Entries  []Entry
	Invoices []InvoiceChange
	// Before and After are the payment's state around the change.
	Before, After *PaymentState
	// Learned is what a resolution taught about a customer.
	Learned *Learned

	// batch marks the record of a batch of the engine's decisions, which
	// lists no entries: each entry names it.
	batch bool
}

// PaymentState is what is applied of a payment and where its exception
// stands.
type PaymentState struct {
	Applied       engine.Amount
	OnAccount     engine.Amount
	NotReceivable engine.Amount
	Unapplied     engine.Amount
	Exception     ExceptionStatus // zero: the payment has no exception
	Assignee      string
	Version       uint64
}

// InvoiceChange is an invoice's open amount before and after a change. For
// an import, Amount is the original amount and New says the invoice was not
// stored before.
type InvoiceChange struct {
	Invoice  engine.InvoiceID
	Customer engine.CustomerID
	Amount   engine.Amount
	New      bool
	Before   engine.Amount
	After    engine.Amount
}

// Learned is a payer name or account that a resolution attributed to a
// customer.
type Learned struct {
	Customer engine.CustomerID
	Alias    string
	Account  string
}

// state returns the payment's state for the audit log; x may be nil.
func (a *application) state(x *Exception) PaymentState {
	ps := PaymentState{Applied: a.Applied, OnAccount: a.OnAccount, NotReceivable: a.NotReceivable,
		Unapplied: a.Unapplied, Version: a.Version}
	if x != nil {
		ps.Exception, ps.Assignee = x.Status, x.Assignee
	}
	return ps
}

// auditRecord is an Audit as stored.
type auditRecord struct {
	Time      time.Time           `json:"time"`
	Actor     string              `json:"actor"`
	Action    Action              `json:"action"`
	Note      string              `json:"note,omitempty"`
	Payment   engine.PaymentID    `json:"payment,omitempty"`
	PaySeq    uint64              `json:"payment_seq,omitempty"`
	Amount    *money              `json:"amount,omitempty"`
	Statement engine.StatementID  `json:"statement,omitempty"`
	FirstSeq  uint64              `json:"first_seq,omitempty"`
	LastSeq   uint64              `json:"last_seq,omitempty"`
	Entries   []auditEntryRecord  `json:"entries,omitempty"`
	Invoices  []invoiceChangeRec  `json:"invoices,omitempty"`
	Before    *paymentStateRecord `json:"before,omitempty"`
	After     *paymentStateRecord `json:"after,omitempty"`
	Learned   *Learned            `json:"learned,omitempty"`
}

type auditEntryRecord struct {
	Seq      uint64                  `json:"seq"`
	Kind     EntryKind               `json:"kind"`
	Invoice  engine.InvoiceID        `json:"invoice,omitempty"`
	Customer engine.CustomerID       `json:"customer,omitempty"`
	Amount   money                   `json:"amount"`
	Reason   engine.AdjustmentReason `json:"reason,omitempty"`
	Code     string                  `json:"code,omitempty"`
	Reverses uint64                  `json:"reverses,omitempty"`
}

type invoiceChangeRec struct {
	Invoice  engine.InvoiceID  `json:"invoice"`
	Customer engine.CustomerID `json:"customer,omitempty"`
	Amount   *money            `json:"amount,omitempty"`
	New      bool              `json:"new,omitempty"`
	Before   *money            `json:"before,omitempty"`
	After    money             `json:"after"`
}

type paymentStateRecord struct {
	Applied       money           `json:"applied"`
	OnAccount     money           `json:"on_account"`
	NotReceivable money           `json:"not_receivable"`
	Unapplied     money           `json:"unapplied"`
	Exception     ExceptionStatus `json:"exception,omitempty"`
	Assignee      string          `json:"assignee,omitempty"`
	Version       uint64          `json:"version"`
}

func optMoney(a engine.Amount) *money {
	if a.Currency == "" && a.IsZero() {
		return nil
	}
	m := toMoney(a)
	return &m
}

func (m *money) optAmount(err *error) engine.Amount {
	if m == nil {
		return engine.Amount{}
	}
	return m.mustAmount(err)
}

func (ps *PaymentState) record() *paymentStateRecord {
	if ps == nil {
		return nil
	}
	return &paymentStateRecord{Applied: toMoney(ps.Applied), OnAccount: toMoney(ps.OnAccount),
		NotReceivable: toMoney(ps.NotReceivable), Unapplied: toMoney(ps.Unapplied),
		Exception: ps.Exception, Assignee: ps.Assignee, Version: ps.Version}
}

func (r *paymentStateRecord) state(err *error) *PaymentState {
	if r == nil {
		return nil
	}
	return &PaymentState{Applied: r.Applied.mustAmount(err), OnAccount: r.OnAccount.mustAmount(err),
		NotReceivable: r.NotReceivable.mustAmount(err), Unapplied: r.Unapplied.mustAmount(err),
		Exception: r.Exception, Assignee: r.Assignee, Version: r.Version}
}

func (a *Audit) record() auditRecord {
	r := auditRecord{Time: a.Time, Actor: a.Actor, Action: a.Action, Note: a.Note,
		Payment: a.Payment, PaySeq: a.PaymentSeq, Amount: optMoney(a.Amount),
		Statement: a.Statement, FirstSeq: a.FirstSeq, LastSeq: a.LastSeq,
		Before: a.Before.record(), After: a.After.record(), Learned: a.Learned}
	for _, en := range a.Entries {
		r.Entries = append(r.Entries, auditEntryRecord{Seq: en.Seq, Kind: en.Kind, Invoice: en.Invoice,
			Customer: en.Customer, Amount: toMoney(en.Amount), Reason: en.Reason, Code: en.Code,
			Reverses: en.Reverses})
	}
	for _, c := range a.Invoices {
		r.Invoices = append(r.Invoices, invoiceChangeRec{Invoice: c.Invoice, Customer: c.Customer,
			Amount: optMoney(c.Amount), New: c.New, Before: optMoney(c.Before), After: toMoney(c.After)})
	}
	return r
}

func (r auditRecord) audit(seq uint64) (Audit, error) {
	var err error
	a := Audit{Seq: seq, Time: r.Time, Actor: r.Actor, Action: r.Action, Note: r.Note,
		Payment: r.Payment, PaymentSeq: r.PaySeq, Amount: r.Amount.optAmount(&err),
		Statement: r.Statement, FirstSeq: r.FirstSeq, LastSeq: r.LastSeq,
		Before: r.Before.state(&err), After: r.After.state(&err), Learned: r.Learned}
	for _, e := range r.Entries {
		a.Entries = append(a.Entries, Entry{Seq: e.Seq, Kind: e.Kind, PaymentSeq: r.PaySeq,
			Payment: r.Payment, Invoice: e.Invoice, Customer: e.Customer,
			Amount: e.Amount.mustAmount(&err), Reason: e.Reason, Code: e.Code, Reverses: e.Reverses,
			Audit: seq, Time: r.Time})
	}
	for _, c := range r.Invoices {
		a.Invoices = append(a.Invoices, InvoiceChange{Invoice: c.Invoice, Customer: c.Customer,
			Amount: c.Amount.optAmount(&err), New: c.New, Before: c.Before.optAmount(&err),
			After: c.After.mustAmount(&err)})
	}
	return a, err
}

// AuditLog returns up to limit audit records of an entity with a seq above
// after, in order. Zero limit means 100.
func (s *Store) AuditLog(ctx context.Context, entity engine.EntityID, after uint64, limit int) ([]Audit, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []Audit
	err := s.scanAudit(ctx, entity, after, func(a Audit) bool {
		out = append(out, a)
		return len(out) < limit
	})
	return out, err
}

// scanAudit calls fn for each audit record with a seq above after, in order,
// until fn returns false.
func (s *Store) scanAudit(ctx context.Context, entity engine.EntityID, after uint64, fn func(Audit) bool) error {
	p := prefix(entity, tableAudit)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: seqKey(entity, tableAudit, after+1), UpperBound: upperBound(p)})
	if err != nil {
		return err
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		seq := seqOf(it.Key())
		var r auditRecord
		if err := decodeJSON("audit", it.Value(), &r); err != nil {
			return fmt.Errorf("audit %d: %w", seq, err)
		}
		a, err := r.audit(seq)
		if err != nil {
			return fmt.Errorf("audit %d: %w", seq, err)
		}
		if !fn(a) {
			break
		}
	}
	return it.Error()
}
