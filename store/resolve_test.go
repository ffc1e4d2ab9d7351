package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
)

// queued ingests payments that the engine cannot apply and returns their
// exceptions, in order.
func queued(t *testing.T, s *store.Store, ps ...engine.Payment) []store.Exception {
	t.Helper()
	out := ingest(t, s, storetest.NewSource("st1", ps...))
	page, err := s.Exceptions(context.Background(), ent, store.ExceptionFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Exceptions) != out.Summary.Exceptions+out.Summary.Suggested {
		t.Fatalf("%d exceptions listed, the outcome counts %+v", len(page.Exceptions), out.Summary)
	}
	return page.Exceptions
}

func TestResolve_ApplyWithWriteOffLearnsThePayer(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	xs := queued(t, s, storetest.Payment(t, "95.00", "B1", "FOR OUR ORDER"))
	x := xs[0]
	r := store.Resolution{Payment: x.Payment, Version: x.Version, Action: store.ActionApply,
		Allocations: []engine.Allocation{{Invoice: "INV-1", Amount: storetest.USD(t, "95.00")}},
		Adjustments: []engine.Adjustment{{Invoice: "INV-1", Amount: storetest.USD(t, "5.00"),
			Reason: engine.WriteOff, Code: "SHORT-PAY"}},
		Actor: "ana", Note: "customer confirmed by phone"}
	got, err := s.Resolve(ctx, ent, r)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	if got.Status != store.StatusResolved || got.Version != x.Version+1 || got.Customer != "C1" ||
		got.Resolution == nil || got.Resolution.Actor != "ana" {
		t.Errorf("resolved exception %+v", got)
	}
	if open := openAmount(t, s, "INV-1"); open != "0.00" {
		t.Errorf("INV-1 open %s, want 0.00 after 95 applied and 5 written off", open)
	}

	// The payer's name and account are now the customer's.
	book, err := s.Book(ctx, ent)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := book.Customer("C1")
	if len(c.Aliases) != 1 || c.Aliases[0] != "PAYER B1" || !contains(c.Accounts, "ACCT-B1") {
		t.Errorf("customer after the resolution: %+v", c)
	}

	// The same resolution again is stale.
	if _, err := s.Resolve(ctx, ent, r); !errors.Is(err, store.ErrConflict) {
		t.Errorf("resolving twice: %v, want ErrConflict", err)
	}
	log, err := s.AuditLog(ctx, ent, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	if last.Action != store.ActionApply || last.Actor != "ana" || last.Note != r.Note || last.Learned == nil ||
		len(last.Entries) != 2 || last.Before.Exception != store.StatusOpen || last.After.Exception != store.StatusResolved {
		t.Errorf("audit record of the resolution: %+v", last)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestResolve_RefusesWhatDoesNotAddUp(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	x := queued(t, s, storetest.Payment(t, "120.00", "B1", "?"))[0]
	alloc := func(inv, amount string) []engine.Allocation {
		return []engine.Allocation{{Invoice: engine.InvoiceID(inv), Amount: storetest.USD(t, amount)}}
	}
	for _, tc := range []struct {
		name string
		r    store.Resolution
	}{
		{"short of the payment", store.Resolution{Action: store.ActionApply, Allocations: alloc("INV-2", "100.00")}},
		{"invoice below zero", store.Resolution{Action: store.ActionApply, Allocations: alloc("INV-1", "120.00")}},
		{"unknown invoice", store.Resolution{Action: store.ActionApply, Allocations: alloc("INV-9", "120.00")}},
		{"currency", store.Resolution{Action: store.ActionApply, Allocations: []engine.Allocation{
			{Invoice: "INV-2", Amount: storetest.Amount(t, "120.00", "EUR")}}}},
		{"write-off without a code", store.Resolution{Action: store.ActionApply, Allocations: alloc("INV-2", "120.00"),
			Adjustments: []engine.Adjustment{{Invoice: "INV-2", Amount: storetest.USD(t, "1.00"), Reason: engine.WriteOff}}}},
		{"on account without a customer", store.Resolution{Action: store.ActionOnAccount}},
		{"on account of an unknown customer", store.Resolution{Action: store.ActionOnAccount, Customer: "C9"}},
		{"unknown action", store.Resolution{Action: "pay"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.Payment, tc.r.Version, tc.r.Actor = x.Payment, x.Version, "ana"
			if _, err := s.Resolve(ctx, ent, tc.r); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
			storetest.Check(t, s)
		})
	}
	if got, _ := s.Exception(ctx, ent, x.Payment); got.Version != x.Version || got.Status != store.StatusOpen {
		t.Errorf("refused resolutions changed the exception: %+v", got)
	}
}

func TestResolve_OnAccountAndNotReceivable(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	xs := queued(t, s, storetest.Payment(t, "30.00", "B1", "?"), storetest.Payment(t, "2.50", "B2", "INTEREST"))
	if _, err := s.Resolve(ctx, ent, store.Resolution{Payment: xs[0].Payment, Version: xs[0].Version,
		Action: store.ActionOnAccount, Customer: "C2", Actor: "ana"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, ent, store.Resolution{Payment: xs[1].Payment, Version: xs[1].Version,
		Action: store.ActionNotReceivable, Actor: "ana", Note: "bank interest"}); err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	tot, _ := s.Report(ctx, ent)
	usd := tot.Currencies["USD"]
	if usd.OnAccount.String() != "30.00" || usd.NotReceivable.String() != "2.50" || !usd.Unapplied.IsZero() ||
		tot.Resolved != 2 || tot.OpenExceptions != 0 {
		t.Errorf("totals %+v %+v", tot, *usd)
	}
}

func TestResolve_ConcurrentResolutionsOnlyOneWins(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	xs := queued(t, s, storetest.Payment(t, "75.00", "B1", "?"), storetest.Payment(t, "75.00", "B2", "?"))

	// Eight specialists resolve the same exception at once.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.Resolve(ctx, ent, store.Resolution{Payment: xs[0].Payment, Version: xs[0].Version,
				Action: store.ActionApply, Allocations: []engine.Allocation{{Invoice: "INV-3", Amount: storetest.USD(t, "75.00")}},
				Actor: "specialist"})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("losing resolution: %v, want ErrConflict", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d resolutions of one exception won, want 1", wins)
	}

	// Another exception cannot consume the invoice the first one paid.
	_, err := s.Resolve(ctx, ent, store.Resolution{Payment: xs[1].Payment, Version: xs[1].Version,
		Action: store.ActionApply, Allocations: []engine.Allocation{{Invoice: "INV-3", Amount: storetest.USD(t, "75.00")}},
		Actor: "other"})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("second payment of a paid invoice: %v, want ErrInvalid", err)
	}
	// Naming the invoice version it saw turns that into a conflict.
	_, err = s.Resolve(ctx, ent, store.Resolution{Payment: xs[1].Payment, Version: xs[1].Version,
		Action: store.ActionApply, Allocations: []engine.Allocation{{Invoice: "INV-3", Amount: storetest.USD(t, "75.00")}},
		InvoiceVersions: map[engine.InvoiceID]uint64{"INV-3": 1}, Actor: "other"})
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("resolution on a stale invoice version: %v, want ErrConflict", err)
	}
	storetest.Check(t, s)
}

func TestResolveAll_AppliesTheValidOnesInOneBatch(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	xs := queued(t, s, storetest.Payment(t, "100.00", "B1", "?"), storetest.Payment(t, "100.00", "B2", "?"),
		storetest.Payment(t, "7.00", "B3", "?"))
	apply := func(x store.Exception, inv string) store.Resolution {
		return store.Resolution{Payment: x.Payment, Version: x.Version, Action: store.ActionApply, Actor: "bulk",
			Allocations: []engine.Allocation{{Invoice: engine.InvoiceID(inv), Amount: x.Amount}}}
	}
	// The second consumes what the first consumed: refused, the others apply.
	got, errs, err := s.ResolveAll(ctx, ent, []store.Resolution{apply(xs[0], "INV-1"), apply(xs[1], "INV-1"),
		{Payment: xs[2].Payment, Version: xs[2].Version, Action: store.ActionNotReceivable, Actor: "bulk"}})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || !errors.Is(errs[1], store.ErrInvalid) || errs[2] != nil {
		t.Errorf("errors %v, want only the second refused", errs)
	}
	if got[0].Status != store.StatusResolved || got[2].Status != store.StatusResolved {
		t.Errorf("resolved %+v", got)
	}
	storetest.Check(t, s)
}

func TestUnapply_ReopensInvoiceAndQueuesThePayment(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	ingest(t, s, storetest.NewSource("st1", storetest.Payment(t, "250.00", "B1", "INV-2")))
	app, err := s.Application(ctx, ent, "st1-000001")
	if err != nil || app.Engine.Kind != engine.Auto {
		t.Fatalf("payment not applied: %+v, %v", app, err)
	}
	if _, err := s.Unapply(ctx, ent, store.Unapply{Payment: "st1-000001", Version: app.Version + 1, Actor: "ana"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("unapply on a stale version: %v, want ErrConflict", err)
	}
	after, err := s.Unapply(ctx, ent, store.Unapply{Payment: "st1-000001", Version: app.Version, Actor: "ana",
		Note: "paid INV-2 of another entity"})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	if open := openAmount(t, s, "INV-2"); open != "250.00" {
		t.Errorf("INV-2 open %s after unapply, want 250.00", open)
	}
	if !after.Applied.IsZero() || after.Unapplied.String() != "250.00" || after.Exception == nil ||
		after.Exception.Status != store.StatusOpen || len(after.Entries) != 2 || after.Entries[1].Reverses != after.Entries[0].Seq {
		t.Errorf("after unapply: %+v", after)
	}
	// Nothing is left to reverse.
	if _, err := s.Unapply(ctx, ent, store.Unapply{Payment: "st1-000001", Version: after.Version, Actor: "ana"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("second unapply: %v, want ErrInvalid", err)
	}
	// The payment can be resolved again, to the right invoice.
	x := after.Exception
	if _, err := s.Resolve(ctx, ent, store.Resolution{Payment: x.Payment, Version: x.Version, Action: store.ActionApply,
		Allocations: []engine.Allocation{{Invoice: "INV-1", Amount: storetest.USD(t, "100.00")}},
		OnAccount:   storetest.USD(t, "150.00"), Actor: "ana"}); err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)
	// The ERP export lists the allocation, its reversal and the new one.
	es, err := s.Entries(ctx, ent, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 4 || es[1].Reverses != es[0].Seq || es[2].Invoice != "INV-1" || es[3].Kind != store.EntryOnAccount {
		t.Errorf("export %+v", es)
	}
	since, err := s.EntrySeqAt(ctx, ent, es[2].Time)
	if err != nil || since > es[2].Seq-1 {
		t.Errorf("entries since %v start after %d, %v", es[2].Time, since, err)
	}
}

func TestAssign_IsVersionedAndAudited(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	x := queued(t, s, storetest.Payment(t, "1.00", "B1", "?"))[0]
	got, err := s.Assign(ctx, ent, x.Payment, x.Version, "ana", "lead")
	if err != nil {
		t.Fatal(err)
	}
	if got.Assignee != "ana" || got.Version != x.Version+1 {
		t.Errorf("assigned %+v", got)
	}
	if _, err := s.Assign(ctx, ent, x.Payment, x.Version, "bo", "lead"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("assign on a stale version: %v", err)
	}
	storetest.Check(t, s)
}
