package ach

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
	moov "github.com/moov-io/ach"
)

// benchEntries and benchBatch shape the benchmark file: CTX entries of
// three addenda each, carrying an 820 with two invoices.
const (
	benchEntries = 100_000
	benchBatch   = 1_000
)

func benchFile(b *testing.B) []byte {
	b.Helper()
	f := newTestFile(b)
	for i := 0; i < benchEntries; i++ {
		if i%benchBatch == 0 {
			f.batch("CTX", "ACME INDUSTRIAL", "1234567890")
		}
		x12 := fmt.Sprintf("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *260317*1200*U*00401*%09d*0*P*>~"+
			"ST*820*0001~BPR*C*1000.00*C*ACH*CTX~TRN*1*R%07d~RMR*IV*INV%07d**600.00~RMR*IV*INV%07d**400.00~SE*6*0001~",
			i, i, 2*i, 2*i+1)
		addenda := f.addenda05(x12)
		if len(addenda) != 3 {
			b.Fatalf("%d addenda, want 3", len(addenda))
		}
		f.entry(22, 100000, fmt.Sprintf("R%07d", i), "CASHMATCH DEMO", addenda...)
	}
	return f.bytes()
}

// BenchmarkRead reads 100,000 CTX entries of three addenda each, 820
// parsing included, and reports entries/s; moov-io/ach's reader and
// iterator read the same bytes for comparison.
func BenchmarkRead(b *testing.B) {
	data := benchFile(b)
	run := func(b *testing.B, read func() int) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		cpu0, cpuOK := cpuTime()
		for b.Loop() {
			if n := read(); n != benchEntries {
				b.Fatalf("%d entries, want %d", n, benchEntries)
			}
		}
		entries := float64(benchEntries) * float64(b.N)
		b.ReportMetric(entries/b.Elapsed().Seconds(), "entries/s")
		// CPU time per entry, all threads: a measure that a busy machine
		// distorts less than the wall clock.
		if cpu1, ok := cpuTime(); ok && cpuOK {
			b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/entries, "cpu-ns/entry")
		}
	}
	for _, strict := range []bool{false, true} {
		name := "cashmatch"
		if strict {
			name += "-strict"
		}
		b.Run(name, func(b *testing.B) {
			run(b, func() int {
				r := NewReader(bytes.NewReader(data), &parsers.Options{Name: "bench.ach", Strict: strict})
				n := 0
				for {
					p, err := r.Next()
					if err == io.EOF {
						return n
					}
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Remittance.References) != 2 || len(p.Warnings) != 0 {
						b.Fatalf("payment %d: %d references, warnings %q", n, len(p.Remittance.References), p.Warnings)
					}
					n++
				}
			})
		})
	}
	b.Run("rules", func(b *testing.B) {
		// The NACHA rule checks alone, as the reader runs them beside the
		// reading: moov-io/ach assembles and validates each batch.
		batches := splitBatches(b, data)
		var p pool
		run(b, func() int {
			n := 0
			for _, recs := range batches {
				if errs := validateBatch(recs, false, &p); len(errs) != 0 {
					b.Fatal(errs)
				}
				n += (len(recs) - 2) / 4
			}
			return n
		})
	})
	b.Run("moov-reader", func(b *testing.B) {
		run(b, func() int {
			f, err := moov.NewReader(bytes.NewReader(data)).Read()
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, batch := range f.Batches {
				n += len(batch.GetEntries())
			}
			return n
		})
	})
	b.Run("moov-iterator", func(b *testing.B) {
		// The iterator returns an entry once per addenda read (a known
		// shortcoming for entries with several addenda), so distinct trace
		// numbers are counted.
		run(b, func() int {
			it := moov.NewIterator(bytes.NewReader(data))
			n, last := 0, ""
			for {
				_, e, err := it.NextEntry()
				if err != nil {
					b.Fatal(err)
				}
				if e == nil {
					return n
				}
				if e.TraceNumber != last {
					n, last = n+1, e.TraceNumber
				}
			}
		})
	})
}

// splitBatches returns the records of each batch of a NACHA file, header
// to control.
func splitBatches(tb testing.TB, data []byte) [][]string {
	tb.Helper()
	var batches [][]string
	var open []string
	sc := newScanner(bytes.NewReader(data))
	for {
		rec, err := sc.next()
		if err == io.EOF {
			return batches
		}
		if err != nil {
			tb.Fatal(err)
		}
		switch rec.typeCode() {
		case '5':
			open = []string{string(rec.b)}
		case '6', '7':
			open = append(open, string(rec.b))
		case '8':
			batches = append(batches, append(open, string(rec.b)))
		}
	}
}
