// Package storetest holds what tests of the store and of its users share: an
// opener of throwaway stores, the invariant checker every test calls after
// each operation, and small builders of invoices and statements.
package storetest

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// Open opens a store in a fresh temporary folder, closed (and checked) when
// the test ends.
func Open(t testing.TB, opts *store.Options) *store.Store {
	t.Helper()
	return OpenDir(t, t.TempDir(), opts)
}

// OpenDir opens the store in dir, closed (and checked) when the test ends.
func OpenDir(t testing.TB, dir string, opts *store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		Check(t, s)
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// Check fails the test when the store breaks one of its invariants, listing
// every problem found.
func Check(t testing.TB, s *store.Store) {
	t.Helper()
	problems, err := s.Check(context.Background())
	if err != nil {
		t.Fatalf("check store: %v", err)
	}
	for _, p := range problems {
		t.Errorf("invariant broken: %s", p)
	}
	if len(problems) > 0 {
		t.FailNow()
	}
}

// Amount parses an amount in currency c or fails the test.
func Amount(t testing.TB, s string, c engine.Currency) engine.Amount {
	t.Helper()
	a, err := engine.ParseAmount(s, c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// USD parses an amount in US dollars or fails the test.
func USD(t testing.TB, s string) engine.Amount {
	t.Helper()
	return Amount(t, s, "USD")
}

// Invoice returns an open invoice of a customer for amount (USD), fully open.
func Invoice(t testing.TB, id, customer, amount string) engine.Invoice {
	t.Helper()
	a := USD(t, amount)
	return engine.Invoice{ID: engine.InvoiceID(id), Customer: engine.CustomerID(customer),
		CustomerName: "Customer " + customer, Amount: a, Open: a,
		IssueDate: engine.Date{Year: 2026, Month: 10, Day: 1}, DueDate: engine.Date{Year: 2026, Month: 10, Day: 31}}
}

// Source is a statement held in memory, as a bank-file reader would stream
// it. Err, when set, is returned after the payments, refusing the statement.
type Source struct {
	St       engine.Statement
	Payments []engine.Payment
	Err      error
	next     int
}

// NewSource returns a statement named id of the given payments; each gets
// the statement's ID and, if it has none, an ID made of the statement's and
// its position.
func NewSource(id string, ps ...engine.Payment) *Source {
	src := &Source{St: engine.Statement{ID: engine.StatementID(id), Source: id + ".bai2", Format: engine.FormatBAI2}}
	for i, p := range ps {
		p.Statement = src.St.ID
		if p.ID == "" {
			p.ID = engine.PaymentID(fmt.Sprintf("%s-%06d", id, i+1))
		}
		if p.Source == "" {
			p.Source = fmt.Sprintf("%s.bai2:%d", id, i+1)
		}
		src.Payments = append(src.Payments, p)
	}
	return src
}

// Next returns the next payment, then Err or io.EOF.
func (s *Source) Next() (engine.Payment, error) {
	if s.next < len(s.Payments) {
		s.next++
		s.St.Payments++
		return s.Payments[s.next-1], nil
	}
	if s.Err != nil {
		return engine.Payment{}, s.Err
	}
	return engine.Payment{}, io.EOF
}

// Statement describes the statement.
func (s *Source) Statement() engine.Statement { return s.St }

// Payment returns a booked credit of amount (USD) with a bank reference and
// remittance text.
func Payment(t testing.TB, amount, bankRef, remittance string) engine.Payment {
	t.Helper()
	return engine.Payment{Account: "9876543210", Amount: USD(t, amount), Direction: engine.Credit,
		Status: engine.Booked, ValueDate: engine.Date{Year: 2026, Month: 11, Day: 3},
		BookingDate: engine.Date{Year: 2026, Month: 11, Day: 3}, TypeCode: "165", BankRef: bankRef,
		PayerName: "PAYER " + bankRef, PayerAccount: "ACCT-" + bankRef,
		Remittance: engine.Remittance{Lines: []string{remittance}}}
}
