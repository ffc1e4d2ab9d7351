package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// entityMeta is an entity's cursors and counters. It is stored under the
// entity's 'M' key and written in every batch that moves one of them.
type entityMeta struct {
	// Ingested is the seq of the last payment of a stored statement;
	// payments numbered above it are leftovers of an interrupted read.
	Ingested uint64 `json:"ingested"`
	// Decided is the decided-up-to cursor: every payment up to it is
	// decided, none after it.
	Decided    uint64       `json:"decided"`
	Entries    uint64       `json:"entries"`    // last ledger entry seq
	Audit      uint64       `json:"audit"`      // last audit seq
	Statements uint64       `json:"statements"` // last statement seq
	Totals     totalsRecord `json:"totals"`
}

// entityState is what the store keeps in memory of one entity. mu serializes
// every change of the entity's visible state; intake serializes the reading
// of statements, which takes long and holds mu only to publish.
type entityState struct {
	mu     sync.Mutex
	intake sync.Mutex
	loaded bool
	meta   entityMeta
	totals Totals
}

// entity returns the in-memory state of an entity, creating it on first use.
// Its meta record is read lazily, under e.mu, by load.
func (s *Store) entity(id engine.EntityID) (*entityState, error) {
	if err := checkID("entity", string(id)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.mu.entities[id]
	if !ok {
		e = &entityState{}
		s.mu.entities[id] = e
	}
	return e, nil
}

// load reads the entity's meta record once. REQUIRES: e.mu held.
func (s *Store) load(id engine.EntityID, e *entityState) error {
	if e.loaded {
		return nil
	}
	var m entityMeta
	err := s.getJSON("entity meta", prefix(id, tableMeta), &m)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("entity %s: %w", id, err)
	}
	t, err := m.Totals.totals()
	if err != nil {
		return fmt.Errorf("entity %s totals: %w", id, err)
	}
	e.meta, e.totals, e.loaded = m, t, true
	return nil
}

// lockEntity locks an entity for a change and loads its meta. The returned
// function unlocks it.
func (s *Store) lockEntity(id engine.EntityID) (*entityState, func(), error) {
	e, err := s.entity(id)
	if err != nil {
		return nil, nil, err
	}
	e.mu.Lock()
	if err := s.load(id, e); err != nil {
		e.mu.Unlock()
		return nil, nil, err
	}
	return e, e.mu.Unlock, nil
}

// meta returns a copy of an entity's meta and totals as last committed.
func (s *Store) meta(id engine.EntityID) (entityMeta, Totals, error) {
	e, unlock, err := s.lockEntity(id)
	if err != nil {
		return entityMeta{}, Totals{}, err
	}
	defer unlock()
	return e.meta, e.totals.clone(), nil
}

// txn gathers one change of one entity: it reads records through to the
// database, keeps those it changes with their state before the change, and
// writes everything in one synced batch with the entity's meta. The entity
// is locked for the life of a txn.
type txn struct {
	s      *Store
	id     engine.EntityID
	e      *entityState
	meta   entityMeta
	totals Totals
	now    time.Time
	actor  string
	b      *pebble.Batch
	buf    []byte
	// applied is set between apply and wait; bytes is the size of the
	// batch applied.
	applied bool
	bytes   uint64

	invoices   map[engine.InvoiceID]*change[Invoice]
	apps       map[uint64]*change[application]
	exceptions map[uint64]*change[Exception]
	customers  map[engine.CustomerID]*change[customerRecord]
	statements map[engine.StatementID]*statementRecord
	summaries  map[engine.StatementID]*engine.Summary
	// order keeps the invoice IDs in the order first changed, so that the
	// batch is built the same way every time.
	order []engine.InvoiceID
}

// change is a record read by a txn: its state before (nil if new) and now.
type change[T any] struct {
	orig  *T
	cur   *T
	dirty bool
}

// begin starts a txn on a locked entity.
func (s *Store) begin(id engine.EntityID, e *entityState, actor string) *txn {
	return &txn{
		s: s, id: id, e: e, meta: e.meta, totals: e.totals.clone(), now: s.now().UTC(), actor: actor,
		b:          s.db.NewBatch(),
		invoices:   map[engine.InvoiceID]*change[Invoice]{},
		apps:       map[uint64]*change[application]{},
		exceptions: map[uint64]*change[Exception]{},
		customers:  map[engine.CustomerID]*change[customerRecord]{},
		statements: map[engine.StatementID]*statementRecord{},
		summaries:  map[engine.StatementID]*engine.Summary{},
	}
}

// abort drops the txn's writes. It may be called after commit, which closes
// the batch the same way: a pebble batch closed twice goes back to pebble's
// pool twice and is then handed to two writers at once.
func (t *txn) abort() {
	if t.b == nil {
		return
	}
	if t.applied {
		// Pebble's rule: a batch applied without waiting is waited for
		// before it is closed.
		t.b.SyncWait()
		t.applied = false
	}
	t.b.Close()
	t.b = nil
}

// invoice returns the invoice id as the txn sees it, for change.
func (t *txn) invoice(id engine.InvoiceID) (*change[Invoice], error) {
	if c, ok := t.invoices[id]; ok {
		return c, nil
	}
	b, err := t.s.getRaw(key(t.id, tableInvoice, string(id)))
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", id, err)
	}
	inv, err := decodeInvoice(b)
	if err != nil {
		return nil, fmt.Errorf("invoice %s: %w", id, err)
	}
	cp := inv
	c := &change[Invoice]{orig: &inv, cur: &cp}
	t.invoices[id] = c
	return c, nil
}

// putInvoice records a new or changed invoice.
func (t *txn) putInvoice(c *change[Invoice]) {
	if !c.dirty {
		c.dirty = true
		c.cur.Version++
		t.order = append(t.order, c.cur.ID)
	}
	t.invoices[c.cur.ID] = c
}

// app returns the application of the payment seq, for change.
func (t *txn) app(seq uint64) (*change[application], error) {
	if c, ok := t.apps[seq]; ok {
		return c, nil
	}
	b, err := t.s.getRaw(seqKey(t.id, tableApplication, seq))
	if err != nil {
		return nil, err
	}
	a, err := decodeApplication(seq, b)
	if err != nil {
		return nil, err
	}
	cp := a
	cp.Entries = append([]uint64(nil), a.Entries...)
	c := &change[application]{orig: &a, cur: &cp}
	t.apps[seq] = c
	return c, nil
}

func (t *txn) putApp(c *change[application]) {
	if !c.dirty {
		c.dirty = true
		c.cur.Version++
		c.cur.Updated = t.now
	}
	t.apps[c.cur.Seq] = c
}

// exception returns the exception of the payment seq, for change.
func (t *txn) exception(seq uint64) (*change[Exception], error) {
	if c, ok := t.exceptions[seq]; ok {
		return c, nil
	}
	x, err := t.s.readException(t.id, seq)
	if err != nil {
		return nil, err
	}
	cp := x
	c := &change[Exception]{orig: &x, cur: &cp}
	t.exceptions[seq] = c
	return c, nil
}

func (t *txn) putException(c *change[Exception]) {
	c.dirty = true
	t.exceptions[c.cur.Seq] = c
}

// customer returns a customer for change; a customer not stored yet comes
// back new, with only its ID.
func (t *txn) customer(id engine.CustomerID) (*change[customerRecord], error) {
	if c, ok := t.customers[id]; ok {
		return c, nil
	}
	var r customerRecord
	err := t.s.getJSON("customer", key(t.id, tableCustomer, string(id)), &r)
	if errors.Is(err, ErrNotFound) {
		c := &change[customerRecord]{cur: &customerRecord{ID: id}}
		t.customers[id] = c
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", id, err)
	}
	cp := r
	c := &change[customerRecord]{orig: &r, cur: &cp}
	t.customers[id] = c
	return c, nil
}

func (t *txn) putCustomer(c *change[customerRecord]) {
	if !c.dirty {
		c.dirty = true
		c.cur.Version++
	}
}

// statement returns a stored statement for change.
func (t *txn) statement(id engine.StatementID) (*statementRecord, error) {
	if r, ok := t.statements[id]; ok {
		return r, nil
	}
	var r statementRecord
	if err := t.s.getJSON("statement", key(t.id, tableStatement, string(id)), &r); err != nil {
		return nil, fmt.Errorf("statement %s: %w", id, err)
	}
	t.statements[id] = &r
	return &r, nil
}

// nextEntry numbers and writes a ledger entry and its invoice index key.
func (t *txn) addEntry(en *Entry) error {
	t.meta.Entries++
	en.Seq = t.meta.Entries
	en.Time = t.now
	t.buf = encodeEntry(t.buf, en)
	if err := t.b.Set(seqKey(t.id, tableEntry, en.Seq), t.buf, nil); err != nil {
		return err
	}
	if en.Invoice != "" {
		if err := t.b.Set(invoiceLogKey(t.id, en.Invoice, en.Seq), nil, nil); err != nil {
			return err
		}
	}
	t.totals.entry(en)
	return nil
}

// newAudit numbers an audit record before the entries it will list are
// written, so that each entry names it.
func (t *txn) newAudit(a *Audit) *Audit {
	t.meta.Audit++
	a.Seq = t.meta.Audit
	return a
}

// addAudit writes an audit record, numbering it if newAudit did not.
func (t *txn) addAudit(a *Audit) error {
	if a.Seq == 0 {
		t.newAudit(a)
	}
	a.Time = t.now
	if a.Actor == "" {
		a.Actor = t.actor
	}
	v, err := encodeJSON(a.record())
	if err != nil {
		return err
	}
	return t.b.Set(seqKey(t.id, tableAudit, a.Seq), v, nil)
}

// commit writes every changed record, the totals and the meta in one synced
// batch, then publishes the meta. The txn is finished either way.
func (t *txn) commit(ctx context.Context) error {
	if err := t.apply(ctx); err != nil {
		return err
	}
	return t.wait()
}

// apply writes the txn's batch and publishes the meta, without waiting for
// the write-ahead log to be synced: what follows sees the change, and a
// crash before the sync loses it together with everything written after
// it. The caller then calls wait, which it may do after unlocking the
// entity, so that the next change is prepared while this one is synced.
func (t *txn) apply(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		t.abort()
		return err
	}
	if err := t.flush(); err != nil {
		t.abort()
		return err
	}
	t.bytes = uint64(t.b.Len())
	if err := t.s.db.ApplyNoSyncWait(t.b, pebble.Sync); err != nil {
		t.abort()
		return fmt.Errorf("commit entity %s: %w", t.id, err)
	}
	t.applied = true
	t.e.meta, t.e.totals = t.meta, t.totals
	return nil
}

// wait waits until the batch that apply wrote is synced: only then is the
// change durable and may be acknowledged.
func (t *txn) wait() error {
	err := t.b.SyncWait()
	t.applied = false
	t.abort()
	if err != nil {
		return fmt.Errorf("commit entity %s: %w", t.id, err)
	}
	t.s.metrics.batches.Add(1)
	t.s.metrics.bytes.Add(t.bytes)
	return nil
}

// flush puts every changed record in the batch and moves the totals from
// each record's state before to its state now.
func (t *txn) flush() error {
	for _, id := range t.order {
		c := t.invoices[id]
		t.totals.invoice(c.orig, -1)
		t.totals.invoice(c.cur, 1)
		t.buf = encodeInvoice(t.buf, c.cur)
		if err := t.b.Set(key(t.id, tableInvoice, string(id)), t.buf, nil); err != nil {
			return err
		}
	}
	for seq, c := range t.apps {
		if !c.dirty {
			continue
		}
		t.totals.application(c.orig, -1)
		t.totals.application(c.cur, 1)
		t.buf = encodeApplication(t.buf, c.cur)
		if err := t.b.Set(seqKey(t.id, tableApplication, seq), t.buf, nil); err != nil {
			return err
		}
	}
	for _, c := range t.exceptions {
		if !c.dirty {
			continue
		}
		t.totals.exception(c.orig, -1)
		t.totals.exception(c.cur, 1)
		if err := t.writeException(c); err != nil {
			return err
		}
	}
	for id, c := range t.customers {
		if !c.dirty {
			continue
		}
		v, err := encodeJSON(c.cur)
		if err != nil {
			return err
		}
		if err := t.b.Set(key(t.id, tableCustomer, string(id)), v, nil); err != nil {
			return err
		}
	}
	for id, sum := range t.summaries {
		t.statements[id].Summary = toSummaryRecord(*sum)
	}
	for id, r := range t.statements {
		v, err := encodeJSON(r)
		if err != nil {
			return err
		}
		if err := t.b.Set(key(t.id, tableStatement, string(id)), v, nil); err != nil {
			return err
		}
	}
	t.meta.Totals = t.totals.record()
	v, err := encodeJSON(t.meta)
	if err != nil {
		return err
	}
	if err := t.b.Set(prefix(t.id, tableMeta), v, nil); err != nil {
		return err
	}
	return t.b.Set(entityKey(t.id), nil, nil)
}
