package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
)

const ent = engine.DefaultEntity

// setup opens a store holding three invoices of two customers.
func setup(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.Open(t, nil)
	_, err := s.ImportInvoices(context.Background(), ent, []engine.Invoice{
		storetest.Invoice(t, "INV-1", "C1", "100.00"),
		storetest.Invoice(t, "INV-2", "C1", "250.00"),
		storetest.Invoice(t, "INV-3", "C2", "75.00"),
	}, "tester")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	return s
}

func ingest(t *testing.T, s *store.Store, src engine.Source) engine.Outcome {
	t.Helper()
	out, err := engine.Ingest(context.Background(), s, ent, src, &engine.Options{CommitSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	return out
}

func openAmount(t *testing.T, s *store.Store, id engine.InvoiceID) string {
	t.Helper()
	inv, err := s.Invoice(context.Background(), ent, id)
	if err != nil {
		t.Fatal(err)
	}
	return inv.Open.String()
}

func TestIngest_AppliesAndQueues(t *testing.T) {
	s := setup(t)
	out := ingest(t, s, storetest.NewSource("st1",
		storetest.Payment(t, "100.00", "B1", "INV-1"),
		storetest.Payment(t, "40.00", "B2", "INV-2"),
		storetest.Payment(t, "12.00", "B3", "THANK YOU"),
	))
	if out.Duplicate || out.New != 3 || out.Summary.Payments != 3 || out.Summary.Auto != 1 {
		t.Fatalf("outcome %+v, want 3 new payments, 1 auto", out)
	}
	if got := openAmount(t, s, "INV-1"); got != "0.00" {
		t.Errorf("INV-1 open %s, want 0.00", got)
	}
	if got := openAmount(t, s, "INV-2"); got != "250.00" {
		t.Errorf("INV-2 open %s, want 250.00 (short pay is an exception)", got)
	}
	tot, err := s.Report(context.Background(), ent)
	if err != nil {
		t.Fatal(err)
	}
	usd := tot.Currencies["USD"]
	if tot.Payments != 3 || tot.Auto != 1 || tot.OpenExceptions != 2 || usd.Applied.String() != "100.00" ||
		usd.Unapplied.String() != "52.00" || usd.Open.String() != "325.00" {
		t.Errorf("report %+v %+v", tot, *usd)
	}
	app, err := s.Application(context.Background(), ent, "st1-000001")
	if err != nil {
		t.Fatal(err)
	}
	if !app.Decided || app.Engine.Kind != engine.Auto || len(app.Entries) != 1 || app.Exception != nil ||
		app.Payment.Seq != 1 || len(app.Engine.Allocations) != 1 {
		t.Errorf("application of the auto payment: %+v", app)
	}
	x, err := s.Exception(context.Background(), ent, "st1-000003")
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != store.StatusOpen || x.Amount.String() != "12.00" || x.Version != 1 || x.Payment != "st1-000003" {
		t.Errorf("exception %+v", x)
	}
}

func TestIngest_SameStatementTwiceChangesNothing(t *testing.T) {
	s := setup(t)
	src := func() *storetest.Source {
		return storetest.NewSource("st1", storetest.Payment(t, "100.00", "B1", "INV-1"))
	}
	first := ingest(t, s, src())
	before, _ := s.Cursors(context.Background(), ent)
	again := ingest(t, s, src())
	after, _ := s.Cursors(context.Background(), ent)
	if !again.Duplicate || again.Summary.Auto != first.Summary.Auto || again.Statement.Received != first.Statement.Received {
		t.Errorf("second ingest %+v, want the first outcome marked duplicate", again)
	}
	if before != after {
		t.Errorf("cursors moved on a duplicate: %+v -> %+v", before, after)
	}
}

func TestIngest_CorrectedStatementDoesNotRepeatPayments(t *testing.T) {
	s := setup(t)
	ingest(t, s, storetest.NewSource("st1",
		storetest.Payment(t, "100.00", "B1", "INV-1"),
		storetest.Payment(t, "12.00", "B2", "THANK YOU"),
	))
	// The bank sends a corrected file: the same two payments and a new one.
	out := ingest(t, s, storetest.NewSource("st1-corrected",
		storetest.Payment(t, "100.00", "B1", "INV-1"),
		storetest.Payment(t, "12.00", "B2", "THANK YOU"),
		storetest.Payment(t, "75.00", "B3", "INV-3"),
	))
	if out.Duplicate || out.New != 1 || out.Repeated != 2 || out.Summary.Payments != 1 || out.Summary.Auto != 1 {
		t.Fatalf("corrected file: %+v, want 1 new payment and 2 repeated", out)
	}
	if len(out.Statement.Warnings) != 2 {
		t.Errorf("warnings %q, want one per repeated payment", out.Statement.Warnings)
	}
	c, _ := s.Cursors(context.Background(), ent)
	if c.Ingested != 3 || c.Decided != 3 {
		t.Errorf("cursors %+v, want 3 payments", c)
	}
}

func TestIngest_RefusedStatementStoresNothing(t *testing.T) {
	s := setup(t)
	bad := storetest.NewSource("bad", storetest.Payment(t, "100.00", "B1", "INV-1"),
		storetest.Payment(t, "75.00", "B2", "INV-3"))
	bad.Err = errors.New("bad.bai2:9: 49: account trailer total does not add up")
	if _, err := engine.Ingest(context.Background(), s, ent, bad, nil); err == nil || err.Error() != bad.Err.Error() {
		t.Fatalf("refused statement: err %v, want the reader's error", err)
	}
	storetest.Check(t, s)
	if c, _ := s.Cursors(context.Background(), ent); c.Ingested != 0 || c.Statements != 0 {
		t.Errorf("cursors %+v after a refused statement, want nothing stored", c)
	}
	if got := openAmount(t, s, "INV-1"); got != "100.00" {
		t.Errorf("INV-1 open %s after a refused statement", got)
	}
	if _, err := s.Application(context.Background(), ent, "bad-000001"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("payment of a refused statement: %v, want ErrNotFound", err)
	}
	// The same payments in a good file are stored from seq 1.
	out := ingest(t, s, storetest.NewSource("good", storetest.Payment(t, "100.00", "B1", "INV-1")))
	if out.New != 1 || out.Repeated != 0 {
		t.Errorf("good file after a refused one: %+v", out)
	}
}

func TestCommit_StaleCursorOrBookIsAConflict(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	if _, err := s.Receive(ctx, ent, storetest.NewSource("st1",
		storetest.Payment(t, "100.00", "B1", "INV-1"), storetest.Payment(t, "100.00", "B2", "INV-1"))); err != nil {
		t.Fatal(err)
	}
	ps, err := s.Pending(ctx, ent, 0, 10)
	if err != nil || len(ps) != 2 {
		t.Fatalf("pending %d, %v", len(ps), err)
	}
	apply := func(p engine.Payment) engine.Decision {
		return engine.Decision{Payment: p.ID, Kind: engine.Auto, Customer: "C1", OnAccount: storetest.USD(t, "0"),
			Unapplied:   storetest.USD(t, "0"),
			Allocations: []engine.Allocation{{Invoice: "INV-1", Amount: p.Amount}}}
	}
	// Both payments consume INV-1 in full: the batch must be refused whole.
	err = s.Commit(ctx, engine.Batch{Entity: ent, Payments: ps, Decisions: []engine.Decision{apply(ps[0]), apply(ps[1])}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("commit consuming an invoice twice: %v, want ErrConflict", err)
	}
	storetest.Check(t, s)
	if got := openAmount(t, s, "INV-1"); got != "100.00" {
		t.Errorf("INV-1 open %s after a refused batch", got)
	}
	// A batch that does not start at the cursor is refused.
	err = s.Commit(ctx, engine.Batch{Entity: ent, Payments: ps[1:], Decisions: []engine.Decision{apply(ps[1])}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("commit past the cursor: %v, want ErrConflict", err)
	}
	if err := s.Commit(ctx, engine.Batch{Entity: ent, Payments: ps[:1], Decisions: []engine.Decision{apply(ps[0])}}); err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	// The same batch again finds the cursor moved.
	err = s.Commit(ctx, engine.Batch{Entity: ent, Payments: ps[:1], Decisions: []engine.Decision{apply(ps[0])}})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("commit of a decided payment: %v, want ErrConflict", err)
	}
	// The engine decides the rest from a fresh book: INV-1 is paid now.
	if _, err := engine.DecidePending(ctx, s, ent, nil); err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	x, err := s.Exception(ctx, ent, ps[1].ID)
	if err != nil || x.Reason != engine.AlreadyPaid {
		t.Errorf("second payment of INV-1: %+v, %v; want an already_paid exception", x, err)
	}
}

// conflictOnce is a store whose first commit loses to a concurrent change.
type conflictOnce struct {
	*store.Store
	failed bool
}

func (c *conflictOnce) Commit(ctx context.Context, b engine.Batch) error {
	if !c.failed {
		c.failed = true
		return store.ErrConflict
	}
	return c.Store.Commit(ctx, b)
}

func TestDecidePending_RetriesAfterAConflict(t *testing.T) {
	s := setup(t)
	cs := &conflictOnce{Store: s}
	out, err := engine.Ingest(context.Background(), cs, ent, storetest.NewSource("st1",
		storetest.Payment(t, "100.00", "B1", "INV-1")), nil)
	if err != nil || !cs.failed || out.Summary.Auto != 1 {
		t.Fatalf("ingest after a lost commit: %+v, %v", out, err)
	}
}

func TestOpen_SecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	storetest.OpenDir(t, dir, nil)
	_, err := store.Open(dir, nil)
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
}

func TestCheckpoint_CopyIsAStoreWithTheSameState(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	ingest(t, s, storetest.NewSource("st1", storetest.Payment(t, "100.00", "B1", "INV-1"),
		storetest.Payment(t, "5.00", "B2", "?")))
	dir := t.TempDir() + "/backup"
	if err := s.Checkpoint(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx, dir); err == nil {
		t.Error("checkpoint into an existing folder succeeded")
	}
	b := storetest.OpenDir(t, dir, nil)
	want, _ := s.Report(ctx, ent)
	got, err := b.Report(ctx, ent)
	if err != nil {
		t.Fatal(err)
	}
	if got.Payments != want.Payments || got.OpenExceptions != want.OpenExceptions ||
		!got.Currencies["USD"].Applied.Equal(want.Currencies["USD"].Applied) {
		t.Errorf("backup report %+v, store %+v", got, want)
	}
}
