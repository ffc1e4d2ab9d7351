package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// stageBytes is the size at which Receive writes the payments it has read so
// far, unsynced and still invisible, so that memory does not grow with the
// statement.
const stageBytes = 4 << 20

// maxRepeatWarnings caps the warnings that name repeated payments one by
// one.
const maxRepeatWarnings = 20

// Receive reads every payment of src and stores them with the entity's next
// sequence numbers. Payments are written as they are read, but stay invisible
// until the whole statement has been read: only then does one synced batch
// publish them (moving the entity's ingested cursor), with the statement
// record and an audit record. A refused statement, or one whose reading is
// interrupted by a crash, leaves nothing visible; what it wrote is removed
// before the next statement is stored. A statement already stored is
// recognised by its ID and stores nothing. A payment that repeats one of an
// earlier statement (same account, bank reference, amount, value date and
// direction) is skipped and counted as repeated.
func (s *Store) Receive(ctx context.Context, entity engine.EntityID, src engine.Source) (engine.Receipt, error) {
	e, err := s.entity(entity)
	if err != nil {
		return engine.Receipt{}, err
	}
	e.intake.Lock()
	defer e.intake.Unlock()
	meta, _, err := s.meta(entity)
	if err != nil {
		return engine.Receipt{}, err
	}
	if rc, dup, err := s.duplicate(entity, src.Statement().ID); dup || err != nil {
		return rc, err
	}
	if err := s.discardStaged(ctx, entity, meta.Ingested); err != nil {
		return engine.Receipt{}, err
	}

	// Read and stage the whole statement.
	st, err := s.stage(ctx, entity, src, meta.Ingested)
	if err != nil {
		if derr := s.discardStaged(context.WithoutCancel(ctx), entity, meta.Ingested); derr != nil {
			s.log.Warn("could not remove the payments of a refused statement; they are removed "+
				"before the next one is stored", logEntity, entity, logErr, derr)
		}
		return engine.Receipt{}, err
	}
	if rc, dup, err := s.duplicate(entity, st.ID); dup || err != nil {
		return rc, errors.Join(err, s.discardStaged(ctx, entity, meta.Ingested))
	}

	// Publish it.
	if err := s.publish(ctx, entity, st); err != nil {
		return engine.Receipt{}, err
	}
	s.metrics.stored.Add(uint64(st.New))
	s.log.Info("statement stored", logEntity, entity, logStatement, st.ID, logPayments, st.New,
		"repeated", st.Repeated)
	return engine.Receipt{Statement: st.statement(entity), New: st.New, Repeated: st.Repeated}, nil
}

// duplicate returns the receipt of a statement already stored.
func (s *Store) duplicate(entity engine.EntityID, id engine.StatementID) (engine.Receipt, bool, error) {
	if id == "" {
		return engine.Receipt{}, false, nil
	}
	var r statementRecord
	err := s.getJSON("statement", key(entity, tableStatement, string(id)), &r)
	if errors.Is(err, ErrNotFound) {
		return engine.Receipt{}, false, nil
	}
	if err != nil {
		return engine.Receipt{}, false, err
	}
	return engine.Receipt{Statement: r.statement(entity), Duplicate: true, New: r.New, Repeated: r.Repeated}, true, nil
}

// stage reads src to its end, writing each payment, numbered after ingested,
// with its index keys in unsynced batches. It returns the statement record
// to publish.
func (s *Store) stage(ctx context.Context, entity engine.EntityID, src engine.Source,
	ingested uint64) (*statementRecord, error) {
	repeats, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: prefix(entity, tableRepeat), UpperBound: upperBound(prefix(entity, tableRepeat))})
	if err != nil {
		return nil, err
	}
	defer repeats.Close()
	b := s.db.NewBatch()
	defer func() { b.Close() }()
	st := &statementRecord{FirstSeq: ingested + 1}
	seq := ingested
	var buf []byte
	for {
		p, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		st.Read++
		if err := checkID("payment ID", string(p.ID)); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Source, err)
		}
		rk, ok := repeatPrefix(entity, p)
		if ok && repeats.SeekGE(rk) && bytes.HasPrefix(repeats.Key(), rk) && seqOf(repeats.Key()) <= ingested {
			st.Repeated++
			if st.Repeated <= maxRepeatWarnings {
				st.Warnings = append(st.Warnings, fmt.Sprintf("%s repeats payment %d of an earlier statement "+
					"(account %s, bank reference %s, %s %s, %s); not stored again", p.Source,
					seqOf(repeats.Key()), p.Account, p.BankRef, p.Amount, p.Amount.Currency, p.ValueDate))
			}
			continue
		}
		if prev, err := s.getRaw(key(entity, tablePaymentID, string(p.ID))); err == nil {
			return nil, fmt.Errorf("%s: payment ID %s is already stored as payment %d", p.Source, p.ID, seqOf(prev))
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}

		seq++
		p.Seq = seq
		buf = encodePayment(buf, &p)
		if err := b.Set(seqKey(entity, tablePayment, seq), buf, nil); err != nil {
			return nil, err
		}
		if err := b.Set(key(entity, tablePaymentID, string(p.ID)), seqValue(seq), nil); err != nil {
			return nil, err
		}
		if ok {
			if err := b.Set(append(rk, seqValue(seq)...), nil, nil); err != nil {
				return nil, err
			}
		}
		if b.Len() >= stageBytes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := b.Commit(pebble.NoSync); err != nil {
				return nil, err
			}
			b.Close()
			b = s.db.NewBatch()
		}
	}
	if err := b.Commit(pebble.NoSync); err != nil {
		return nil, err
	}
	if st.Repeated > maxRepeatWarnings {
		st.Warnings = append(st.Warnings, fmt.Sprintf("%d more payments repeat payments of earlier statements",
			st.Repeated-maxRepeatWarnings))
	}
	info := src.Statement()
	st.ID, st.Source, st.Format, st.Size = info.ID, info.Source, info.Format, info.Size
	st.ReceivedBy = info.ReceivedBy
	st.Warnings = append(info.Warnings, st.Warnings...)
	st.New = int(seq - ingested)
	if st.New == 0 {
		st.FirstSeq = 0
	} else {
		st.LastSeq = seq
	}
	if err := checkID("statement ID", string(st.ID)); err != nil {
		return nil, err
	}
	return st, nil
}

func seqValue(seq uint64) []byte { return seqKey("", 0, seq)[2:] }

// publish makes a staged statement visible: one synced batch moves the
// ingested cursor past its payments and writes the statement record and an
// audit record.
func (s *Store) publish(ctx context.Context, entity engine.EntityID, st *statementRecord) error {
	e, unlock, err := s.lockEntity(entity)
	if err != nil {
		return err
	}
	defer unlock()
	actor := EngineActor
	if st.ReceivedBy != "" {
		actor = st.ReceivedBy
	}
	t := s.begin(entity, e, actor)
	defer t.abort()
	if st.New > 0 && st.FirstSeq != t.meta.Ingested+1 {
		return fmt.Errorf("store: statement %s was numbered from %d, the entity is at %d",
			st.ID, st.FirstSeq, t.meta.Ingested)
	}
	t.meta.Statements++
	st.Seq, st.Received = t.meta.Statements, t.now
	st.Summary = toSummaryRecord(engine.NewSummary())
	if st.New > 0 {
		t.meta.Ingested = st.LastSeq
	}
	t.statements[st.ID] = st
	if err := t.b.Set(seqKey(entity, tableStatementNo, st.Seq), []byte(st.ID), nil); err != nil {
		return err
	}
	if err := t.addAudit(&Audit{Action: ActionReceive, Statement: st.ID, FirstSeq: st.FirstSeq,
		LastSeq: st.LastSeq, Note: fmt.Sprintf("%s: %d payments read, %d stored, %d repeated",
			st.Source, st.Read, st.New, st.Repeated)}); err != nil {
		return err
	}
	return t.commit(ctx)
}

// discardStaged removes payments numbered above ingested, with their index
// keys: what a refused or interrupted statement wrote.
func (s *Store) discardStaged(ctx context.Context, entity engine.EntityID, ingested uint64) error {
	lower := seqKey(entity, tablePayment, ingested+1)
	upper := upperBound(prefix(entity, tablePayment))
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return err
	}
	defer it.Close()
	b := s.db.NewBatch()
	defer b.Close()
	n := 0
	for it.First(); it.Valid(); it.Next() {
		p, err := decodePayment(seqOf(it.Key()), it.Value())
		if err != nil {
			return fmt.Errorf("staged payment %d: %w", seqOf(it.Key()), err)
		}
		if err := b.Delete(key(entity, tablePaymentID, string(p.ID)), nil); err != nil {
			return err
		}
		if rk, ok := repeatPrefix(entity, p); ok {
			if err := b.Delete(append(rk, seqValue(p.Seq)...), nil); err != nil {
				return err
			}
		}
		n++
	}
	if err := it.Error(); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if err := b.DeleteRange(lower, upper, nil); err != nil {
		return err
	}
	s.log.Info("removed the payments of an unfinished statement", logEntity, entity, logPayments, n)
	return b.Commit(pebble.NoSync)
}

// Pending returns up to limit stored payments of the entity that are not
// decided yet and are numbered above after, in sequence order.
func (s *Store) Pending(ctx context.Context, entity engine.EntityID, after uint64, limit int) ([]engine.Payment, error) {
	meta, _, err := s.meta(entity)
	if err != nil {
		return nil, err
	}
	from := max(after, meta.Decided)
	last := min(meta.Ingested, from+uint64(limit))
	if last <= from {
		return nil, nil
	}
	return s.payments(ctx, entity, from+1, last)
}

// payments reads the payments numbered from first to last.
func (s *Store) payments(ctx context.Context, entity engine.EntityID, first, last uint64) ([]engine.Payment, error) {
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: seqKey(entity, tablePayment, first), UpperBound: seqKey(entity, tablePayment, last+1)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := make([]engine.Payment, 0, last-first+1)
	for it.First(); it.Valid(); it.Next() {
		p, err := decodePayment(seqOf(it.Key()), it.Value())
		if err != nil {
			return nil, fmt.Errorf("payment %d: %w", seqOf(it.Key()), err)
		}
		out = append(out, p)
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	if uint64(len(out)) != last-first+1 {
		return nil, fmt.Errorf("%w: payments %d to %d: found %d", ErrCorrupt, first, last, len(out))
	}
	return out, nil
}

// paymentSeq returns the seq of a visible payment, or ErrNotFound.
// REQUIRES: the entity is not locked by the caller (see txn.paymentSeq).
func (s *Store) paymentSeq(entity engine.EntityID, id engine.PaymentID) (uint64, error) {
	meta, _, err := s.meta(entity)
	if err != nil {
		return 0, err
	}
	return s.paymentSeqAt(entity, id, meta.Ingested)
}

// paymentSeq returns the seq of a visible payment as the txn sees it.
func (t *txn) paymentSeq(id engine.PaymentID) (uint64, error) {
	return t.s.paymentSeqAt(t.id, id, t.meta.Ingested)
}

// paymentSeqAt returns the seq of a payment numbered at most ingested, or
// ErrNotFound.
func (s *Store) paymentSeqAt(entity engine.EntityID, id engine.PaymentID, ingested uint64) (uint64, error) {
	b, err := s.getRaw(key(entity, tablePaymentID, string(id)))
	if err != nil {
		return 0, fmt.Errorf("payment %s: %w", id, err)
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: payment ID index of %s", ErrCorrupt, id)
	}
	seq := seqOf(b)
	if seq > ingested {
		return 0, fmt.Errorf("payment %s: %w", id, ErrNotFound)
	}
	return seq, nil
}

// StatementSummary totals the decisions of a statement's payments; complete
// reports whether all of them are decided.
func (s *Store) StatementSummary(ctx context.Context, entity engine.EntityID,
	id engine.StatementID) (engine.Summary, bool, error) {
	info, err := s.Statement(ctx, entity, id)
	if err != nil {
		return engine.Summary{}, false, err
	}
	return info.Summary, info.Complete, nil
}
