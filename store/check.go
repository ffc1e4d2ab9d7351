package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// Problem is one broken invariant of a store, naming the record.
type Problem struct {
	Entity engine.EntityID
	Record string // "payment 12 (ID ...)", "invoice INV-1", "audit 40", ...
	What   string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Entity, p.Record, p.What) }

// maxProblems caps the problems Check reports per entity.
const maxProblems = 100

// Check verifies the invariants of every entity of the store (see the
// package documentation) on one consistent view of it, and returns the
// problems found. It reads the whole store and holds a few hundred bytes
// of memory per payment and invoice; the store stays usable meanwhile. An
// error means the store could not be read.
func (s *Store) Check(ctx context.Context) ([]Problem, error) {
	ents, err := s.Entities(ctx)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, e := range ents {
		ps, err := s.CheckEntity(ctx, e)
		if err != nil {
			return out, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// CheckEntity verifies the invariants of one entity.
func (s *Store) CheckEntity(ctx context.Context, entity engine.EntityID) ([]Problem, error) {
	snap := s.db.NewSnapshot()
	defer snap.Close()
	c := &checker{ctx: ctx, snap: snap, entity: entity}
	var meta entityMeta
	b, closer, err := snap.Get(prefix(entity, tableMeta))
	if err != nil {
		return nil, fmt.Errorf("entity %s meta: %w", entity, err)
	}
	err = decodeJSON("entity meta", b, &meta)
	closer.Close()
	if err != nil {
		return nil, err
	}
	c.meta = meta
	if c.totals, err = meta.Totals.totals(); err != nil {
		return nil, err
	}
	for _, step := range []func() error{c.ledger, c.replay, c.payments, c.invoices, c.exceptions,
		c.statements, c.compareTotals} {
		if err := step(); err != nil {
			if errors.Is(err, errEnough) {
				break
			}
			return c.problems, err
		}
	}
	return c.problems, nil
}

var errEnough = errors.New("too many problems")

// checker holds what one check learned so far.
type checker struct {
	ctx      context.Context
	snap     *pebble.Snapshot
	entity   engine.EntityID
	meta     entityMeta
	totals   Totals // as stored
	sum      Totals // recomputed from the records
	problems []Problem

	// From the audit replay.
	rInvoices map[engine.InvoiceID]*replayInvoice
	rPayments map[uint64]*PaymentState
	rEntries  map[uint64]*Entry
	rReceived uint64
	rLearned  []Learned

	// From the ledger.
	entries  map[uint64]*Entry
	byAudit  map[uint64][]uint64 // audit seq -> the entries it wrote
	claimed  int                 // entries the audit log accounts for
	paySums  map[uint64]*paySums
	invSums  map[engine.InvoiceID]engine.Amount
	reversed map[uint64]uint64 // entry seq -> the seq of its reversal
	vKeys    int               // invoice index keys expected
	rKeys    int               // repeat index keys expected
	xCount   int               // payments that have an exception
}

type replayInvoice struct {
	customer engine.CustomerID
	amount   engine.Amount
	open     engine.Amount
	entries  int
}

type paySums struct {
	entries                           []uint64
	applied, onAccount, notReceivable engine.Amount
}

func (c *checker) add(record, format string, args ...any) error {
	c.problems = append(c.problems, Problem{c.entity, record, fmt.Sprintf(format, args...)})
	if len(c.problems) >= maxProblems {
		return errEnough
	}
	return nil
}

func (c *checker) scan(table byte, fn func(k, v []byte) error) error {
	return scanTable(c.ctx, c.snap, c.entity, table, fn)
}

// replay rebuilds the state from the audit log and the ledger, checking
// that each record's "before" is the state the records before it left, that
// its "after" follows from its entries, and that every ledger entry belongs
// to the record that names it.
func (c *checker) replay() error {
	c.rInvoices = map[engine.InvoiceID]*replayInvoice{}
	c.rPayments = map[uint64]*PaymentState{}
	c.rEntries = map[uint64]*Entry{}
	next := uint64(1)
	err := c.scan(tableAudit, func(k, v []byte) error {
		seq := seqOf(k)
		rec := fmt.Sprintf("audit %d", seq)
		if seq != next {
			return c.add(rec, "audit records jump from %d to %d", next-1, seq)
		}
		next++
		var r auditRecord
		if err := decodeJSON("audit", v, &r); err != nil {
			return c.add(rec, "%v", err)
		}
		a, err := r.audit(seq)
		if err != nil {
			return c.add(rec, "%v", err)
		}
		switch a.Action {
		case ActionImport:
			return c.replayImport(rec, &a)
		case ActionReceive:
			if a.FirstSeq != 0 && a.FirstSeq != c.rReceived+1 {
				return c.add(rec, "statement %s numbered from %d, after %d", a.Statement, a.FirstSeq, c.rReceived)
			}
			if a.LastSeq != 0 {
				c.rReceived = a.LastSeq
			}
			return nil
		case ActionDecide:
			return c.replayDecisions(rec, &a)
		default:
			return c.replayPayment(rec, &a)
		}
	})
	if err != nil {
		return err
	}
	if next-1 != c.meta.Audit {
		return c.add("entity meta", "%d audit records, the meta counts %d", next-1, c.meta.Audit)
	}
	if c.claimed != len(c.entries) {
		return c.add("ledger", "%d entries, the audit log accounts for %d", len(c.entries), c.claimed)
	}
	return nil
}

// replayDecisions replays a batch of the engine's decisions: the entries
// that name the record, payment by payment.
func (c *checker) replayDecisions(rec string, a *Audit) error {
	if a.FirstSeq == 0 || a.LastSeq < a.FirstSeq || a.LastSeq > c.rReceived {
		return c.add(rec, "decides payments %d to %d, %d are received", a.FirstSeq, a.LastSeq, c.rReceived)
	}
	bySeq := map[uint64][]uint64{}
	for _, es := range c.byAudit[a.Seq] {
		en := c.entries[es]
		if en.PaymentSeq < a.FirstSeq || en.PaymentSeq > a.LastSeq {
			return c.add(rec, "entry %d of payment %d names this record", es, en.PaymentSeq)
		}
		bySeq[en.PaymentSeq] = append(bySeq[en.PaymentSeq], es)
	}
	for seq := a.FirstSeq; seq <= a.LastSeq; seq++ {
		if _, dup := c.rPayments[seq]; dup {
			return c.add(rec, "payment %d decided twice", seq)
		}
		p, app, err := c.decided(seq)
		if err != nil {
			return c.add(rec, "payment %d: %v", seq, err)
		}
		if app.Audit != a.Seq {
			return c.add(rec, "payment %d names audit record %d", seq, app.Audit)
		}
		z := engine.Zero(p.Amount.Currency)
		ps := &PaymentState{Applied: z, OnAccount: z, NotReceivable: z, Unapplied: p.Amount, Version: 1}
		for _, es := range bySeq[seq] {
			if err := c.replayEntry(rec, seq, ps, *c.entries[es]); err != nil {
				return err
			}
			c.claimed++
		}
		queued := app.Kind != engine.Auto && app.Kind != engine.Skipped || app.Kind == engine.Auto && !ps.Unapplied.IsZero()
		if queued {
			ps.Exception = StatusOpen
		}
		c.rPayments[seq] = ps
	}
	return nil
}

// decided reads a payment and its application.
func (c *checker) decided(seq uint64) (engine.Payment, application, error) {
	b, closer, err := c.snap.Get(seqKey(c.entity, tablePayment, seq))
	if err != nil {
		return engine.Payment{}, application{}, err
	}
	p, err := decodePayment(seq, b)
	closer.Close()
	if err != nil {
		return engine.Payment{}, application{}, err
	}
	b, closer, err = c.snap.Get(seqKey(c.entity, tableApplication, seq))
	if err != nil {
		return engine.Payment{}, application{}, fmt.Errorf("application: %w", err)
	}
	defer closer.Close()
	app, err := decodeApplication(seq, b)
	return p, app, err
}

func (c *checker) replayImport(rec string, a *Audit) error {
	for _, ic := range a.Invoices {
		inv, ok := c.rInvoices[ic.Invoice]
		switch {
		case ic.New && ok:
			return c.add(rec, "invoice %s imported as new twice", ic.Invoice)
		case ic.New:
			c.rInvoices[ic.Invoice] = &replayInvoice{customer: ic.Customer, amount: ic.Amount, open: ic.After}
		case !ok:
			return c.add(rec, "invoice %s updated before it was imported", ic.Invoice)
		case !inv.open.Equal(ic.Before):
			return c.add(rec, "invoice %s re-imported with open %s before, replay has %s", ic.Invoice, ic.Before, inv.open)
		case inv.entries > 0 && (!ic.Before.Equal(ic.After) || !inv.amount.Equal(ic.Amount)):
			return c.add(rec, "invoice %s with cash applied re-imported with new amounts", ic.Invoice)
		default:
			inv.amount, inv.open = ic.Amount, ic.After
		}
	}
	return nil
}

func (c *checker) replayPayment(rec string, a *Audit) error {
	if a.After == nil || a.Before == nil {
		return c.add(rec, "%s without the payment's state before and after", a.Action)
	}
	ps, known := c.rPayments[a.PaymentSeq]
	if !known {
		return c.add(rec, "%s of payment %d, which is not decided", a.Action, a.PaymentSeq)
	}
	if !sameState(*a.Before, *ps) {
		return c.add(rec, "state before differs from the replay: %+v, replay %+v", *a.Before, *ps)
	}
	if len(a.Entries) != len(c.byAudit[a.Seq]) {
		return c.add(rec, "lists %d entries, %d name it", len(a.Entries), len(c.byAudit[a.Seq]))
	}
	next := *ps
	for _, en := range a.Entries {
		le := c.entries[en.Seq]
		if le == nil || le.Audit != a.Seq || le.PaymentSeq != a.PaymentSeq || le.Kind != en.Kind ||
			le.Invoice != en.Invoice || !le.Amount.Equal(en.Amount) || le.Reverses != en.Reverses {
			return c.add(rec, "entry %d differs from the ledger: %+v, ledger %+v", en.Seq, en, le)
		}
		if err := c.replayEntry(rec, a.PaymentSeq, &next, en); err != nil {
			return err
		}
		c.claimed++
	}
	for _, ic := range a.Invoices {
		if inv := c.rInvoices[ic.Invoice]; inv == nil || !inv.open.Equal(ic.After) {
			return c.add(rec, "invoice %s open after is %s, its entries leave it at %v", ic.Invoice, ic.After, inv)
		}
	}
	after := *a.After
	if !after.Applied.Equal(next.Applied) || !after.OnAccount.Equal(next.OnAccount) ||
		!after.NotReceivable.Equal(next.NotReceivable) || !after.Unapplied.Equal(next.Unapplied) {
		return c.add(rec, "payment %d after %+v, its entries make %+v", a.PaymentSeq, after, next)
	}
	if after.Version != ps.Version+1 {
		return c.add(rec, "payment %d version %d after %d", a.PaymentSeq, after.Version, ps.Version)
	}
	if after.Exception == StatusResolved && !after.Unapplied.IsZero() {
		return c.add(rec, "payment %d resolved with %s unapplied", a.PaymentSeq, after.Unapplied)
	}
	c.rPayments[a.PaymentSeq] = &after
	if a.Learned != nil {
		c.rLearned = append(c.rLearned, *a.Learned)
	}
	return nil
}

func (c *checker) replayEntry(rec string, payment uint64, ps *PaymentState, en Entry) error {
	if _, dup := c.rEntries[en.Seq]; dup {
		return c.add(rec, "entry %d written twice", en.Seq)
	}
	if en.Reverses != 0 {
		orig := c.rEntries[en.Reverses]
		if orig == nil || orig.PaymentSeq != payment || !orig.Amount.Neg().Equal(en.Amount) {
			return c.add(rec, "entry %d does not reverse entry %d of the same payment", en.Seq, en.Reverses)
		}
	}
	cp := en
	cp.PaymentSeq = payment
	c.rEntries[en.Seq] = &cp
	if en.touchesInvoice() {
		inv := c.rInvoices[en.Invoice]
		if inv == nil {
			return c.add(rec, "entry %d against invoice %s, never imported", en.Seq, en.Invoice)
		}
		inv.open = inv.open.Sub(en.Amount)
		inv.entries++
		if !withinInvoice(inv.open, inv.amount) {
			return c.add(rec, "entry %d leaves invoice %s at %s", en.Seq, en.Invoice, inv.open)
		}
	}
	switch en.Kind {
	case EntryAllocation:
		ps.Applied = ps.Applied.Add(en.Amount)
	case EntryOnAccount:
		ps.OnAccount = ps.OnAccount.Add(en.Amount)
	case EntryNotReceivable:
		ps.NotReceivable = ps.NotReceivable.Add(en.Amount)
	}
	if en.isCash() {
		ps.Unapplied = ps.Unapplied.Sub(en.Amount)
	}
	return nil
}

func sameState(a, b PaymentState) bool {
	return a.Applied.Equal(b.Applied) && a.OnAccount.Equal(b.OnAccount) &&
		a.NotReceivable.Equal(b.NotReceivable) && a.Unapplied.Equal(b.Unapplied) &&
		a.Exception == b.Exception && a.Assignee == b.Assignee && a.Version == b.Version
}

// ledger reads the entries, sums them by payment and by invoice and checks
// reversals and the invoice history index.
func (c *checker) ledger() error {
	c.paySums = map[uint64]*paySums{}
	c.invSums = map[engine.InvoiceID]engine.Amount{}
	c.reversed = map[uint64]uint64{}
	c.entries = map[uint64]*Entry{}
	c.byAudit = map[uint64][]uint64{}
	c.sum = newTotals()
	next := uint64(1)
	err := c.scan(tableEntry, func(k, v []byte) error {
		seq := seqOf(k)
		rec := fmt.Sprintf("entry %d", seq)
		if seq != next {
			return c.add(rec, "entries jump from %d to %d", next-1, seq)
		}
		next++
		en, err := decodeEntry(seq, v)
		if err != nil {
			return c.add(rec, "%v", err)
		}
		c.entries[seq] = &en
		c.byAudit[en.Audit] = append(c.byAudit[en.Audit], seq)
		if en.Reverses != 0 {
			orig, ok := c.entries[en.Reverses]
			if !ok || orig.Kind != en.Kind || orig.Invoice != en.Invoice || en.Reverses >= seq {
				return c.add(rec, "reverses entry %d, which is not an earlier entry like it", en.Reverses)
			}
			if prev, dup := c.reversed[en.Reverses]; dup {
				return c.add(rec, "reverses entry %d, already reversed by entry %d", en.Reverses, prev)
			}
			c.reversed[en.Reverses] = seq
		}
		ps := c.paySums[en.PaymentSeq]
		if ps == nil {
			z := engine.Zero(en.Amount.Currency)
			ps = &paySums{applied: z, onAccount: z, notReceivable: z}
			c.paySums[en.PaymentSeq] = ps
		}
		ps.entries = append(ps.entries, seq)
		switch en.Kind {
		case EntryAllocation:
			ps.applied = ps.applied.Add(en.Amount)
		case EntryOnAccount:
			ps.onAccount = ps.onAccount.Add(en.Amount)
		case EntryNotReceivable:
			ps.notReceivable = ps.notReceivable.Add(en.Amount)
		}
		if en.touchesInvoice() {
			sum, ok := c.invSums[en.Invoice]
			if !ok {
				sum = engine.Zero(en.Amount.Currency)
			}
			c.invSums[en.Invoice] = sum.Add(en.Amount)
			c.vKeys++
			if _, closer, err := c.snap.Get(invoiceLogKey(c.entity, en.Invoice, seq)); err != nil {
				return c.add(rec, "no invoice history key: %v", err)
			} else {
				closer.Close()
			}
		}
		c.sum.entry(&en)
		return nil
	})
	if err != nil {
		return err
	}
	if next-1 != c.meta.Entries {
		return c.add("entity meta", "%d entries, the meta counts %d", next-1, c.meta.Entries)
	}
	v := 0
	if err := c.scan(tableInvoiceLog, func(_, _ []byte) error { v++; return nil }); err != nil {
		return err
	}
	if v != c.vKeys {
		return c.add("invoice history", "%d keys, the ledger needs %d", v, c.vKeys)
	}
	return nil
}

// payments walks the payments and their applications together, in seq
// order.
func (c *checker) payments() error {
	apps := map[uint64]application{}
	err := c.scan(tableApplication, func(k, v []byte) error {
		a, err := decodeApplication(seqOf(k), v)
		if err != nil {
			return c.add(fmt.Sprintf("payment %d", seqOf(k)), "%v", err)
		}
		apps[a.Seq] = a
		return nil
	})
	if err != nil {
		return err
	}
	next := uint64(1)
	err = c.scan(tablePayment, func(k, v []byte) error {
		seq := seqOf(k)
		if seq > c.meta.Ingested {
			return nil // left by an interrupted read; removed by the next one
		}
		rec := fmt.Sprintf("payment %d", seq)
		if seq != next {
			return c.add(rec, "payments jump from %d to %d", next-1, seq)
		}
		next++
		p, err := decodePayment(seq, v)
		if err != nil {
			return c.add(rec, "%v", err)
		}
		rec = fmt.Sprintf("payment %d (%s)", seq, p.ID)
		if p.Seq != seq {
			return c.add(rec, "holds seq %d", p.Seq)
		}
		if err := c.paymentIndexes(rec, p); err != nil {
			return err
		}
		a, decided := apps[seq]
		delete(apps, seq)
		if decided != (seq <= c.meta.Decided) {
			return c.add(rec, "decided is %v, the cursor is at %d", decided, c.meta.Decided)
		}
		if !decided {
			return nil
		}
		return c.application(rec, p, &a)
	})
	if err != nil {
		return err
	}
	if next-1 != c.meta.Ingested {
		return c.add("entity meta", "%d payments, the ingested cursor is at %d", next-1, c.meta.Ingested)
	}
	for seq := range apps {
		if err := c.add(fmt.Sprintf("payment %d", seq), "a decision without a payment"); err != nil {
			return err
		}
	}
	if len(c.rPayments) != int(c.meta.Decided) {
		return c.add("audit log", "%d payments decided, the cursor is at %d", len(c.rPayments), c.meta.Decided)
	}
	if err := c.countKeys(tableRepeat, c.rKeys, "repeated payment index"); err != nil {
		return err
	}
	return c.countKeys(tablePaymentID, int(c.meta.Ingested), "payment ID index")
}

// paymentIndexes checks a payment's ID index key.
func (c *checker) paymentIndexes(rec string, p engine.Payment) error {
	b, closer, err := c.snap.Get(key(c.entity, tablePaymentID, string(p.ID)))
	if err != nil {
		return c.add(rec, "payment ID index: %v", err)
	}
	seq := seqOf(b)
	closer.Close()
	if seq != p.Seq {
		return c.add(rec, "payment ID index points to payment %d", seq)
	}
	if rk, ok := repeatPrefix(c.entity, p); ok {
		c.rKeys++
		_, closer, err := c.snap.Get(append(rk, seqValue(p.Seq)...))
		if err != nil {
			return c.add(rec, "repeated payment index: %v", err)
		}
		closer.Close()
	}
	return nil
}

// application checks a decided payment against its ledger entries, its
// exception and the audit replay.
func (c *checker) application(rec string, p engine.Payment, a *application) error {
	cur := p.Amount.Currency
	ps := c.paySums[p.Seq]
	if ps == nil {
		z := engine.Zero(cur)
		ps = &paySums{applied: z, onAccount: z, notReceivable: z}
	}
	for _, x := range []engine.Amount{a.Applied, a.OnAccount, a.NotReceivable, a.Unapplied} {
		if x.Currency != cur {
			return c.add(rec, "amount in %q, the payment is in %s", x.Currency, cur)
		}
	}
	switch {
	case !slices.Equal(a.Entries, ps.entries):
		return c.add(rec, "lists entries %v, the ledger has %v", a.Entries, ps.entries)
	case !a.Applied.Equal(ps.applied) || !a.OnAccount.Equal(ps.onAccount) || !a.NotReceivable.Equal(ps.notReceivable):
		return c.add(rec, "applied %s, on account %s, not receivable %s; the ledger says %s, %s, %s",
			a.Applied, a.OnAccount, a.NotReceivable, ps.applied, ps.onAccount, ps.notReceivable)
	case !a.Applied.Add(a.OnAccount).Add(a.NotReceivable).Add(a.Unapplied).Equal(p.Amount):
		return c.add(rec, "applied %s + on account %s + not receivable %s + unapplied %s is not the amount %s",
			a.Applied, a.OnAccount, a.NotReceivable, a.Unapplied, p.Amount)
	case a.OnAccount.Sign() < 0 || a.NotReceivable.Sign() < 0 || a.Unapplied.Sign() < 0:
		return c.add(rec, "an amount below zero: on account %s, not receivable %s, unapplied %s",
			a.OnAccount, a.NotReceivable, a.Unapplied)
	}
	var x *Exception
	if a.HasException {
		xx, err := c.readException(p.Seq)
		if err != nil {
			return c.add(rec, "exception: %v", err)
		}
		x = &xx
		c.xCount++
		if x.Payment != p.ID {
			return c.add(rec, "exception of payment %s", x.Payment)
		}
		if x.Version != a.Version {
			return c.add(rec, "exception version %d, payment version %d", x.Version, a.Version)
		}
		if x.Status == StatusResolved && !a.Unapplied.IsZero() {
			return c.add(rec, "exception resolved with %s unapplied", a.Unapplied)
		}
	}
	if !a.Unapplied.IsZero() && a.Kind != engine.Skipped && (x == nil || x.Status != StatusOpen) {
		return c.add(rec, "%s unapplied without an open exception", a.Unapplied)
	}
	if r := c.rPayments[p.Seq]; r == nil || !sameState(*r, a.state(x)) {
		return c.add(rec, "state %+v, the audit log replays to %+v", a.state(x), r)
	}
	c.sum.application(a, 1)
	c.sum.exception(x, 1)
	return nil
}

func (c *checker) readException(seq uint64) (Exception, error) {
	b, closer, err := c.snap.Get(seqKey(c.entity, tableException, seq))
	if err != nil {
		return Exception{}, err
	}
	defer closer.Close()
	var r exceptionRecord
	if err := decodeJSON("exception", b, &r); err != nil {
		return Exception{}, err
	}
	return r.exception(seq)
}

// invoices checks each invoice against its entries and the replay.
func (c *checker) invoices() error {
	n := 0
	err := c.scan(tableInvoice, func(k, v []byte) error {
		n++
		rec := fmt.Sprintf("invoice %s", k)
		inv, err := decodeInvoice(v)
		if err != nil {
			return c.add(rec, "%v", err)
		}
		want := inv.Opening
		if sum, ok := c.invSums[inv.ID]; ok {
			want = want.Sub(sum)
		}
		switch {
		case string(k) != string(inv.ID):
			return c.add(rec, "holds invoice %s", inv.ID)
		case inv.Open.Currency != inv.Amount.Currency || inv.Opening.Currency != inv.Amount.Currency:
			return c.add(rec, "amounts in %s, %s and %s", inv.Amount.Currency, inv.Opening.Currency, inv.Open.Currency)
		case !inv.Open.Equal(want):
			return c.add(rec, "open %s, but opening %s minus its entries is %s", inv.Open, inv.Opening, want)
		case !withinInvoice(inv.Open, inv.Amount) || !withinInvoice(inv.Opening, inv.Amount):
			return c.add(rec, "open %s (opening %s) is not between zero and the amount %s", inv.Open, inv.Opening, inv.Amount)
		}
		if r := c.rInvoices[inv.ID]; r == nil || !r.open.Equal(inv.Open) || r.customer != inv.Customer {
			return c.add(rec, "open %s of customer %s, the audit log replays to %+v", inv.Open, inv.Customer, r)
		}
		if _, closer, err := c.snap.Get(customerInvoiceKey(c.entity, inv.Customer, inv.ID)); err != nil {
			return c.add(rec, "customer index: %v", err)
		} else {
			closer.Close()
		}
		c.sum.invoice(&inv, 1)
		return nil
	})
	if err != nil {
		return err
	}
	if n != len(c.rInvoices) {
		return c.add("audit log", "%d invoices imported, the store holds %d", len(c.rInvoices), n)
	}
	if err := c.countKeys(tableCustomerInv, n, "customer invoice index"); err != nil {
		return err
	}
	return c.learned()
}

// learned checks that what resolutions learned is on the customers.
func (c *checker) learned() error {
	for _, l := range c.rLearned {
		rec := fmt.Sprintf("customer %s", l.Customer)
		b, closer, err := c.snap.Get(key(c.entity, tableCustomer, string(l.Customer)))
		if err != nil {
			return c.add(rec, "learned from a resolution but not stored: %v", err)
		}
		var r customerRecord
		err = decodeJSON("customer", b, &r)
		closer.Close()
		if err != nil {
			return c.add(rec, "%v", err)
		}
		if l.Alias != "" && !slices.Contains(r.Aliases, l.Alias) || l.Account != "" && !slices.Contains(r.Accounts, l.Account) {
			return c.add(rec, "lacks learned alias %q or account %q", l.Alias, l.Account)
		}
	}
	return nil
}

// exceptions checks that each exception has its index keys and that the
// index holds no others.
func (c *checker) exceptions() error {
	want, n := 0, 0
	err := c.scan(tableException, func(k, v []byte) error {
		n++
		seq := seqOf(k)
		x, err := c.readException(seq)
		if err != nil {
			return c.add(fmt.Sprintf("exception %d", seq), "%v", err)
		}
		for _, ik := range exceptionIndexKeys(c.entity, &x) {
			want++
			if _, closer, err := c.snap.Get(ik); err != nil {
				return c.add(fmt.Sprintf("exception %d (%s)", seq, x.Payment), "index key %q: %v", ik, err)
			} else {
				closer.Close()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n != c.xCount {
		return c.add("exceptions", "%d exception records, %d payments have one", n, c.xCount)
	}
	return c.countKeys(tableExcIndex, want, "exception index")
}

// statements checks that the statements number the payments without gaps.
func (c *checker) statements() error {
	type span struct{ first, last uint64 }
	var spans []span
	n := 0
	err := c.scan(tableStatement, func(k, v []byte) error {
		n++
		var r statementRecord
		if err := decodeJSON("statement", v, &r); err != nil {
			return c.add(fmt.Sprintf("statement %s", k), "%v", err)
		}
		if r.New > 0 {
			spans = append(spans, span{r.FirstSeq, r.LastSeq})
			if r.LastSeq-r.FirstSeq+1 != uint64(r.New) {
				return c.add(fmt.Sprintf("statement %s", k), "%d payments numbered %d to %d", r.New, r.FirstSeq, r.LastSeq)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(spans, func(a, b span) int { return int(a.first) - int(b.first) })
	next := uint64(1)
	for _, sp := range spans {
		if sp.first != next {
			return c.add("statements", "payments %d to %d belong to no statement or to two", next, sp.first-1)
		}
		next = sp.last + 1
	}
	if next-1 != c.meta.Ingested {
		return c.add("statements", "statements number payments up to %d, the ingested cursor is at %d", next-1, c.meta.Ingested)
	}
	if uint64(n) != c.meta.Statements {
		return c.add("statements", "%d statements, the meta counts %d", n, c.meta.Statements)
	}
	return c.countKeys(tableStatementNo, n, "statement order index")
}

// compareTotals checks the stored totals against the records.
func (c *checker) compareTotals() error {
	s, t := c.sum, c.totals
	if s.Invoices != t.Invoices || s.Payments != t.Payments || s.Auto != t.Auto || s.Suggested != t.Suggested ||
		s.Skipped != t.Skipped ||
		s.Exceptions != t.Exceptions || s.OpenExceptions != t.OpenExceptions || s.Resolved != t.Resolved {
		return c.add("totals", "stored %+v, the records sum to %+v", t, s)
	}
	for cur := range s.Currencies {
		t.currency(cur)
	}
	for cur, st := range t.Currencies {
		rt := s.currency(cur)
		if !sameCurrencyTotals(st, rt) {
			return c.add("totals", "%s: stored %+v, the records sum to %+v", cur, *st, *rt)
		}
	}
	for r, n := range t.OpenByReason {
		if s.OpenByReason[r] != n {
			return c.add("totals", "%d open %s exceptions stored, the records have %d", n, r, s.OpenByReason[r])
		}
	}
	return nil
}

func sameCurrencyTotals(a, b *CurrencyTotals) bool {
	return a.Received.Equal(b.Received) && a.Applied.Equal(b.Applied) && a.OnAccount.Equal(b.OnAccount) &&
		a.NotReceivable.Equal(b.NotReceivable) && a.Unapplied.Equal(b.Unapplied) &&
		a.Adjusted.Equal(b.Adjusted) && a.Invoiced.Equal(b.Invoiced) && a.Open.Equal(b.Open) &&
		a.Skipped.Equal(b.Skipped)
}

// countKeys checks that a table holds exactly want keys, skipping payment
// index keys of payments left by an interrupted read.
func (c *checker) countKeys(table byte, want int, what string) error {
	n := 0
	err := c.scan(table, func(k, v []byte) error {
		// Skip keys of payments left by an interrupted read.
		if table == tablePaymentID && seqOf(v) > c.meta.Ingested ||
			table == tableRepeat && seqOf(k) > c.meta.Ingested {
			return nil
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if n != want {
		return c.add(what, "%d keys, want %d", n, want)
	}
	return nil
}
