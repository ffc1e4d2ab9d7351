package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/cashmatch/cashmatch/store/storetest"
)

// benchSizes returns the sizes a benchmark runs: small ones always, the
// large one when CASHMATCH_BENCH_LARGE is set.
func benchSizes(small []int, large int) []int {
	if os.Getenv("CASHMATCH_BENCH_LARGE") != "" {
		return append(small, large)
	}
	return small
}

func sizeName(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return strconv.Itoa(n/1000000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// benchInvoices returns n invoices of n/20 customers, 100.00 to 1099.00 USD.
func benchInvoices(n int) []engine.Invoice { return benchInvoicesFrom(0, n) }

// benchInvoicesFrom returns the invoices numbered from first to first+n-1.
func benchInvoicesFrom(first, n int) []engine.Invoice {
	invs := make([]engine.Invoice, n)
	for k := range invs {
		i := first + k
		a := engine.FromMinor(int64(10000+(i%1000)*100), "USD")
		invs[k] = engine.Invoice{ID: engine.InvoiceID(fmt.Sprintf("INV-%08d", i)),
			Customer: engine.CustomerID(fmt.Sprintf("C%06d", i/20)), CustomerName: fmt.Sprintf("Customer %d", i/20),
			Amount: a, Open: a, IssueDate: engine.Date{Year: 2026, Month: 10, Day: 1},
			DueDate: engine.Date{Year: 2026, Month: 10, Day: 31}}
	}
	return invs
}

// benchStatement returns a statement of n payments, the i-th paying invoice
// i in full, and the decisions the engine would make: nine in ten applied,
// the tenth an exception with one suggestion.
func benchStatement(invs []engine.Invoice, n int) (*storetest.Source, []engine.Decision) {
	ps := make([]engine.Payment, n)
	ds := make([]engine.Decision, n)
	for i := range ps {
		inv := invs[i%len(invs)]
		ps[i] = engine.Payment{ID: engine.PaymentID(fmt.Sprintf("P%08d", i)), Account: "9876543210",
			Amount: inv.Amount, Direction: engine.Credit, ValueDate: engine.Date{Year: 2026, Month: 11, Day: 3},
			TypeCode: "165", BankRef: fmt.Sprintf("B%08d", i), PayerName: inv.CustomerName,
			Remittance: engine.Remittance{Lines: []string{"INV " + string(inv.ID)}}}
		z := engine.Zero("USD")
		if i%10 == 9 {
			ds[i] = engine.Decision{Payment: ps[i].ID, Kind: engine.Exception, Exception: engine.LowConfidence,
				OnAccount: z, Unapplied: inv.Amount, Confidence: 500, Reasons: []string{"payer name similar"},
				Suggestions: []engine.Suggestion{{Customer: inv.Customer, Confidence: 500, OnAccount: z,
					Allocations: []engine.Allocation{{Invoice: inv.ID, Amount: inv.Amount}}}}}
			continue
		}
		ds[i] = engine.Decision{Payment: ps[i].ID, Kind: engine.Auto, Customer: inv.Customer, OnAccount: z,
			Unapplied: z, Confidence: 990, Reasons: []string{"invoice found in remittance", "amount equals the open amount"},
			Allocations: []engine.Allocation{{Invoice: inv.ID, Amount: inv.Amount}}}
	}
	return storetest.NewSource("bench", ps...), ds
}

// BenchmarkCommit persists the decisions of a statement, with their ledger
// entries, invoice updates, exceptions and audit records, in synced batches
// of engine.DefaultCommitSize, as Ingest does. The invoices and the
// statement are stored beforehand and compacted, untimed: the timed part
// pays for its own writes only (and leaves some compaction of them for
// later, as a real ingest does).
func BenchmarkCommit(b *testing.B) {
	for _, n := range benchSizes([]int{100000}, 1000000) {
		b.Run("payments="+sizeName(n), func(b *testing.B) {
			ctx := context.Background()
			invs := benchInvoices(n)
			var cpus time.Duration
			for b.Loop() {
				b.StopTimer()
				s, err := store.Open(b.TempDir(), nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.ImportInvoices(ctx, ent, invs, "bench"); err != nil {
					b.Fatal(err)
				}
				src, ds := benchStatement(invs, n)
				if _, err := s.Receive(ctx, ent, src); err != nil {
					b.Fatal(err)
				}
				if err := store.Settle(s); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				cpu := cpuTime()
				commitPipelined(b, s, ds)
				cpus += cpuTime() - cpu
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
			b.ReportMetric(float64(cpus.Microseconds())/float64(n*b.N), "cpu-µs/payment")
		})
	}
}

// commitPipelined commits the decisions of every pending payment in batches
// of engine.DefaultCommitSize, reading the next batch while the one before
// is committed, as engine.DecidePending does.
func commitPipelined(b *testing.B, s *store.Store, ds []engine.Decision) {
	ctx := context.Background()
	batches := make(chan engine.Batch, 1)
	errc := make(chan error, 1)
	go func() {
		var err error
		for batch := range batches {
			if err == nil {
				err = s.Commit(ctx, batch)
			}
		}
		errc <- err
	}()
	after, done := uint64(0), 0
	for done < len(ds) {
		ps, err := s.Pending(ctx, ent, after, engine.DefaultCommitSize)
		if err != nil {
			b.Fatal(err)
		}
		batches <- engine.Batch{Entity: ent, Payments: ps, Decisions: ds[done : done+len(ps)]}
		done += len(ps)
		after = ps[len(ps)-1].Seq
	}
	close(batches)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReceive stores a statement's payments, as Ingest does before it
// decides them.
func BenchmarkReceive(b *testing.B) {
	for _, n := range benchSizes([]int{100000}, 1000000) {
		b.Run("payments="+sizeName(n), func(b *testing.B) {
			ctx := context.Background()
			invs := benchInvoices(1000)
			for b.Loop() {
				b.StopTimer()
				s, err := store.Open(b.TempDir(), nil)
				if err != nil {
					b.Fatal(err)
				}
				src, _ := benchStatement(invs, n)
				b.StartTimer()
				if _, err := s.Receive(ctx, ent, src); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
		})
	}
}

// BenchmarkOpen opens a closed store holding many invoices: Open reads no
// records, so its time does not grow with the store.
func BenchmarkOpen(b *testing.B) {
	for _, n := range benchSizes([]int{100000, 1000000}, 10000000) {
		b.Run("invoices="+sizeName(n), func(b *testing.B) {
			dir := b.TempDir()
			s, err := store.Open(dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			for chunk := 0; chunk < n; chunk += 1000000 {
				if _, err := s.ImportInvoices(context.Background(), ent, benchInvoicesFrom(chunk, min(1000000, n-chunk)), "bench"); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("imported %d invoices in %s", n, time.Since(start).Round(time.Millisecond))
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				s, err := store.Open(dir, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
		})
	}
}

// cpuTime returns the CPU time the process used so far, all threads: the
// machine is shared, so wall time alone says little.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
