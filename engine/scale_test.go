package engine

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestDecideAll_SameForAnyNumberOfWorkers decides the same generated
// payments with one, two and five workers and requires identical
// decisions, and money conserved in each run.
func TestDecideAll_SameForAnyNumberOfWorkers(t *testing.T) {
	var first []string
	for _, workers := range []int{1, 2, 5} {
		w := newSynthWorld(7, 300, 6000)
		book := w.book()
		var got []string
		for day := range 3 {
			ps := w.payments(1500, Date{2026, 11, 2 + day})
			for _, d := range decideChecked(t, book, &Options{Workers: workers}, ps) {
				got = append(got, fmt.Sprintf("%+v", d))
			}
		}
		if first == nil {
			first = got
			continue
		}
		if !slices.Equal(got, first) {
			for i := range got {
				if got[i] != first[i] {
					t.Fatalf("%d workers decide payment %d differently:\n%s\nwant\n%s", workers, i, got[i], first[i])
				}
			}
		}
	}
}

// TestDecideAll_GeneratedWorld checks the kinds of decision on generated
// payments: most are applied, none is applied twice (the checker), and the
// payments of strangers and interest never are.
func TestDecideAll_GeneratedWorld(t *testing.T) {
	w := newSynthWorld(11, 500, 10000)
	book := w.book()
	ps := w.payments(5000, Date{2026, 11, 3})
	ds := decideChecked(t, book, nil, ps)
	auto := 0
	for i, d := range ds {
		if d.Kind == Auto {
			auto++
			if ps[i].TypeCode == "354" || ps[i].Remittance.Text() == "THANK YOU" {
				t.Errorf("payment %s of a stranger or interest applied: %+v", ps[i].ID, d)
			}
		}
	}
	if auto < len(ps)*80/100 {
		t.Errorf("%d of %d generated payments applied, want at least 80%%", auto, len(ps))
	}
}

// BenchmarkDecide matches generated payments against generated open items
// in memory, in batches of 10,000 as statements bring them, and reports
// payments/s, the CPU time per payment (which, unlike wall time, a shared
// machine does not distort), the heap that the book and the matcher's
// indexes take per open item, and the share applied automatically. The
// 1M x 1M case runs only with CASHMATCH_BENCH_LARGE=1, any other size with
// CASHMATCH_BENCH_SIZE=PAYMENTSxINVOICESxCUSTOMERS:
//
//	CASHMATCH_BENCH_LARGE=1 go test ./engine -run '^$' -bench Decide -benchtime 1x
func BenchmarkDecide(b *testing.B) {
	type size struct{ payments, invoices, customers int }
	sizes := []size{{100_000, 100_000, 5_000}}
	if os.Getenv("CASHMATCH_BENCH_LARGE") != "" {
		sizes = append(sizes, size{1_000_000, 1_000_000, 50_000})
	}
	if s := os.Getenv("CASHMATCH_BENCH_SIZE"); s != "" {
		var z size
		if _, err := fmt.Sscanf(s, "%dx%dx%d", &z.payments, &z.invoices, &z.customers); err != nil {
			b.Fatalf("CASHMATCH_BENCH_SIZE=%q: want PAYMENTSxINVOICESxCUSTOMERS", s)
		}
		sizes = []size{z}
	}
	for _, sz := range sizes {
		b.Run(fmt.Sprintf("payments=%d/invoices=%d/customers=%d", sz.payments, sz.invoices, sz.customers), func(b *testing.B) {
			benchmarkDecide(b, sz.payments, sz.invoices, sz.customers)
		})
	}
}

func benchmarkDecide(b *testing.B, payments, invoices, customers int) {
	const batch = 10_000
	var decided, auto int
	var heapPerItem, buildSeconds, buildCPU float64
	var cpu time.Duration
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		w := newSynthWorld(42, customers, invoices)
		base := heapInUse()
		book := w.book()
		start, cpu0 := time.Now(), processCPU()
		m, err := NewMatcher(book, nil)
		if err != nil {
			b.Fatal(err)
		}
		buildSeconds, buildCPU = time.Since(start).Seconds(), (processCPU() - cpu0).Seconds()
		heapPerItem = float64(heapInUse()-base) / float64(invoices)
		for done := 0; done < payments; done += batch {
			ps := w.payments(min(batch, payments-done), Date{2026, 11, 2}.AddDays(done/batch))
			cpu0 := processCPU()
			b.StartTimer()
			ds, err := m.DecideAll(context.Background(), ps)
			b.StopTimer()
			cpu += processCPU() - cpu0
			if err != nil {
				b.Fatal(err)
			}
			decided += len(ds)
			for _, d := range ds {
				if d.Kind == Auto {
					auto++
				}
			}
		}
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(decided)/b.Elapsed().Seconds(), "payments/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(decided), "cpu-µs/payment")
	b.ReportMetric(heapPerItem, "heap-B/item")
	b.ReportMetric(buildSeconds, "matcher-build-s")
	b.ReportMetric(buildCPU, "matcher-build-cpu-s")
	b.ReportMetric(100*float64(auto)/float64(decided), "auto-%")
}

// processCPU returns the CPU time the process has used, user and system:
// on a shared machine it measures the work done, which wall time does not.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapInUse returns the bytes of live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
