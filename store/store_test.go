package store

import (
	"context"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
)

func amount(t *testing.T, s string) engine.Amount {
	t.Helper()
	a, err := engine.ParseAmount(s, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStore_CommitReducesOpenAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ent := engine.DefaultEntity
	if err := s.PutInvoices(ctx, ent, []engine.Invoice{
		{ID: "INV-1", Customer: "C1", Amount: amount(t, "100.00"), Open: amount(t, "100.00")},
	}); err != nil {
		t.Fatal(err)
	}
	p := engine.Payment{ID: "p1", Amount: amount(t, "60.00")}
	d := engine.Decision{Payment: "p1", Kind: engine.Auto,
		Allocations: []engine.Allocation{{Invoice: "INV-1", Amount: amount(t, "60.00")}}}
	b := engine.Batch{Entity: ent, Statement: engine.Statement{ID: "abc"},
		Payments: []engine.Payment{p}, Decisions: []engine.Decision{d}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, b); err != engine.ErrDuplicateStatement {
		t.Fatalf("second commit: %v, want ErrDuplicateStatement", err)
	}
	book, err := s.Book(ctx, ent)
	if err != nil {
		t.Fatal(err)
	}
	inv, ok := book.Invoice("INV-1")
	if !ok || inv.Open.String() != "40.00" {
		t.Errorf("open after one commit = %s, want 40.00", inv.Open)
	}
}
