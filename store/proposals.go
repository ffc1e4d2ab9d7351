package store

import (
	"context"
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// tableProposal holds resolutions that wait for an approver, by payment ID:
//
//	'q'    payment ID                                 proposalRecord
const tableProposal byte = 'q'

// Proposal is a resolution that waits for an approver because it writes off
// more than one person may. Body is the resolution as the proposer sent it,
// kept as given; the store does not read it. A proposal holds only while the
// exception stays at Version: any change of the payment makes it stale.
type Proposal struct {
	Payment  engine.PaymentID `json:"payment"`
	Version  uint64           `json:"version"`
	Proposer string           `json:"proposer"`
	Time     time.Time        `json:"time"`
	Body     []byte           `json:"body"`
}

// Propose records a proposal, replacing any earlier one of the payment. The
// exception must be open at p.Version, or Propose returns ErrConflict.
func (s *Store) Propose(ctx context.Context, entity engine.EntityID, p Proposal) error {
	seq, err := s.paymentSeq(entity, p.Payment)
	if err != nil {
		return err
	}
	_, unlock, err := s.lockEntity(entity)
	if err != nil {
		return err
	}
	defer unlock()
	x, err := s.readException(entity, seq)
	if err != nil {
		return fmt.Errorf("exception %s: %w", p.Payment, err)
	}
	if x.Version != p.Version || x.Status != StatusOpen {
		return &ConflictError{Payment: p.Payment, Want: p.Version, Have: x.Version}
	}
	v, err := encodeJSON(p)
	if err != nil {
		return err
	}
	return s.db.Set(key(entity, tableProposal, string(p.Payment)), v, pebble.Sync)
}

// Proposals returns the entity's proposals in payment ID order, stale ones
// included.
func (s *Store) Proposals(ctx context.Context, entity engine.EntityID) ([]Proposal, error) {
	p := prefix(entity, tableProposal)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: p, UpperBound: upperBound(p)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Proposal
	for it.First(); it.Valid(); it.Next() {
		var pr Proposal
		if err := decodeJSON("proposal", it.Value(), &pr); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, it.Error()
}

// DropProposal removes a payment's proposal, if there is one.
func (s *Store) DropProposal(ctx context.Context, entity engine.EntityID, payment engine.PaymentID) error {
	return s.db.Delete(key(entity, tableProposal, string(payment)), pebble.Sync)
}
