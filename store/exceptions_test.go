package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
	"github.com/shopspring/decimal"
)

// queue builds a store with n exceptions of varied reasons, customers,
// amounts, ages, assignees and statuses, and returns them.
func queue(t *testing.T, n int) (*store.Store, []store.Exception, time.Time) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := now.Add(-time.Duration(n) * time.Hour)
	s := storetest.Open(t, &store.Options{Now: func() time.Time { return clock }})
	rng := rand.New(rand.NewPCG(7, 7))
	var invs []engine.Invoice
	for i := range 4 {
		invs = append(invs, storetest.Invoice(t, fmt.Sprintf("INV-%d", i), fmt.Sprintf("C%d", i), "100000.00"))
	}
	if _, err := s.ImportInvoices(ctx, ent, invs, "tester"); err != nil {
		t.Fatal(err)
	}
	var ps []engine.Payment
	for i := range n {
		cents := 100 + rng.Int64N(500000)
		ps = append(ps, engine.Payment{Amount: engine.FromMinor(cents, "USD"), BankRef: fmt.Sprintf("B%d", i)})
	}
	if _, err := s.Receive(ctx, ent, storetest.NewSource("st", ps...)); err != nil {
		t.Fatal(err)
	}
	reasons := []engine.Reason{engine.UnidentifiedPayer, engine.AmountMismatch, engine.Ambiguous, engine.LowConfidence}
	pending, err := s.Pending(ctx, ent, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pending {
		clock = clock.Add(time.Hour)
		d := engine.Decision{Payment: p.ID, Kind: engine.Exception, Exception: reasons[rng.IntN(len(reasons))],
			OnAccount: engine.Zero("USD"), Unapplied: p.Amount, Reasons: []string{"test"}}
		if rng.IntN(3) > 0 {
			d.Customer = engine.CustomerID(fmt.Sprintf("C%d", rng.IntN(4)))
		}
		if err := s.Commit(ctx, engine.Batch{Entity: ent, Payments: []engine.Payment{p}, Decisions: []engine.Decision{d}}); err != nil {
			t.Fatal(err)
		}
	}
	// Assign some, resolve some.
	page, err := s.Exceptions(ctx, ent, store.ExceptionFilter{Limit: store.MaxPage})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range page.Exceptions {
		switch rng.IntN(4) {
		case 0:
			if _, err := s.Assign(ctx, ent, x.Payment, x.Version, []string{"ana", "bo"}[rng.IntN(2)], "lead"); err != nil {
				t.Fatal(err)
			}
		case 1:
			if _, err := s.Resolve(ctx, ent, store.Resolution{Payment: x.Payment, Version: x.Version,
				Action: store.ActionNotReceivable, Actor: "ana"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	clock = now
	storetest.Check(t, s)
	var all []store.Exception
	for _, p := range pending {
		x, err := s.Exception(ctx, ent, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, x)
	}
	return s, all, now
}

// want lists what a filter selects from all, in its order, by brute force.
func want(all []store.Exception, f store.ExceptionFilter, now time.Time) []engine.PaymentID {
	var sel []store.Exception
	for _, x := range all {
		switch {
		case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, x.Status),
			f.Reason != engine.NoReason && x.Reason != f.Reason,
			f.Customer != "" && x.Customer != f.Customer,
			f.Assignee != "" && x.Assignee != f.Assignee,
			f.Unassigned && x.Assignee != "",
			f.MinAmount.Valid && x.Amount.Value.LessThan(f.MinAmount.Decimal),
			f.MaxAmount.Valid && x.Amount.Value.GreaterThan(f.MaxAmount.Decimal),
			f.MinAge > 0 && now.Sub(x.Created) < f.MinAge,
			f.MaxAge > 0 && now.Sub(x.Created) > f.MaxAge:
			continue
		}
		sel = append(sel, x)
	}
	slices.SortStableFunc(sel, func(a, b store.Exception) int {
		c := a.Created.Compare(b.Created)
		if f.Sort == store.SortAmount {
			c = a.Amount.Value.Cmp(b.Amount.Value)
		}
		if c == 0 {
			c = int(a.Seq) - int(b.Seq)
		}
		if f.Desc {
			c = -c
		}
		return c
	})
	var ids []engine.PaymentID
	for _, x := range sel {
		ids = append(ids, x.Payment)
	}
	return ids
}

func TestExceptions_FiltersSortsAndPagesLikeBruteForce(t *testing.T) {
	ctx := context.Background()
	s, all, now := queue(t, 120)
	amount := func(v string) decimal.NullDecimal {
		return decimal.NullDecimal{Decimal: decimal.RequireFromString(v), Valid: true}
	}
	for _, f := range []store.ExceptionFilter{
		{},
		{Desc: true},
		{Sort: store.SortAmount},
		{Sort: store.SortAmount, Desc: true},
		{Statuses: []store.ExceptionStatus{store.StatusOpen}},
		{Statuses: []store.ExceptionStatus{store.StatusResolved}, Sort: store.SortAmount},
		{Reason: engine.AmountMismatch},
		{Reason: engine.Ambiguous, Sort: store.SortAmount, Desc: true},
		{Customer: "C2"},
		{Customer: "C1", Sort: store.SortAmount},
		{Customer: "C3", Sort: store.SortAmount, Desc: true, Statuses: []store.ExceptionStatus{store.StatusOpen}},
		{Assignee: "ana"},
		{Unassigned: true, Sort: store.SortAmount},
		{MinAmount: amount("1000"), MaxAmount: amount("3000")},
		{MinAmount: amount("1000"), MaxAmount: amount("3000"), Sort: store.SortAmount, Desc: true},
		{MinAge: 30 * time.Hour, MaxAge: 90 * time.Hour},
		{MinAge: 30 * time.Hour, Sort: store.SortAmount, Reason: engine.LowConfidence},
		{Customer: "C0", MaxAge: 60 * time.Hour, MinAmount: amount("500")},
	} {
		for _, limit := range []int{1, 7, 1000} {
			f.Limit, f.Cursor = limit, ""
			t.Run(fmt.Sprintf("%+v", f), func(t *testing.T) {
				var got []engine.PaymentID
				for pages := 0; ; pages++ {
					page, err := s.Exceptions(ctx, ent, f)
					if err != nil {
						t.Fatal(err)
					}
					if len(page.Exceptions) > limit {
						t.Fatalf("page of %d, limit %d", len(page.Exceptions), limit)
					}
					for _, x := range page.Exceptions {
						got = append(got, x.Payment)
					}
					if page.Next == "" || pages > 200 {
						break
					}
					f.Cursor = page.Next
				}
				if w := want(all, f, now); !slices.Equal(got, w) {
					t.Errorf("got %v\nwant %v", got, w)
				}
			})
		}
	}
	if _, err := s.Exceptions(ctx, ent, store.ExceptionFilter{Cursor: "garbage"}); err == nil {
		t.Error("a garbage cursor was accepted")
	}
}
