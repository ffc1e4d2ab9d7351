package store

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

type memSource struct {
	st engine.Statement
	ps []engine.Payment
	i  int
}

func (m *memSource) Next() (engine.Payment, error) {
	if m.i == len(m.ps) {
		return engine.Payment{}, io.EOF
	}
	m.i++
	return m.ps[m.i-1], nil
}

func (m *memSource) Statement() engine.Statement { return m.st }

// sample returns a store holding two invoices, a statement of three
// payments (one applied, two queued) and a resolution.
func sample(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	usd := func(v string) engine.Amount {
		a, _ := engine.ParseAmount(v, "USD")
		return a
	}
	_, err = s.ImportInvoices(ctx, engine.DefaultEntity, []engine.Invoice{
		{ID: "INV-1", Customer: "C1", CustomerName: "Acme", Amount: usd("100.00"), Open: usd("100.00")},
		{ID: "INV-2", Customer: "C2", CustomerName: "Globex", Amount: usd("50.00"), Open: usd("50.00")},
	}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	src := &memSource{st: engine.Statement{ID: "st1", Source: "st1.bai2", Format: engine.FormatBAI2}}
	for i, pay := range []struct{ amount, ref, text string }{
		{"100.00", "B1", "INV-1"}, {"20.00", "B2", "THANKS"}, {"50.00", "B3", "HELLO"},
	} {
		src.ps = append(src.ps, engine.Payment{ID: engine.PaymentID(fmt.Sprintf("st1-%d", i+1)), Statement: "st1",
			Amount: usd(pay.amount), BankRef: pay.ref, PayerName: "PAYER " + pay.ref,
			Remittance: engine.Remittance{Lines: []string{pay.text}}})
	}
	if _, err := engine.Ingest(ctx, s, engine.DefaultEntity, src, nil); err != nil {
		t.Fatal(err)
	}
	x, err := s.Exception(ctx, engine.DefaultEntity, "st1-3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, engine.DefaultEntity, Resolution{Payment: "st1-3", Version: x.Version,
		Action: ActionApply, Allocations: []engine.Allocation{{Invoice: "INV-2", Amount: usd("50.00")}}, Actor: "ana"}); err != nil {
		t.Fatal(err)
	}
	if ps, err := s.Check(ctx); err != nil || len(ps) > 0 {
		t.Fatalf("sample store: %v %v", ps, err)
	}
	return s
}

// TestCheck_FindsEveryKindOfDamage damages a sound store one way at a time
// and expects Check to name the record at fault.
func TestCheck_FindsEveryKindOfDamage(t *testing.T) {
	ent := engine.DefaultEntity
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, s *Store) error
		want   string
	}{
		{"invoice open changed without an entry", func(t *testing.T, s *Store) error {
			inv, err := s.Invoice(context.Background(), ent, "INV-1")
			if err != nil {
				return err
			}
			inv.Open = inv.Amount
			return s.db.Set(key(ent, tableInvoice, "INV-1"), encodeInvoice(nil, &inv), pebble.Sync)
		}, "invoice INV-1"},
		{"payment applied amount changed", func(t *testing.T, s *Store) error {
			b, _ := s.getRaw(seqKey(ent, tableApplication, 1))
			a, _ := decodeApplication(1, b)
			a.Applied = a.Applied.Sub(a.Applied)
			return s.db.Set(seqKey(ent, tableApplication, 1), encodeApplication(nil, &a), pebble.Sync)
		}, "payment 1"},
		{"ledger entry lost", func(t *testing.T, s *Store) error {
			return s.db.Delete(seqKey(ent, tableEntry, 1), pebble.Sync)
		}, "entr"},
		{"audit record lost", func(t *testing.T, s *Store) error {
			return s.db.Delete(seqKey(ent, tableAudit, 3), pebble.Sync)
		}, "audit"},
		{"exception index key lost", func(t *testing.T, s *Store) error {
			x, err := s.readException(ent, 2)
			if err != nil {
				return err
			}
			return s.db.Delete(exceptionIndexKeys(ent, &x)[1], pebble.Sync)
		}, "exception 2"},
		{"stale exception index key", func(t *testing.T, s *Store) error {
			x, err := s.readException(ent, 2)
			if err != nil {
				return err
			}
			x.Assignee = "nobody"
			return s.db.Set(exceptionIndexKeys(ent, &x)[3], nil, pebble.Sync)
		}, "exception index"},
		{"payment ID index points elsewhere", func(t *testing.T, s *Store) error {
			return s.db.Set(key(ent, tablePaymentID, "st1-2"), seqValue(3), pebble.Sync)
		}, "payment 2"},
		{"totals drift", func(t *testing.T, s *Store) error {
			var m entityMeta
			if err := s.getJSON("meta", prefix(ent, tableMeta), &m); err != nil {
				return err
			}
			m.Totals.Auto++
			v, _ := encodeJSON(m)
			return s.db.Set(prefix(ent, tableMeta), v, pebble.Sync)
		}, "totals"},
		{"cursor ahead of the decisions", func(t *testing.T, s *Store) error {
			var m entityMeta
			if err := s.getJSON("meta", prefix(ent, tableMeta), &m); err != nil {
				return err
			}
			m.Decided--
			v, _ := encodeJSON(m)
			return s.db.Set(prefix(ent, tableMeta), v, pebble.Sync)
		}, "payment 3"},
		{"corrupt value", func(t *testing.T, s *Store) error {
			return s.db.Set(seqKey(ent, tableEntry, 2), []byte{1, 2, 3}, pebble.Sync)
		}, "entry 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sample(t)
			if err := tc.damage(t, s); err != nil {
				t.Fatal(err)
			}
			ps, err := s.Check(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) == 0 {
				t.Fatalf("no problem found")
			}
			if !strings.Contains(ps[0].Record, tc.want) && !strings.Contains(ps[0].String(), tc.want) {
				t.Errorf("first problem %q does not name %q (all: %v)", ps[0], tc.want, ps)
			}
		})
	}
}

// TestReceive_LeftoversOfAnInterruptedReadAreRemoved stages a statement
// without publishing it, as a crash between the two would, reopens the
// store, and stores another statement.
func TestReceive_LeftoversOfAnInterruptedReadAreRemoved(t *testing.T) {
	ctx := context.Background()
	ent := engine.DefaultEntity
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	usd, _ := engine.ParseAmount("10.00", "USD")
	mk := func(id string, n int) *memSource {
		src := &memSource{st: engine.Statement{ID: engine.StatementID(id)}}
		for i := range n {
			src.ps = append(src.ps, engine.Payment{ID: engine.PaymentID(fmt.Sprintf("%s-%d", id, i)),
				Statement: engine.StatementID(id), Amount: usd, BankRef: fmt.Sprintf("%s-B%d", id, i)})
		}
		return src
	}
	if _, err := s.stage(ctx, ent, mk("lost", 5), 0); err != nil {
		t.Fatal(err)
	}
	s.db.Flush()
	s.Close()

	s, err = Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ps, err := s.Check(ctx); err != nil || len(ps) > 0 {
		t.Fatalf("check with leftovers: %v %v", ps, err)
	}
	if _, err := s.Application(ctx, ent, "lost-0"); err == nil {
		t.Error("a payment of an unpublished statement is visible")
	}
	rc, err := s.Receive(ctx, ent, mk("kept", 3))
	if err != nil || rc.New != 3 {
		t.Fatalf("receive after leftovers: %+v, %v", rc, err)
	}
	ps, err := s.Pending(ctx, ent, 0, 10)
	if err != nil || len(ps) != 3 || ps[0].Seq != 1 || ps[0].ID != "kept-0" {
		t.Fatalf("pending %+v, %v; want kept-0.. from seq 1", ps, err)
	}
	n := 0
	scanTable(ctx, s.db, ent, tablePaymentID, func(_, _ []byte) error { n++; return nil })
	if n != 3 {
		t.Errorf("%d payment ID keys, want 3: the leftovers' were not removed", n)
	}
	if ps, err := s.Check(ctx); err != nil || len(ps) > 0 {
		t.Fatalf("check: %v %v", ps, err)
	}
}
