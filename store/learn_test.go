package store_test

import (
	"context"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
)

// TestLearn_ResolutionTeachesTheEngineThePayer resolves a payment of an
// unknown payer; the next payment from the same account is identified.
func TestLearn_ResolutionTeachesTheEngineThePayer(t *testing.T) {
	ctx := context.Background()
	s := setup(t)
	unknown := func(amount, ref string) engine.Payment {
		p := storetest.Payment(t, amount, ref, "")
		p.Remittance = engine.Remittance{}
		p.PayerName, p.PayerAccount = "ZZ TRADING GMBH", "DE02120300000000202051"
		return p
	}
	first := ingest(t, s, storetest.NewSource("st1", unknown("123.45", "B1")))
	if first.Summary.Auto != 0 {
		t.Fatalf("an unknown payer was applied: %+v", first.Summary)
	}
	x, err := s.Exception(ctx, ent, "st1-000001")
	if err != nil {
		t.Fatal(err)
	}
	if x.Customer != "" {
		t.Fatalf("first payment identified as %s before anything was learned", x.Customer)
	}
	if _, err := s.Resolve(ctx, ent, store.Resolution{Payment: x.Payment, Version: x.Version, Action: store.ActionApply,
		Allocations: []engine.Allocation{{Invoice: "INV-1", Amount: storetest.USD(t, "100.00")}},
		OnAccount:   storetest.USD(t, "23.45"), Actor: "ana"}); err != nil {
		t.Fatal(err)
	}
	storetest.Check(t, s)

	ingest(t, s, storetest.NewSource("st2", unknown("250.00", "B2")))
	app, err := s.Application(ctx, ent, "st2-000001")
	if err != nil {
		t.Fatal(err)
	}
	if app.Engine.Customer != "C1" {
		t.Errorf("second payment from the learned account: customer %q, want C1 (decision %+v)", app.Engine.Customer, app.Engine)
	}
}

func TestMetrics_CountWritesAndReadPebble(t *testing.T) {
	s := setup(t)
	ingest(t, s, storetest.NewSource("st1", storetest.Payment(t, "100.00", "B1", "INV-1")))
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(s.Collector()); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(mfs) != 11 {
		t.Errorf("%d metrics, want 11", len(mfs))
	}
	for name, min := range map[string]float64{
		"cashmatch_store_write_batches_total":     3, // import, receive, commit
		"cashmatch_store_payments_decided_total":  1,
		"cashmatch_store_payments_stored_total":   1,
		"cashmatch_store_write_bytes_total":       100,
		"cashmatch_store_wal_bytes_written_total": 100,
	} {
		got := gathered(t, reg, name)
		if got < min {
			t.Errorf("%s = %v, want at least %v", name, got, min)
		}
	}
}

func gathered(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			m := mf.GetMetric()[0]
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
