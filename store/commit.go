package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// Commit writes the decisions of consecutive pending payments in one synced
// batch: the ledger entries of the cash they apply, the invoices' new open
// amounts, the payments' applications, an exception for every payment not
// fully applied, one audit record for the batch (the entries it wrote name
// it), the statements' summaries and the entity's decided-up-to cursor. It writes nothing and returns an error
// wrapping ErrConflict when the cursor is not where b starts or a decision
// would take an invoice beyond zero (the book it was made on is stale).
//
// The entity is locked while the batch is built and applied, not while it is
// synced: the next batch is prepared meanwhile, and Commit returns once its
// own batch is synced.
func (s *Store) Commit(ctx context.Context, b engine.Batch) error {
	if len(b.Decisions) != len(b.Payments) {
		return fmt.Errorf("store: commit: %d decisions for %d payments", len(b.Decisions), len(b.Payments))
	}
	if len(b.Payments) == 0 {
		return nil
	}
	t, err := s.applyDecisions(ctx, b)
	if err != nil {
		return err
	}
	if err := t.wait(); err != nil {
		return err
	}
	s.metrics.payments.Add(uint64(len(b.Payments)))
	return nil
}

// applyDecisions builds and applies the batch of b under the entity's lock
// and returns the txn to wait for.
func (s *Store) applyDecisions(ctx context.Context, b engine.Batch) (*txn, error) {
	e, unlock, err := s.lockEntity(b.Entity)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t := s.begin(b.Entity, e, EngineActor)
	if err := s.buildDecisions(ctx, t, b); err != nil {
		t.abort()
		return nil, err
	}
	if err := t.apply(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// buildDecisions puts the decisions of b in the txn.
func (s *Store) buildDecisions(ctx context.Context, t *txn, b engine.Batch) error {
	first := b.Payments[0].Seq
	if first != t.meta.Decided+1 {
		s.metrics.conflict.Add(1)
		return fmt.Errorf("%w: commit from payment %d, the entity is decided up to %d",
			ErrConflict, first, t.meta.Decided)
	}
	last := b.Payments[len(b.Payments)-1].Seq
	if err := t.preloadInvoices(ctx, b.Decisions); err != nil {
		return err
	}
	audit := t.newAudit(&Audit{Actor: EngineActor, Action: ActionDecide, FirstSeq: first, LastSeq: last,
		Note: fmt.Sprintf("%d payments decided", len(b.Payments)), batch: true})
	for i, p := range b.Payments {
		if p.Seq != first+uint64(i) || p.Seq > t.meta.Ingested {
			return fmt.Errorf("store: commit: payment %s has seq %d, want %d (at most %d)",
				p.ID, p.Seq, first+uint64(i), t.meta.Ingested)
		}
		if err := t.decide(p, b.Decisions[i], audit); err != nil {
			if errors.Is(err, ErrConflict) {
				s.metrics.conflict.Add(1)
			}
			return err
		}
	}
	if err := t.addAudit(audit); err != nil {
		return err
	}
	t.meta.Decided = last
	return nil
}

// decide records the engine's decision of one payment, audited by audit.
func (t *txn) decide(p engine.Payment, d engine.Decision, audit *Audit) error {
	if d.Payment != p.ID {
		return fmt.Errorf("store: decision of payment %s given for payment %s", d.Payment, p.ID)
	}
	if err := d.Check(p); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	c := p.Amount.Currency
	a := &application{Seq: p.Seq, Kind: d.Kind, Customer: d.Customer, Confidence: d.Confidence,
		Exception: d.Exception, Reasons: d.Reasons, Original: d.Original, Applied: engine.Zero(c), OnAccount: engine.Zero(c),
		NotReceivable: engine.Zero(c), Unapplied: p.Amount, Decided: t.now}
	ac := &change[application]{cur: a}
	t.apps[p.Seq] = ac
	t.putApp(ac)
	a.Audit = audit.Seq

	// Post the cash and adjustments.
	post := func(en Entry) error {
		en.PaymentSeq, en.Payment = p.Seq, p.ID
		err := t.post(&en, a, audit)
		var over *overError
		if errors.As(err, &over) {
			return fmt.Errorf("%w: payment %s: %v", ErrConflict, p.ID, over)
		}
		return err
	}
	for _, al := range d.Allocations {
		if err := post(Entry{Kind: EntryAllocation, Invoice: al.Invoice, Customer: d.Customer, Amount: al.Amount}); err != nil {
			return err
		}
	}
	for _, adj := range d.Adjustments {
		if err := post(Entry{Kind: EntryAdjustment, Invoice: adj.Invoice, Customer: d.Customer,
			Amount: adj.Amount, Reason: adj.Reason, Code: adj.Code}); err != nil {
			return err
		}
	}
	if !d.OnAccount.IsZero() {
		if err := post(Entry{Kind: EntryOnAccount, Customer: d.Customer, Amount: d.OnAccount}); err != nil {
			return err
		}
	}

	// Queue what is not fully applied, unless it is not a payment to
	// decide at all.
	var x *Exception
	if d.Kind != engine.Auto && d.Kind != engine.Skipped || d.Kind == engine.Auto && !a.Unapplied.IsZero() {
		x = &Exception{Seq: p.Seq, Payment: p.ID, Kind: d.Kind, Reason: d.Exception, Status: StatusOpen,
			Created: t.now, Amount: a.Unapplied, Customer: d.Customer, PayerName: p.PayerName,
			ValueDate: p.ValueDate, Reasons: d.Reasons, Suggestions: d.Suggestions}
		if x.Customer == "" && len(d.Suggestions) > 0 {
			x.Customer = d.Suggestions[0].Customer
		}
		a.HasException = true
		t.newException(x)
	}
	return t.summarize(p, d)
}

// overError is a ledger entry that would take an invoice beyond zero.
type overError struct {
	Invoice engine.InvoiceID
	Open    engine.Amount
	Amount  engine.Amount
}

func (e *overError) Error() string {
	return fmt.Sprintf("%s %s against invoice %s, which has %s open: it would be left beyond zero",
		e.Amount, e.Amount.Currency, e.Invoice, e.Open)
}

// post writes a ledger entry of a payment and applies it to the invoice's
// open amount and to the payment's application, recording both in audit.
func (t *txn) post(en *Entry, a *application, audit *Audit) error {
	if en.touchesInvoice() {
		ic, err := t.invoice(en.Invoice)
		if err != nil {
			return fmt.Errorf("payment %s: %w", en.Payment, err)
		}
		inv := ic.cur
		if en.Amount.Currency != inv.Open.Currency {
			return fmt.Errorf("%w: payment %s: %s %s against invoice %s in %s", errInvalid, en.Payment,
				en.Amount, en.Amount.Currency, inv.ID, inv.Open.Currency)
		}
		open := inv.Open.Sub(en.Amount)
		if !withinInvoice(open, inv.Amount) {
			return &overError{Invoice: inv.ID, Open: inv.Open, Amount: en.Amount}
		}
		if !audit.batch {
			audit.invoiceChange(inv.ID, inv.Open, open)
		}
		inv.Open = open
		t.putInvoice(ic)
	}
	if en.isCash() {
		if en.Amount.Currency != a.Unapplied.Currency {
			return fmt.Errorf("%w: payment %s is in %s, not %s", errInvalid, en.Payment,
				a.Unapplied.Currency, en.Amount.Currency)
		}
		switch en.Kind {
		case EntryAllocation:
			a.Applied = a.Applied.Add(en.Amount)
		case EntryOnAccount:
			a.OnAccount = a.OnAccount.Add(en.Amount)
		case EntryNotReceivable:
			a.NotReceivable = a.NotReceivable.Add(en.Amount)
		}
		a.Unapplied = a.Unapplied.Sub(en.Amount)
	}
	en.Audit = audit.Seq
	if err := t.addEntry(en); err != nil {
		return err
	}
	a.Entries = append(a.Entries, en.Seq)
	if !audit.batch {
		audit.Entries = append(audit.Entries, *en)
	}
	return nil
}

// invoiceChange records an invoice's open amount before and after, keeping
// the first before when one change touches the invoice twice.
func (a *Audit) invoiceChange(id engine.InvoiceID, before, after engine.Amount) {
	for i := range a.Invoices {
		if a.Invoices[i].Invoice == id {
			a.Invoices[i].After = after
			return
		}
	}
	a.Invoices = append(a.Invoices, InvoiceChange{Invoice: id, Before: before, After: after})
}

// summarize adds a decision to its statement's summary.
func (t *txn) summarize(p engine.Payment, d engine.Decision) error {
	sum, ok := t.summaries[p.Statement]
	if !ok {
		st, err := t.statement(p.Statement)
		if err != nil {
			return fmt.Errorf("payment %s: %w", p.ID, err)
		}
		s, err := st.Summary.summary()
		if err != nil {
			return fmt.Errorf("statement %s: %w", p.Statement, err)
		}
		sum = &s
		t.summaries[p.Statement] = sum
	}
	sum.Add(p, d)
	return nil
}

// preloadInvoices reads the invoices that decisions name.
func (t *txn) preloadInvoices(ctx context.Context, ds []engine.Decision) error {
	var ids []string
	for _, d := range ds {
		for _, a := range d.Allocations {
			ids = append(ids, string(a.Invoice))
		}
		for _, a := range d.Adjustments {
			ids = append(ids, string(a.Invoice))
		}
	}
	_, err := t.preload(ctx, ids)
	return err
}

// preload reads invoices into the txn in key order, with one iterator, so
// that a batch costs a sweep rather than a point read per invoice. It
// returns the IDs that no invoice has.
func (t *txn) preload(ctx context.Context, ids []string) (missing map[engine.InvoiceID]bool, err error) {
	missing = map[engine.InvoiceID]bool{}
	if len(ids) == 0 {
		return missing, nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	p := prefix(t.id, tableInvoice)
	it, err := t.s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: p, UpperBound: upperBound(p)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	k := slices.Clone(p)
	for _, id := range ids {
		if _, ok := t.invoices[engine.InvoiceID(id)]; ok {
			continue
		}
		k = append(k[:len(p)], id...)
		if !it.SeekGE(k) || !bytes.Equal(it.Key(), k) {
			missing[engine.InvoiceID(id)] = true
			continue
		}
		inv, err := decodeInvoice(it.Value())
		if err != nil {
			return nil, fmt.Errorf("invoice %s: %w", id, err)
		}
		cp := inv
		t.invoices[inv.ID] = &change[Invoice]{orig: &inv, cur: &cp}
	}
	return missing, it.Error()
}
