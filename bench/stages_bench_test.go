package bench

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/store"
)

// The stage benchmarks run on the shared generated set (see generated) and
// report payments per second, so that `go test -bench . -count 10` runs
// compare with benchstat.

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	payments := 0
	for b.Loop() {
		h, err := Generate(context.Background(), GenConfig{Seed: 11, Customers: 500, Invoices: 10_000,
			Payments: 5000, Out: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		payments += h.Set.Payments
	}
	b.ReportMetric(float64(payments)/b.Elapsed().Seconds(), "payments/s")
}

// BenchmarkParse reads each format's files with the project's reader and
// with the library for the format.
func BenchmarkParse(b *testing.B) {
	dir, h := generated(b)
	for _, f := range []engine.Format{engine.FormatBAI2, engine.FormatCamt053, engine.FormatACH} {
		var files []SetFile
		var size int64
		for _, sf := range h.Files {
			if sf.Format == f {
				files = append(files, sf)
				size += sf.Bytes
			}
		}
		b.Run(string(f)+"/cashmatch", func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, sf := range files {
					if _, err := readWithProject(filepath.Join(dir, sf.Name), func(engine.Payment) { n++ }); err != nil {
						b.Skip(err)
					}
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "payments/s")
		})
		b.Run(string(f)+"/"+libraryReaders[f], func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, sf := range files {
					got, err := readWithLibrary(filepath.Join(dir, sf.Name), f)
					if err != nil {
						b.Fatal(err)
					}
					n += got
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "payments/s")
		})
	}
}

// statements reads every file of the shared set that the project reads.
func statements(b *testing.B) ([]engine.Statement, [][]engine.Payment) {
	dir, h := generated(b)
	var sts []engine.Statement
	var ps [][]engine.Payment
	for _, sf := range h.Files {
		st, p, err := bankfile.ReadAll(filepath.Join(dir, sf.Name), nil)
		if err != nil {
			continue
		}
		sts = append(sts, st)
		ps = append(ps, p)
	}
	if len(ps) == 0 {
		b.Skip("the project reads none of the set's files")
	}
	return sts, ps
}

// BenchmarkMatch decides every readable payment of the set against a fresh
// book of its open items.
func BenchmarkMatch(b *testing.B) {
	dir, _ := generated(b)
	invs, err := readInvoices(dir)
	if err != nil {
		b.Fatal(err)
	}
	_, files := statements(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		m, err := engine.NewMatcher(engine.NewBook(invs, nil), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, ps := range files {
			for _, p := range ps {
				m.Decide(p)
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "payments/s")
}

// BenchmarkPersist commits the decisions of every readable statement of the
// set, one synced batch per statement, into a fresh store that received the
// statements beforehand (untimed).
func BenchmarkPersist(b *testing.B) {
	dir, _ := generated(b)
	invs, err := readInvoices(dir)
	if err != nil {
		b.Fatal(err)
	}
	sts, files := statements(b)
	m, err := engine.NewMatcher(engine.NewBook(invs, nil), nil)
	if err != nil {
		b.Fatal(err)
	}
	decided := make([][]engine.Decision, len(files))
	for i, ps := range files {
		for _, p := range ps {
			decided[i] = append(decided[i], m.Decide(p))
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.PutInvoices(ctx, engine.DefaultEntity, invs); err != nil {
			b.Fatal(err)
		}
		for i, ps := range files {
			if _, err := st.Receive(ctx, engine.DefaultEntity, &memSource{st: sts[i], ps: ps}); err != nil {
				b.Fatal(err)
			}
			stored, err := st.Pending(ctx, engine.DefaultEntity, 0, len(ps))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			batch := engine.Batch{Entity: engine.DefaultEntity, Payments: stored, Decisions: decided[i]}
			if err := st.Commit(ctx, batch); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			n += len(ps)
		}
		b.StartTimer()
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "payments/s")
}

// memSource is a statement read beforehand.
type memSource struct {
	st engine.Statement
	ps []engine.Payment
	i  int
}

func (m *memSource) Next() (engine.Payment, error) {
	if m.i == len(m.ps) {
		return engine.Payment{}, io.EOF
	}
	m.i++
	return m.ps[m.i-1], nil
}

func (m *memSource) Statement() engine.Statement { return m.st }

// BenchmarkPipeline runs the whole harness pass (import, parse, match,
// persist) on a small set and reports the pipeline's payments per second.
func BenchmarkPipeline(b *testing.B) {
	dir := b.TempDir()
	if _, err := Generate(context.Background(), GenConfig{Seed: 5, Customers: 100, Invoices: 2000,
		Payments: 1000, Out: dir}); err != nil {
		b.Fatal(err)
	}
	var payments int
	var nanos int64
	for b.Loop() {
		r, err := Run(context.Background(), Config{Dir: dir, SkipLibraries: true})
		if err != nil {
			b.Fatal(err)
		}
		s := r.Stage(StagePipeline)
		payments += s.Payments
		nanos += s.Nanos
	}
	b.ReportMetric(float64(payments)*1e9/float64(nanos), "payments/s")
}
