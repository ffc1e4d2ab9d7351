package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// Dump returns the state of an entity as text, in a canonical order and
// without times: two stores that went through the same changes dump alike.
func Dump(t testing.TB, s *store.Store, entity engine.EntityID) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	fail := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
	}
	cur, err := s.Cursors(ctx, entity)
	fail(err)
	fmt.Fprintf(&b, "cursors %+v\n", cur)
	tot, err := s.Report(ctx, entity)
	fail(err)
	fmt.Fprintf(&b, "totals invoices=%d payments=%d pending=%d auto=%d suggested=%d exceptions=%d skipped=%d open=%d resolved=%d by_reason=%v\n",
		tot.Invoices, tot.Payments, tot.Pending, tot.Auto, tot.Suggested, tot.Exceptions, tot.Skipped,
		tot.OpenExceptions, tot.Resolved, tot.OpenByReason)
	for _, c := range tot.CurrencyList() {
		fmt.Fprintf(&b, "totals %s %+v\n", c, *tot.Currencies[c])
	}

	sts, err := s.StatementPage(ctx, entity, 0, store.MaxPage)
	fail(err)
	for _, st := range sts {
		fmt.Fprintf(&b, "statement %d %s %s read=%d new=%d repeated=%d seqs=%d-%d complete=%v warnings=%q summary=%+v\n",
			st.Seq, st.ID, st.Source, st.Payments, st.New, st.Repeated, st.FirstSeq, st.LastSeq, st.Complete,
			st.Warnings, st.Summary)
	}

	for after := uint64(0); ; {
		ps, err := s.Payments(ctx, entity, after, store.MaxPage)
		fail(err)
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			a, err := s.Application(ctx, entity, p.ID)
			fail(err)
			d := a.Engine
			fmt.Fprintf(&b, "payment %d %s %s %s decided=%v kind=%s customer=%s reason=%s confidence=%s reasons=%q allocations=%v adjustments=%v",
				p.Seq, p.ID, p.Amount, p.BankRef, a.Decided, d.Kind, d.Customer, d.Exception, d.Confidence,
				d.Reasons, d.Allocations, d.Adjustments)
			fmt.Fprintf(&b, " applied=%s on_account=%s not_receivable=%s unapplied=%s version=%d entries=",
				a.Applied, a.OnAccount, a.NotReceivable, a.Unapplied, a.Version)
			for _, en := range a.Entries {
				fmt.Fprintf(&b, "%d,", en.Seq)
			}
			if x := a.Exception; x != nil {
				fmt.Fprintf(&b, " exception status=%s reason=%s amount=%s assignee=%q version=%d suggestions=%d",
					x.Status, x.Reason, x.Amount, x.Assignee, x.Version, len(x.Suggestions))
			}
			b.WriteByte('\n')
		}
		after = ps[len(ps)-1].Seq
	}

	for after := uint64(0); ; {
		es, err := s.Entries(ctx, entity, after, 10000)
		fail(err)
		if len(es) == 0 {
			break
		}
		for _, en := range es {
			fmt.Fprintf(&b, "entry %d %s payment=%d invoice=%s customer=%s %s reverses=%d audit=%d\n",
				en.Seq, en.Kind, en.PaymentSeq, en.Invoice, en.Customer, en.Amount, en.Reverses, en.Audit)
		}
		after = es[len(es)-1].Seq
	}

	for after := engine.InvoiceID(""); ; {
		invs, err := s.Invoices(ctx, entity, store.InvoiceFilter{After: after, Limit: store.MaxPage})
		fail(err)
		if len(invs) == 0 {
			break
		}
		for _, inv := range invs {
			fmt.Fprintf(&b, "invoice %s %s amount=%s opening=%s open=%s version=%d\n",
				inv.ID, inv.Customer, inv.Amount, inv.Opening, inv.Open, inv.Version)
		}
		after = invs[len(invs)-1].ID
	}

	for after := uint64(0); ; {
		as, err := s.AuditLog(ctx, entity, after, 1000)
		fail(err)
		if len(as) == 0 {
			break
		}
		for _, a := range as {
			fmt.Fprintf(&b, "audit %d %s %s payments=%d-%d payment=%s entries=%d invoices=%d note=%q\n",
				a.Seq, a.Action, a.Actor, a.FirstSeq, a.LastSeq, a.Payment, len(a.Entries), len(a.Invoices), a.Note)
		}
		after = as[len(as)-1].Seq
	}
	return b.String()
}
