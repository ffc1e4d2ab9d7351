package store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
	"github.com/shopspring/decimal"
)

// ExceptionStatus is where an exception stands in the queue.
type ExceptionStatus uint8

// Exception statuses.
const (
	// StatusOpen: waiting for a specialist.
	StatusOpen ExceptionStatus = iota + 1
	// StatusResolved: a specialist accounted for all of the payment's cash.
	StatusResolved
)

var statusNames = [...]string{"", "open", "resolved"}

// Statuses lists every exception status.
func Statuses() []ExceptionStatus { return []ExceptionStatus{StatusOpen, StatusResolved} }

func (s ExceptionStatus) String() string {
	if s > 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", s)
}

// MarshalText encodes the status by name.
func (s ExceptionStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *ExceptionStatus) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if i > 0 && n == string(b) {
			*s = ExceptionStatus(i)
			return nil
		}
	}
	return fmt.Errorf("unknown exception status %q", b)
}

// Exception is a payment the engine did not fully apply, waiting for (or
// resolved by) a specialist. Its ID is the payment's.
type Exception struct {
	Seq     uint64 // the payment's sequence number
	Payment engine.PaymentID
	// Kind and Reason are what the engine decided: Suggested or Exception,
	// and why.
	Kind     engine.Kind
	Reason   engine.Reason
	Status   ExceptionStatus
	Assignee string // "" when nobody is assigned
	// Version is the payment's version: it grows with every change of the
	// exception or of what is applied of the payment. Changes name the
	// version they were based on (If-Match).
	Version uint64
	Created time.Time
	Updated time.Time
	// Amount is the cash that was unapplied when the exception was opened,
	// in the payment's currency.
	Amount    engine.Amount
	Customer  engine.CustomerID // the payer as identified, or the best suggestion's
	PayerName string
	ValueDate engine.Date
	// Reasons explain the engine's decision; Suggestions are its ranked
	// candidates.
	Reasons     []string
	Suggestions []engine.Suggestion
	// Resolution describes the last change a person made, if any.
	Resolution *Note
}

// Note records who changed something, when, how and why.
type Note struct {
	Action Action    `json:"action"`
	Actor  string    `json:"actor"`
	Time   time.Time `json:"time"`
	Note   string    `json:"note,omitempty"`
}

// exceptionRecord is an Exception as stored.
type exceptionRecord struct {
	Payment     engine.PaymentID   `json:"payment"`
	Kind        engine.Kind        `json:"kind"`
	Reason      engine.Reason      `json:"reason"`
	Status      ExceptionStatus    `json:"status"`
	Assignee    string             `json:"assignee,omitempty"`
	Version     uint64             `json:"version"`
	Created     time.Time          `json:"created"`
	Updated     time.Time          `json:"updated"`
	Amount      money              `json:"amount"`
	Customer    engine.CustomerID  `json:"customer,omitempty"`
	PayerName   string             `json:"payer_name,omitempty"`
	ValueDate   engine.Date        `json:"value_date,omitzero"`
	Reasons     []string           `json:"reasons,omitempty"`
	Suggestions []suggestionRecord `json:"suggestions,omitempty"`
	Resolution  *Note              `json:"resolution,omitempty"`
}

type suggestionRecord struct {
	Customer    engine.CustomerID  `json:"customer,omitempty"`
	Allocations []allocationRecord `json:"allocations,omitempty"`
	Adjustments []allocationRecord `json:"adjustments,omitempty"`
	OnAccount   money              `json:"on_account"`
	Confidence  uint16             `json:"confidence"`
	Reasons     []string           `json:"reasons,omitempty"`
	Lost        string             `json:"lost,omitempty"`
}

type allocationRecord struct {
	Invoice engine.InvoiceID         `json:"invoice"`
	Amount  money                    `json:"amount"`
	Reason  *engine.AdjustmentReason `json:"reason,omitempty"`
	Code    string                   `json:"code,omitempty"`
}

func (x *Exception) record() exceptionRecord {
	r := exceptionRecord{Payment: x.Payment, Kind: x.Kind, Reason: x.Reason, Status: x.Status,
		Assignee: x.Assignee, Version: x.Version, Created: x.Created, Updated: x.Updated,
		Amount: toMoney(x.Amount), Customer: x.Customer, PayerName: x.PayerName,
		ValueDate: x.ValueDate, Reasons: x.Reasons, Resolution: x.Resolution}
	for _, s := range x.Suggestions {
		sr := suggestionRecord{Customer: s.Customer, OnAccount: toMoney(s.OnAccount),
			Confidence: uint16(s.Confidence), Reasons: s.Reasons, Lost: s.Lost}
		for _, a := range s.Allocations {
			sr.Allocations = append(sr.Allocations, allocationRecord{Invoice: a.Invoice, Amount: toMoney(a.Amount)})
		}
		for _, a := range s.Adjustments {
			reason := a.Reason
			sr.Adjustments = append(sr.Adjustments, allocationRecord{Invoice: a.Invoice,
				Amount: toMoney(a.Amount), Reason: &reason, Code: a.Code})
		}
		r.Suggestions = append(r.Suggestions, sr)
	}
	return r
}

func (r exceptionRecord) exception(seq uint64) (Exception, error) {
	var err error
	x := Exception{Seq: seq, Payment: r.Payment, Kind: r.Kind, Reason: r.Reason, Status: r.Status,
		Assignee: r.Assignee, Version: r.Version, Created: r.Created, Updated: r.Updated,
		Amount: r.Amount.mustAmount(&err), Customer: r.Customer, PayerName: r.PayerName,
		ValueDate: r.ValueDate, Reasons: r.Reasons, Resolution: r.Resolution}
	for _, sr := range r.Suggestions {
		s := engine.Suggestion{Customer: sr.Customer, OnAccount: sr.OnAccount.mustAmount(&err),
			Confidence: engine.Confidence(sr.Confidence), Reasons: sr.Reasons, Lost: sr.Lost}
		for _, a := range sr.Allocations {
			s.Allocations = append(s.Allocations, engine.Allocation{Invoice: a.Invoice, Amount: a.Amount.mustAmount(&err)})
		}
		for _, a := range sr.Adjustments {
			adj := engine.Adjustment{Invoice: a.Invoice, Amount: a.Amount.mustAmount(&err), Code: a.Code}
			if a.Reason != nil {
				adj.Reason = *a.Reason
			}
			s.Adjustments = append(s.Adjustments, adj)
		}
		x.Suggestions = append(x.Suggestions, s)
	}
	return x, err
}

// Exception index names (see keys.go).
const (
	idxAge      byte = 'a'
	idxAmount   byte = 'm'
	idxReason   byte = 'r'
	idxCustomer byte = 'c'
	idxAssignee byte = 'w'
)

// exceptionIndexKeys returns the index keys of an exception.
func exceptionIndexKeys(entity engine.EntityID, x *Exception) [][]byte {
	created := createdOrder(x.Created)
	amount := amountOrder(x.Amount.Value)
	base := func(idx byte) []byte {
		return append(prefix(entity, tableExcIndex), idx, byte(x.Status))
	}
	tail := func(k []byte, order uint64) []byte {
		k = binary.BigEndian.AppendUint64(k, order)
		return binary.BigEndian.AppendUint64(k, x.Seq)
	}
	keys := [][]byte{
		tail(base(idxAge), created),
		tail(base(idxAmount), amount),
		tail(append(base(idxReason), byte(x.Reason)), created),
		tail(append(append(base(idxAssignee), x.Assignee...), 0), created),
	}
	if x.Customer != "" {
		keys = append(keys, tail(append(append(base(idxCustomer), x.Customer...), 0), created))
	}
	return keys
}

// createdOrder is the index order value of a creation time.
func createdOrder(t time.Time) uint64 {
	n := t.UnixNano()
	if n < 0 {
		return 0
	}
	return uint64(n)
}

// amountScale is the number of decimals kept in the amount index: enough for
// every ISO 4217 currency. The index orders; filters compare exactly.
const amountScale = 4

// amountOrder is the index order value of an amount: its value in units of
// 10^-amountScale with the sign bit flipped, so that negative amounts sort
// first; values beyond int64 are clamped.
func amountOrder(v decimal.Decimal) uint64 {
	scaled := v.Shift(amountScale).Truncate(0)
	var n int64
	switch {
	case scaled.GreaterThan(decimal.NewFromInt(1 << 62)):
		n = 1 << 62
	case scaled.LessThan(decimal.NewFromInt(-1 << 62)):
		n = -1 << 62
	default:
		n = scaled.IntPart()
	}
	return uint64(n) ^ (1 << 63)
}

// readException reads the exception of payment seq.
func (s *Store) readException(entity engine.EntityID, seq uint64) (Exception, error) {
	var r exceptionRecord
	if err := s.getJSON("exception", seqKey(entity, tableException, seq), &r); err != nil {
		return Exception{}, err
	}
	return r.exception(seq)
}

// newException records a new exception in the txn.
func (t *txn) newException(x *Exception) {
	t.exceptions[x.Seq] = &change[Exception]{cur: x, dirty: true}
}

// writeException puts an exception and its index keys in the batch,
// replacing the index keys of its state before.
func (t *txn) writeException(c *change[Exception]) error {
	if a, ok := t.apps[c.cur.Seq]; ok {
		c.cur.Version = a.cur.Version
	}
	c.cur.Updated = t.now
	if c.orig != nil {
		for _, k := range exceptionIndexKeys(t.id, c.orig) {
			if err := t.b.Delete(k, nil); err != nil {
				return err
			}
		}
	}
	for _, k := range exceptionIndexKeys(t.id, c.cur) {
		if err := t.b.Set(k, nil, nil); err != nil {
			return err
		}
	}
	v, err := encodeJSON(c.cur.record())
	if err != nil {
		return err
	}
	return t.b.Set(seqKey(t.id, tableException, c.cur.Seq), v, nil)
}

// Exception returns the exception of a payment, or ErrNotFound.
func (s *Store) Exception(ctx context.Context, entity engine.EntityID, payment engine.PaymentID) (Exception, error) {
	seq, err := s.paymentSeq(entity, payment)
	if err != nil {
		return Exception{}, err
	}
	x, err := s.readException(entity, seq)
	if err != nil {
		return Exception{}, fmt.Errorf("exception %s: %w", payment, err)
	}
	return x, nil
}

// SortKey orders a list of exceptions.
type SortKey uint8

// Sort keys.
const (
	// SortAge orders by creation time, oldest first (Desc: newest first).
	SortAge SortKey = iota
	// SortAmount orders by amount, smallest first (Desc: largest first).
	// Amounts of different currencies are compared by value alone.
	SortAmount
)

// ExceptionFilter selects and orders exceptions. The zero value lists every
// exception, oldest first, 50 at a time.
type ExceptionFilter struct {
	Statuses []ExceptionStatus // empty: all statuses
	Reason   engine.Reason     // NoReason: any
	Customer engine.CustomerID // "": any
	// Assignee selects exceptions assigned to one person; Unassigned selects
	// those assigned to nobody. Both empty: any.
	Assignee   string
	Unassigned bool
	Currency   engine.Currency // "": any
	// MinAmount and MaxAmount bound the amount, inclusive, when Valid.
	MinAmount, MaxAmount decimal.NullDecimal
	// MinAge and MaxAge bound the age (now minus creation), inclusive, when
	// not zero.
	MinAge, MaxAge time.Duration
	Sort           SortKey
	Desc           bool
	// Limit is the page size: zero means 50; at most MaxPage.
	Limit int
	// Cursor continues a listing: the Next of the page before.
	Cursor string
}

// MaxPage is the largest page of exceptions a listing returns.
const MaxPage = 1000

// ExceptionPage is one page of a listing. Next, when not empty, continues it.
type ExceptionPage struct {
	Exceptions []Exception
	Next       string
}

// ErrBadCursor is returned for a cursor that no listing with that sort made.
var ErrBadCursor = errors.New("store: invalid cursor")

// position is an exception's place in a listing: the index order value and
// the payment seq.
type position struct{ order, seq uint64 }

func (p position) less(q position) bool {
	return p.order < q.order || (p.order == q.order && p.seq < q.seq)
}

func encodeCursor(sort SortKey, p position) string {
	b := []byte{byte(sort)}
	b = binary.BigEndian.AppendUint64(b, p.order)
	b = binary.BigEndian.AppendUint64(b, p.seq)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(sort SortKey, s string) (*position, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 17 || SortKey(b[0]) != sort {
		return nil, ErrBadCursor
	}
	return &position{binary.BigEndian.Uint64(b[1:9]), binary.BigEndian.Uint64(b[9:])}, nil
}

// listed is an exception found by a listing, with its position.
type listed struct {
	pos position
	x   Exception
}

// Exceptions lists the exceptions of an entity that f selects, in f's order,
// one page at a time. It walks the secondary index that fits the filter best
// (customer, assignee, reason, amount or age) within the bounds the filter
// gives, so that it reads only the exceptions it may return.
func (s *Store) Exceptions(ctx context.Context, entity engine.EntityID, f ExceptionFilter) (ExceptionPage, error) {
	if err := checkID("entity", string(entity)); err != nil {
		return ExceptionPage{}, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxPage)
	after, err := decodeCursor(f.Sort, f.Cursor)
	if err != nil {
		return ExceptionPage{}, err
	}
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = Statuses()
	}
	now := s.now()

	// Each status has its own index range; take a page from each and merge.
	var found []listed
	more := false
	for _, st := range statuses {
		got, full, err := s.listStatus(ctx, entity, st, &f, after, now)
		if err != nil {
			return ExceptionPage{}, err
		}
		found = append(found, got...)
		more = more || full
	}
	slices.SortFunc(found, func(a, b listed) int {
		c := 0
		switch {
		case a.pos.less(b.pos):
			c = -1
		case b.pos.less(a.pos):
			c = 1
		}
		if f.Desc {
			c = -c
		}
		return c
	})
	page := ExceptionPage{}
	if len(found) > f.Limit {
		found, more = found[:f.Limit], true
	}
	for _, l := range found {
		page.Exceptions = append(page.Exceptions, l.x)
	}
	if more && len(found) > 0 {
		page.Next = encodeCursor(f.Sort, found[len(found)-1].pos)
	}
	return page, nil
}

// listStatus returns up to f.Limit exceptions of one status past the cursor
// in f's order; full reports that the limit was reached.
func (s *Store) listStatus(ctx context.Context, entity engine.EntityID, st ExceptionStatus,
	f *ExceptionFilter, after *position, now time.Time) ([]listed, bool, error) {
	// Pick the index: an equality on customer or assignee narrows most;
	// otherwise the one whose order is the order asked for.
	var idx byte
	var key []byte
	inMemory := false
	switch {
	case f.Customer != "":
		idx, key = idxCustomer, append([]byte(f.Customer), 0)
		inMemory = f.Sort == SortAmount
	case f.Assignee != "" || f.Unassigned:
		idx, key = idxAssignee, append([]byte(f.Assignee), 0)
		inMemory = f.Sort == SortAmount
	case f.Sort == SortAmount:
		idx = idxAmount
	case f.Reason != engine.NoReason:
		idx, key = idxReason, []byte{byte(f.Reason)}
	default:
		idx = idxAge
	}
	base := append(append(prefix(entity, tableExcIndex), idx, byte(st)), key...)

	// Bound the walk by the range of the index's order value the filter
	// allows: amounts for the amount index, creation times for the others.
	var lower, upper []byte
	if idx == idxAmount {
		if f.MinAmount.Valid {
			lower = binary.BigEndian.AppendUint64(nil, amountOrder(f.MinAmount.Decimal))
		}
		if f.MaxAmount.Valid {
			upper = binary.BigEndian.AppendUint64(nil, amountOrder(f.MaxAmount.Decimal)+1)
		}
	} else {
		if f.MaxAge > 0 {
			lower = binary.BigEndian.AppendUint64(nil, createdOrder(now.Add(-f.MaxAge)))
		}
		if f.MinAge > 0 {
			upper = binary.BigEndian.AppendUint64(nil, createdOrder(now.Add(-f.MinAge))+1)
		}
	}
	opts := &pebble.IterOptions{LowerBound: base, UpperBound: upperBound(base)}
	if lower != nil {
		opts.LowerBound = append(slices.Clone(base), lower...)
	}
	if upper != nil {
		opts.UpperBound = append(slices.Clone(base), upper...)
	}
	it, err := s.db.NewIterWithContext(ctx, opts)
	if err != nil {
		return nil, false, err
	}
	defer it.Close()

	var out []listed
	step := it.Next
	valid := it.First()
	desc := f.Desc && !inMemory
	if desc {
		step = it.Prev
		valid = it.Last()
	}
	if after != nil && !inMemory {
		k := binary.BigEndian.AppendUint64(slices.Clone(base), after.order)
		k = binary.BigEndian.AppendUint64(k, after.seq)
		if desc {
			valid = it.SeekLT(k)
		} else if valid = it.SeekGE(k); valid && string(it.Key()) == string(k) {
			valid = it.Next()
		}
	}
	for ; valid; valid = step() {
		k := it.Key()
		if len(k) < len(base)+16 {
			return nil, false, fmt.Errorf("%w: exception index key %q", ErrCorrupt, k)
		}
		seq := seqOf(k)
		x, err := s.readException(entity, seq)
		if err != nil {
			return nil, false, fmt.Errorf("exception index points to payment %d: %w", seq, err)
		}
		if !f.matches(&x, now) {
			continue
		}
		pos := position{binary.BigEndian.Uint64(k[len(k)-16 : len(k)-8]), seq}
		if inMemory {
			pos.order = amountOrder(x.Amount.Value)
		}
		out = append(out, listed{pos, x})
		if !inMemory && len(out) == f.Limit {
			return out, true, it.Error()
		}
	}
	if err := it.Error(); err != nil {
		return nil, false, err
	}
	if inMemory {
		return pageInMemory(out, f, after)
	}
	return out, false, nil
}

// pageInMemory orders exceptions gathered from an index in another order and
// cuts the page past the cursor.
func pageInMemory(all []listed, f *ExceptionFilter, after *position) ([]listed, bool, error) {
	slices.SortFunc(all, func(a, b listed) int {
		c := 0
		switch {
		case a.pos.less(b.pos):
			c = -1
		case b.pos.less(a.pos):
			c = 1
		}
		if f.Desc {
			c = -c
		}
		return c
	})
	if after != nil {
		i := 0
		for i < len(all) && (f.Desc && !all[i].pos.less(*after) || !f.Desc && !after.less(all[i].pos)) {
			i++
		}
		all = all[i:]
	}
	if len(all) > f.Limit {
		return all[:f.Limit], true, nil
	}
	return all, false, nil
}

// matches applies every criterion of f to x, whatever index found it.
func (f *ExceptionFilter) matches(x *Exception, now time.Time) bool {
	switch {
	case f.Reason != engine.NoReason && x.Reason != f.Reason,
		f.Customer != "" && x.Customer != f.Customer,
		f.Assignee != "" && x.Assignee != f.Assignee,
		f.Unassigned && x.Assignee != "",
		f.Currency != "" && x.Amount.Currency != f.Currency,
		f.MinAmount.Valid && x.Amount.Value.LessThan(f.MinAmount.Decimal),
		f.MaxAmount.Valid && x.Amount.Value.GreaterThan(f.MaxAmount.Decimal),
		f.MinAge > 0 && now.Sub(x.Created) < f.MinAge,
		f.MaxAge > 0 && now.Sub(x.Created) > f.MaxAge:
		return false
	}
	return true
}

// Assign sets who works on an exception. version is the exception's version
// the caller saw; a stale one returns ErrConflict. An empty assignee
// unassigns. The change is audited.
func (s *Store) Assign(ctx context.Context, entity engine.EntityID, payment engine.PaymentID,
	version uint64, assignee, actor string) (Exception, error) {
	e, unlock, err := s.lockEntity(entity)
	if err != nil {
		return Exception{}, err
	}
	defer unlock()
	t := s.begin(entity, e, actor)
	defer t.abort()
	seq, err := t.paymentSeq(payment)
	if err != nil {
		return Exception{}, err
	}
	xc, err := t.exception(seq)
	if err != nil {
		return Exception{}, fmt.Errorf("exception %s: %w", payment, err)
	}
	if xc.cur.Version != version {
		s.metrics.conflict.Add(1)
		return Exception{}, &ConflictError{Payment: payment, Want: version, Have: xc.cur.Version}
	}
	ac, err := t.app(seq)
	if err != nil {
		return Exception{}, err
	}
	before := ac.cur.state(xc.cur)
	xc.cur.Assignee = assignee
	t.putApp(ac)
	t.putException(xc)
	after := ac.cur.state(xc.cur)
	if err := t.addAudit(&Audit{Action: ActionAssign, Payment: payment, PaymentSeq: seq,
		Before: &before, After: &after}); err != nil {
		return Exception{}, err
	}
	if err := t.commit(ctx); err != nil {
		return Exception{}, err
	}
	return *xc.cur, nil
}

// ConflictError is a change refused because it was based on a version that is
// no longer current. It wraps ErrConflict.
type ConflictError struct {
	Payment engine.PaymentID
	Invoice engine.InvoiceID
	Want    uint64 // the version the change was based on
	Have    uint64 // the version stored
}

func (e *ConflictError) Error() string {
	if e.Invoice != "" {
		return fmt.Sprintf("invoice %s is at version %d, not %d: it changed meanwhile", e.Invoice, e.Have, e.Want)
	}
	return fmt.Sprintf("payment %s is at version %d, not %d: it changed meanwhile", e.Payment, e.Have, e.Want)
}

func (e *ConflictError) Unwrap() error { return ErrConflict }
