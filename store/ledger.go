package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// entry reads one ledger entry.
func (s *Store) entry(entity engine.EntityID, seq uint64) (Entry, error) {
	b, err := s.getRaw(seqKey(entity, tableEntry, seq))
	if err != nil {
		return Entry{}, fmt.Errorf("entry %d: %w", seq, err)
	}
	return decodeEntry(seq, b)
}

// entries reads ledger entries by seq.
func (s *Store) entries(entity engine.EntityID, seqs []uint64) ([]Entry, error) {
	out := make([]Entry, 0, len(seqs))
	for _, seq := range seqs {
		en, err := s.entry(entity, seq)
		if err != nil {
			return nil, err
		}
		out = append(out, en)
	}
	return out, nil
}

// payment reads a stored payment by seq.
func (s *Store) payment(entity engine.EntityID, seq uint64) (engine.Payment, error) {
	b, err := s.getRaw(seqKey(entity, tablePayment, seq))
	if err != nil {
		return engine.Payment{}, fmt.Errorf("payment %d: %w", seq, err)
	}
	return decodePayment(seq, b)
}

// Application is a payment with what the engine decided and what is applied
// of it now.
type Application struct {
	Payment engine.Payment
	// Decided is false while the payment waits for the engine; the fields
	// below are then zero.
	Decided bool
	// Engine is the engine's decision as it was made: its allocations,
	// adjustments and amount on account are the entries it wrote, its
	// suggestions those of the exception.
	Engine engine.Decision
	// Applied, OnAccount, NotReceivable and Unapplied say where the
	// payment's cash is now; they add up to its amount.
	Applied       engine.Amount
	OnAccount     engine.Amount
	NotReceivable engine.Amount
	Unapplied     engine.Amount
	// Entries are the payment's ledger entries, reversals included, in the
	// order written.
	Entries []Entry
	// Exception is the payment's exception, if it has one.
	Exception *Exception
	// Version grows with every change of the payment's application or
	// exception; Unapply names it.
	Version uint64
	Updated time.Time
}

// Application returns a payment with its decision and what is applied of it,
// or ErrNotFound.
func (s *Store) Application(ctx context.Context, entity engine.EntityID, id engine.PaymentID) (Application, error) {
	seq, err := s.paymentSeq(entity, id)
	if err != nil {
		return Application{}, err
	}
	p, err := s.payment(entity, seq)
	if err != nil {
		return Application{}, err
	}
	out := Application{Payment: p}
	b, err := s.getRaw(seqKey(entity, tableApplication, seq))
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return Application{}, err
	}
	a, err := decodeApplication(seq, b)
	if err != nil {
		return Application{}, fmt.Errorf("payment %s: %w", id, err)
	}
	entries, err := s.entries(entity, a.Entries)
	if err != nil {
		return Application{}, err
	}
	out.Decided, out.Entries, out.Version, out.Updated = true, entries, a.Version, a.Updated
	out.Applied, out.OnAccount, out.NotReceivable, out.Unapplied = a.Applied, a.OnAccount, a.NotReceivable, a.Unapplied
	if a.HasException {
		x, err := s.readException(entity, seq)
		if err != nil {
			return Application{}, fmt.Errorf("exception %s: %w", id, err)
		}
		out.Exception = &x
	}
	out.Engine = a.engineDecision(p, entries, out.Exception)
	return out, nil
}

// engineDecision rebuilds the engine's decision from what it wrote.
func (a *application) engineDecision(p engine.Payment, entries []Entry, x *Exception) engine.Decision {
	c := p.Amount.Currency
	d := engine.Decision{Payment: p.ID, Kind: a.Kind, Customer: a.Customer, OnAccount: engine.Zero(c),
		Unapplied: p.Amount, Confidence: a.Confidence, Reasons: a.Reasons, Exception: a.Exception}
	for _, en := range entries {
		if en.Audit != a.Audit {
			continue
		}
		switch en.Kind {
		case EntryAllocation:
			d.Allocations = append(d.Allocations, engine.Allocation{Invoice: en.Invoice, Amount: en.Amount})
		case EntryAdjustment:
			d.Adjustments = append(d.Adjustments, engine.Adjustment{Invoice: en.Invoice, Amount: en.Amount,
				Reason: en.Reason, Code: en.Code})
		case EntryOnAccount:
			d.OnAccount = d.OnAccount.Add(en.Amount)
		}
		if en.isCash() {
			d.Unapplied = d.Unapplied.Sub(en.Amount)
		}
	}
	if x != nil {
		d.Suggestions = x.Suggestions
	}
	return d
}

// Payments returns up to limit visible payments numbered above after, in
// order (zero limit means 100, at most MaxPage).
func (s *Store) Payments(ctx context.Context, entity engine.EntityID, after uint64, limit int) ([]engine.Payment, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxPage)
	meta, _, err := s.meta(entity)
	if err != nil {
		return nil, err
	}
	last := min(meta.Ingested, after+uint64(limit))
	if last <= after {
		return nil, nil
	}
	return s.payments(ctx, entity, after+1, last)
}

// Entries returns up to limit ledger entries numbered above after, in order
// (zero limit means 1000, at most 10000): the export of cash applied for the
// ERP. Continue with the Seq of the last entry returned.
func (s *Store) Entries(ctx context.Context, entity engine.EntityID, after uint64, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 1000
	}
	limit = min(limit, 10000)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: seqKey(entity, tableEntry, after+1), UpperBound: upperBound(prefix(entity, tableEntry))})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Entry
	for it.First(); it.Valid() && len(out) < limit; it.Next() {
		en, err := decodeEntry(seqOf(it.Key()), it.Value())
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", seqOf(it.Key()), err)
		}
		out = append(out, en)
	}
	return out, it.Error()
}

// EntrySeqAt returns the seq of the last ledger entry written before time
// since, so that an export "since a time" is Entries(EntrySeqAt(since), ...).
// Entries are numbered in the order written; it finds the place by binary
// search, reading a few dozen entries.
func (s *Store) EntrySeqAt(ctx context.Context, entity engine.EntityID, since time.Time) (uint64, error) {
	meta, _, err := s.meta(entity)
	if err != nil {
		return 0, err
	}
	lo, hi := uint64(0), meta.Entries // entries lo+1..hi: the answer lies in [lo, hi]
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		en, err := s.entry(entity, mid)
		if err != nil {
			return 0, err
		}
		if en.Time.Before(since) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}
