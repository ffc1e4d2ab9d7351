package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// ErrInvalid is returned for a change that does not add up or breaks a rule:
// amounts that do not account for the payment, an invoice left beyond zero,
// a currency that disagrees. The change is refused and nothing is written.
var ErrInvalid = errors.New("store: invalid change")

// errInvalid is ErrInvalid, for wrapping inside the package.
var errInvalid = ErrInvalid

// InvalidError says which part of a change is invalid and why. It wraps
// ErrInvalid.
type InvalidError struct {
	Payment engine.PaymentID
	Field   string // the part at fault: "allocations[1]", "on_account", ...
	Reason  string
}

func (e *InvalidError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("payment %s: %s", e.Payment, e.Reason)
	}
	return fmt.Sprintf("payment %s: %s: %s", e.Payment, e.Field, e.Reason)
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Resolution is a specialist's decision on an open exception. It must account
// for all of the cash the payment still has unapplied:
//
//   - ActionApply: Allocations (cash applied to invoices) plus OnAccount
//     equal the unapplied amount. Adjustments reduce invoices beyond the
//     cash, such as the difference of a short payment written off with a
//     reason code.
//   - ActionOnAccount: all of it is held on account for Customer.
//   - ActionNotReceivable: the payment is not customer cash (interest, a
//     transfer); all of it is set aside.
//
// When Customer is set, or all the invoices applied to belong to one
// customer, the payment's payer name and account are learned for that
// customer, so that the engine identifies the payer next time.
type Resolution struct {
	Payment engine.PaymentID
	// Version is the exception's version the specialist saw; a stale one is
	// refused with ErrConflict.
	Version     uint64
	Action      Action
	Customer    engine.CustomerID
	Allocations []engine.Allocation
	Adjustments []engine.Adjustment
	OnAccount   engine.Amount
	// InvoiceVersions, when set, are the versions of invoices the
	// specialist saw; an invoice changed since is refused with ErrConflict.
	InvoiceVersions map[engine.InvoiceID]uint64
	Actor           string
	Note            string // why
}

// Resolve applies a resolution in one synced, audited batch and returns the
// exception as resolved.
func (s *Store) Resolve(ctx context.Context, entity engine.EntityID, r Resolution) (Exception, error) {
	xs, errs, err := s.ResolveAll(ctx, entity, []Resolution{r})
	if err != nil {
		return Exception{}, err
	}
	return xs[0], errs[0]
}

// ResolveAll applies resolutions of several exceptions in one synced batch.
// Each is checked against the state left by those before it; errs[i] says
// why rs[i] was refused, and a refused one changes nothing. err reports a
// failure to write, after which nothing was written.
func (s *Store) ResolveAll(ctx context.Context, entity engine.EntityID, rs []Resolution) (xs []Exception, errs []error, err error) {
	e, unlock, err := s.lockEntity(entity)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	t := s.begin(entity, e, "")
	defer t.abort()
	xs, errs = make([]Exception, len(rs)), make([]error, len(rs))
	applied := 0
	for i, r := range rs {
		x, err := t.resolve(r)
		switch {
		case errors.Is(err, ErrConflict):
			s.metrics.conflict.Add(1)
			errs[i] = err
			continue
		case errors.Is(err, ErrInvalid), errors.Is(err, ErrNotFound):
			errs[i] = err
			continue
		case err != nil:
			return nil, nil, err
		}
		xs[i] = *x
		applied++
	}
	if applied == 0 {
		return xs, errs, nil
	}
	if err := t.commit(ctx); err != nil {
		return nil, nil, err
	}
	for i := range xs {
		if errs[i] == nil {
			xs[i] = *t.exceptions[xs[i].Seq].cur
		}
	}
	return xs, errs, nil
}

// resolve checks a resolution against the txn's state and applies it there.
// It changes nothing in the txn when it returns an error.
func (t *txn) resolve(r Resolution) (*Exception, error) {
	invalid := func(field, format string, args ...any) error {
		return &InvalidError{Payment: r.Payment, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if r.Actor == "" {
		return nil, invalid("actor", "a resolution names who made it")
	}
	seq, err := t.paymentSeq(r.Payment)
	if err != nil {
		return nil, err
	}
	xc, err := t.exception(seq)
	if err != nil {
		return nil, fmt.Errorf("exception %s: %w", r.Payment, err)
	}
	if xc.cur.Version != r.Version {
		return nil, &ConflictError{Payment: r.Payment, Want: r.Version, Have: xc.cur.Version}
	}
	if xc.cur.Status != StatusOpen {
		return nil, fmt.Errorf("%w: exception %s is %s", ErrConflict, r.Payment, xc.cur.Status)
	}
	ac, err := t.app(seq)
	if err != nil {
		return nil, err
	}
	unapplied := ac.cur.Unapplied
	c := unapplied.Currency

	// Turn the resolution into ledger entries.
	var plan []Entry
	customer := r.Customer
	switch r.Action {
	case ActionApply:
		if len(r.Allocations) == 0 {
			return nil, invalid("allocations", "apply names at least one invoice")
		}
		for _, al := range r.Allocations {
			plan = append(plan, Entry{Kind: EntryAllocation, Invoice: al.Invoice, Amount: al.Amount})
		}
		for _, adj := range r.Adjustments {
			plan = append(plan, Entry{Kind: EntryAdjustment, Invoice: adj.Invoice, Amount: adj.Amount,
				Reason: adj.Reason, Code: adj.Code})
		}
		if !r.OnAccount.IsZero() {
			plan = append(plan, Entry{Kind: EntryOnAccount, Amount: r.OnAccount})
		}
	case ActionOnAccount:
		if customer == "" {
			return nil, invalid("customer", "on account names the customer")
		}
		plan = append(plan, Entry{Kind: EntryOnAccount, Amount: unapplied})
	case ActionNotReceivable:
		plan = append(plan, Entry{Kind: EntryNotReceivable, Amount: unapplied})
	default:
		return nil, invalid("action", "%q is not apply, on_account or not_receivable", r.Action)
	}
	if r.Action != ActionApply && (len(r.Allocations) > 0 || len(r.Adjustments) > 0) {
		return nil, invalid("allocations", "%s takes no allocations or adjustments", r.Action)
	}

	// Check the entries: currency, signs, reason codes, the invoices.
	cash := engine.Zero(c)
	invoiceCustomers := map[engine.CustomerID]bool{}
	reduce := map[engine.InvoiceID]engine.Amount{}
	for i, en := range plan {
		field := fmt.Sprintf("%s[%d]", en.Kind, i)
		if en.Amount.Currency != c {
			return nil, invalid(field, "amount in %q, the payment is in %s", en.Amount.Currency, c)
		}
		if en.Amount.Sign() <= 0 && en.Kind != EntryAllocation {
			return nil, invalid(field, "amount %s is not positive", en.Amount)
		}
		if en.Kind == EntryAdjustment && en.Reason == engine.WriteOff && strings.TrimSpace(en.Code) == "" {
			return nil, invalid(field, "a write-off needs a reason code")
		}
		if en.isCash() {
			cash = cash.Add(en.Amount)
		}
		if !en.touchesInvoice() {
			continue
		}
		ic, err := t.invoice(en.Invoice)
		if errors.Is(err, ErrNotFound) {
			return nil, invalid(field, "invoice %s does not exist", en.Invoice)
		}
		if err != nil {
			return nil, err
		}
		inv := ic.cur
		if want, ok := r.InvoiceVersions[inv.ID]; ok && want != inv.Version {
			return nil, &ConflictError{Payment: r.Payment, Invoice: inv.ID, Want: want, Have: inv.Version}
		}
		if inv.Open.Currency != c {
			return nil, invalid(field, "invoice %s is in %s, the payment in %s", inv.ID, inv.Open.Currency, c)
		}
		sum, ok := reduce[inv.ID]
		if !ok {
			sum = engine.Zero(c)
		}
		reduce[inv.ID] = sum.Add(en.Amount)
		if !withinInvoice(inv.Open.Sub(reduce[inv.ID]), inv.Amount) {
			return nil, invalid(field, "invoice %s has %s open; %s would leave it beyond zero",
				inv.ID, inv.Open, reduce[inv.ID])
		}
		invoiceCustomers[inv.Customer] = true
	}
	if !cash.Value.Equal(unapplied.Value) {
		return nil, invalid("", "the resolution accounts for %s, the payment has %s unapplied", cash, unapplied)
	}
	if customer == "" && len(invoiceCustomers) == 1 {
		for id := range invoiceCustomers {
			customer = id
		}
	}
	if customer != "" && r.Action != ActionNotReceivable {
		cc, err := t.customer(customer)
		if err != nil {
			return nil, err
		}
		if cc.orig == nil && !cc.dirty {
			return nil, invalid("customer", "customer %s does not exist", customer)
		}
	}

	// Apply: every check passed, so nothing below refuses.
	x := xc.cur
	before := ac.cur.state(x)
	audit := t.newAudit(&Audit{Actor: r.Actor, Action: r.Action, Note: r.Note, Payment: r.Payment,
		PaymentSeq: seq, Before: &before})
	for _, en := range plan {
		en.PaymentSeq, en.Payment, en.Customer = seq, r.Payment, customer
		if err := t.post(&en, ac.cur, audit); err != nil {
			return nil, err
		}
	}
	t.putApp(ac)
	x.Status = StatusResolved
	x.Resolution = &Note{Action: r.Action, Actor: r.Actor, Time: t.now, Note: r.Note}
	if customer != "" && r.Action != ActionNotReceivable {
		x.Customer = customer
		if ac.cur.Customer == "" {
			ac.cur.Customer = customer
		}
		audit.Learned = t.learn(customer, r.Payment, seq)
	}
	t.putException(xc)
	x.Version = ac.cur.Version
	after := ac.cur.state(x)
	audit.After = &after
	if err := t.addAudit(audit); err != nil {
		return nil, err
	}
	return x, nil
}

// learn records the payer name and account of payment seq as an alias and
// account of customer, so that the next Book carries them.
func (t *txn) learn(customer engine.CustomerID, payment engine.PaymentID, seq uint64) *Learned {
	b, err := t.s.getRaw(seqKey(t.id, tablePayment, seq))
	if err != nil {
		t.s.log.Warn("could not read a payment to learn from", "payment_id", payment, logErr, err)
		return nil
	}
	p, err := decodePayment(seq, b)
	if err != nil {
		t.s.log.Warn("could not read a payment to learn from", "payment_id", payment, logErr, err)
		return nil
	}
	cc, err := t.customer(customer)
	if err != nil {
		return nil
	}
	// Learn what the engine would recognise as new, by its own rules.
	c := cc.cur
	lesson, ok := engine.LessonFrom(engine.NewBook(nil, []engine.Customer{c.customer()}), p, customer)
	if !ok {
		return nil
	}
	if lesson.Alias != "" {
		c.Aliases = append(slices.Clone(c.Aliases), lesson.Alias)
	}
	if lesson.Account != "" {
		c.Accounts = append(slices.Clone(c.Accounts), lesson.Account)
	}
	t.putCustomer(cc)
	return &Learned{Customer: customer, Alias: lesson.Alias, Account: lesson.Account}
}

// Unapply reverses ledger entries of a payment: cash applied to invoices (or
// held on account, or set aside), and adjustments. The invoices reopen by
// the amounts reversed and the cash becomes unapplied again, which opens the
// payment's exception (creating one for a payment the engine applied).
type Unapply struct {
	Payment engine.PaymentID
	// Version is the payment's version the specialist saw (an exception's
	// Version, or an Application's); a stale one is refused with
	// ErrConflict.
	Version uint64
	// Entries are the seqs of the entries to reverse; none means every
	// entry of the payment not reversed yet.
	Entries []uint64
	Actor   string
	Note    string // why
}

// Unapply reverses entries of a payment in one synced, audited batch and
// returns the payment's application after it.
func (s *Store) Unapply(ctx context.Context, entity engine.EntityID, u Unapply) (Application, error) {
	if u.Actor == "" {
		return Application{}, &InvalidError{Payment: u.Payment, Field: "actor", Reason: "an unapply names who made it"}
	}
	if err := s.unapply(ctx, entity, u); err != nil {
		return Application{}, err
	}
	return s.Application(ctx, entity, u.Payment)
}

func (s *Store) unapply(ctx context.Context, entity engine.EntityID, u Unapply) error {
	e, unlock, err := s.lockEntity(entity)
	if err != nil {
		return err
	}
	defer unlock()
	invalid := func(format string, args ...any) error {
		return &InvalidError{Payment: u.Payment, Field: "entries", Reason: fmt.Sprintf(format, args...)}
	}
	t := s.begin(entity, e, u.Actor)
	defer t.abort()
	seq, err := t.paymentSeq(u.Payment)
	if err != nil {
		return err
	}
	ac, err := t.app(seq)
	if errors.Is(err, ErrNotFound) {
		return invalid("payment %s is not decided yet", u.Payment)
	}
	if err != nil {
		return err
	}
	if ac.cur.Version != u.Version {
		s.metrics.conflict.Add(1)
		return &ConflictError{Payment: u.Payment, Want: u.Version, Have: ac.cur.Version}
	}

	// Find the entries to reverse.
	entries, err := s.entries(entity, ac.cur.Entries)
	if err != nil {
		return err
	}
	reversed := map[uint64]bool{}
	for _, en := range entries {
		if en.Reverses != 0 {
			reversed[en.Reverses] = true
		}
	}
	targets := u.Entries
	if len(targets) == 0 {
		for _, en := range entries {
			if en.Reverses == 0 && !reversed[en.Seq] {
				targets = append(targets, en.Seq)
			}
		}
	}
	if len(targets) == 0 {
		return invalid("payment %s has nothing applied to reverse", u.Payment)
	}
	var plan []Entry
	for _, seqE := range targets {
		i := slices.IndexFunc(entries, func(en Entry) bool { return en.Seq == seqE })
		switch {
		case i < 0:
			return invalid("entry %d is not an entry of payment %s", seqE, u.Payment)
		case entries[i].Reverses != 0:
			return invalid("entry %d is itself a reversal", seqE)
		case reversed[seqE]:
			return invalid("entry %d is already reversed", seqE)
		}
		reversed[seqE] = true
		en := entries[i]
		plan = append(plan, Entry{Kind: en.Kind, PaymentSeq: seq, Payment: u.Payment, Invoice: en.Invoice,
			Customer: en.Customer, Amount: en.Amount.Neg(), Reason: en.Reason, Code: en.Code, Reverses: en.Seq})
	}

	// Reverse them and reopen the exception.
	var xc *change[Exception]
	if ac.cur.HasException {
		if xc, err = t.exception(seq); err != nil {
			return err
		}
	}
	var before PaymentState
	if xc != nil {
		before = ac.cur.state(xc.cur)
	} else {
		before = ac.cur.state(nil)
	}
	audit := t.newAudit(&Audit{Action: ActionUnapply, Note: u.Note, Payment: u.Payment, PaymentSeq: seq,
		Before: &before})
	for _, en := range plan {
		if err := t.post(&en, ac.cur, audit); err != nil {
			var over *overError
			if errors.As(err, &over) {
				return invalid("%v", over)
			}
			return err
		}
	}
	t.putApp(ac)
	if !ac.cur.Unapplied.IsZero() {
		if err := t.reopen(ac, xc, u, seq); err != nil {
			return err
		}
		xc = t.exceptions[seq]
	}
	var after PaymentState
	if xc != nil {
		after = ac.cur.state(xc.cur)
		xc.cur.Version = ac.cur.Version
	} else {
		after = ac.cur.state(nil)
	}
	audit.After = &after
	if err := t.addAudit(audit); err != nil {
		return err
	}
	return t.commit(ctx)
}

// reopen opens the exception of a payment whose cash became unapplied again,
// creating it when the engine had applied the payment.
func (t *txn) reopen(ac *change[application], xc *change[Exception], u Unapply, seq uint64) error {
	why := fmt.Sprintf("reopened by %s", u.Actor)
	if u.Note != "" {
		why += ": " + u.Note
	}
	if xc == nil {
		p, err := t.s.payment(t.id, seq)
		if err != nil {
			return err
		}
		a := ac.cur
		x := &Exception{Seq: seq, Payment: u.Payment, Kind: a.Kind, Reason: a.Exception, Status: StatusOpen,
			Created: t.now, Amount: a.Unapplied, Customer: a.Customer, PayerName: p.PayerName,
			ValueDate: p.ValueDate, Reasons: append(slices.Clone(a.Reasons), why)}
		a.HasException = true
		t.newException(x)
		return nil
	}
	x := xc.cur
	x.Status, x.Amount, x.Resolution = StatusOpen, ac.cur.Unapplied, nil
	x.Reasons = append(slices.Clone(x.Reasons), why)
	t.putException(xc)
	return nil
}
