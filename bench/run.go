package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/parsers/invoices"
	"github.com/cashmatch/cashmatch/store"
)

// Config describes a measurement of the pipeline on a generated set. The
// zero value of every field but Dir works.
type Config struct {
	// Dir is the generated set.
	Dir string
	// Data is the store folder; it must be empty or absent. Empty means a
	// temporary folder removed at the end.
	Data string
	// Entity is the legal entity the set is ingested into; empty means
	// engine.DefaultEntity.
	Entity engine.EntityID
	// Engine configures the matcher; nil means its defaults.
	Engine *engine.Options
	// Files, when above zero, ingests only the set's first Files bank files
	// (in name order) against the whole of invoices.csv: a quick look at a
	// large set.
	Files int
	// SkipLibraries leaves out the parser baseline (moov-io readers on the
	// same files), which for camt decodes whole documents in memory.
	SkipLibraries bool
	// Progress, when set, is called after each file of each pass with the
	// bytes done and the bytes of the pass.
	Progress func(pass string, done, total int64)
	// Logger receives one record per file. Nil discards.
	Logger *slog.Logger
}

// Stage is the time one stage of the pipeline took over the whole set.
type Stage struct {
	Name     string `json:"name"`
	Nanos    int64  `json:"nanoseconds"`
	Payments int    `json:"payments,omitempty"`
	Bytes    int64  `json:"bytes,omitempty"`
	// Items counts what the stage handles when it is not payments, such
	// as invoices.
	Items int `json:"items,omitempty"`
}

// SkippedFile is a file the pipeline could not ingest, with the reason.
type SkippedFile struct {
	Name     string `json:"name"`
	Payments int    `json:"payments"`
	Reason   string `json:"reason"`
}

// Report is what a run measured.
type Report struct {
	Machine  Machine `json:"machine"`
	Dir      string  `json:"dir"`
	Set      SetSize `json:"set"`
	Files    int     `json:"files"`
	Bytes    int64   `json:"bytes"`
	Payments int     `json:"payments"`
	Stages   []Stage `json:"stages"`
	// PeakRSS is the process's peak resident memory during the import and
	// the pipeline, before the baselines run; 0 where not measured.
	PeakRSS int64 `json:"peak_rss_bytes"`
	// Quality scores the engine's decisions, Baseline the ERP rule's on the
	// same payments.
	Quality  *Quality `json:"quality"`
	Baseline *Quality `json:"erp_rule"`
	// Readers time the project's readers and the libraries on the files.
	Readers []ReaderTiming `json:"readers,omitempty"`
	Skipped []SkippedFile  `json:"skipped,omitempty"`
	// Unjoined counts payments read that match no truth; Missing counts
	// truth payments of ingested files that no payment read matched.
	Unjoined int `json:"unjoined"`
	Missing  int `json:"missing"`
}

// Stage returns the stage named name, or a zero Stage.
func (r *Report) Stage(name string) Stage {
	for _, s := range r.Stages {
		if s.Name == name {
			return s
		}
	}
	return Stage{Name: name}
}

// Stage names.
const (
	StageImport   = "import invoices"
	StageParse    = "parse"
	StageBook     = "load book"
	StageMatch    = "match"
	StagePersist  = "persist"
	StagePipeline = "pipeline"
)

// Run measures the real pipeline on the set in cfg.Dir: it imports
// invoices.csv into a fresh Pebble store, then ingests every bank file in
// name order (parse, match, commit in one synced batch per statement),
// timing each stage, and scores every decision against truth.json. A second
// pass runs the baselines on the same files: the ERP rule on the project's
// parsed payments, and the moov-io libraries' readers.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Dir == "" {
		return nil, errors.New("bench: no set folder")
	}
	if cfg.Entity == "" {
		cfg.Entity = engine.DefaultEntity
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h, err := ReadTruthHeader(filepath.Join(cfg.Dir, TruthFile))
	if err != nil {
		return nil, err
	}
	if cfg.Files > 0 && cfg.Files < len(h.Files) {
		h.Files = h.Files[:cfg.Files]
	}
	r := &Report{Machine: thisMachine(), Dir: cfg.Dir, Set: h.Set, Files: len(h.Files),
		Quality: newQuality(), Baseline: newQuality()}
	for _, f := range h.Files {
		r.Bytes += f.Bytes
	}

	// A fresh store: a store that already holds statements would see
	// every file as a duplicate.
	dir, cleanup, err := freshStore(cfg.Data)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	st, err := store.Open(dir, &store.Options{Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	defer st.Close()

	resetPeakRSS()
	if err := r.importInvoices(ctx, st, cfg); err != nil {
		return r, err
	}
	if err := r.pipeline(ctx, st, h, cfg); err != nil {
		return r, err
	}
	r.PeakRSS = peakRSS()
	if err := r.baselines(ctx, h, cfg); err != nil {
		return r, err
	}
	return r, nil
}

// freshStore returns the store folder to use and what removes it.
func freshStore(data string) (string, func(), error) {
	if data == "" {
		dir, err := os.MkdirTemp("", "cashmatch-bench-")
		if err != nil {
			return "", nil, err
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	entries, err := os.ReadDir(data)
	if err == nil && len(entries) > 0 {
		return "", nil, fmt.Errorf("bench: store folder %s is not empty", data)
	}
	return data, func() {}, nil
}

// importInvoices loads invoices.csv into the store, as `cashmatch invoices
// import` does.
func (r *Report) importInvoices(ctx context.Context, st *store.Store, cfg Config) error {
	start := time.Now()
	invs, err := readInvoices(cfg.Dir)
	if err != nil {
		return err
	}
	if err := st.PutInvoices(ctx, cfg.Entity, invs); err != nil {
		return fmt.Errorf("import invoices: %w", err)
	}
	r.Stages = append(r.Stages, Stage{Name: StageImport, Nanos: time.Since(start).Nanoseconds(), Items: len(invs)})
	cfg.Logger.Info("invoices imported", "invoices", len(invs), "seconds", time.Since(start).Seconds())
	return nil
}

func readInvoices(dir string) ([]engine.Invoice, error) {
	path := filepath.Join(dir, InvoicesFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	invs, err := invoices.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return invs, nil
}

// pipeline ingests every file and scores the decisions.
func (r *Report) pipeline(ctx context.Context, st *store.Store, h TruthHeader, cfg Config) error {
	truth, err := openTruth(filepath.Join(cfg.Dir, TruthFile))
	if err != nil {
		return err
	}
	defer truth.close()
	ts := &timedStore{Store: st}
	var parse time.Duration
	var done int64
	start := time.Now()
	for _, sf := range h.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		want, err := truth.file(sf.Name)
		if err != nil {
			return err
		}
		out, took, err := ingest(ctx, ts, filepath.Join(cfg.Dir, sf.Name), cfg)
		parse += took
		if err != nil {
			r.Skipped = append(r.Skipped, SkippedFile{Name: sf.Name, Payments: sf.Payments, Reason: err.Error()})
			cfg.Logger.Warn("file not ingested", "file", sf.Name, "error", err)
			continue
		}
		r.Payments += len(out.payments)
		for i, p := range out.payments {
			t := joinTruth(want, p)
			if t == nil {
				r.Unjoined++
				continue
			}
			r.Quality.add(t, out.decisions[i], p)
		}
		r.Missing += len(want)
		done += sf.Bytes
		if cfg.Progress != nil {
			cfg.Progress("pipeline", done, r.Bytes)
		}
	}
	wall := time.Since(start)
	// The engine commits a batch while it decides the next one, so the
	// time spent committing overlaps matching: what is left of the wall
	// time after the other stages is a lower bound of matching's.
	persist := ts.intake + ts.commit
	match := max(0, wall-parse-ts.book-persist)
	r.Stages = append(r.Stages,
		Stage{Name: StageParse, Nanos: parse.Nanoseconds(), Payments: r.Payments, Bytes: done},
		Stage{Name: StageBook, Nanos: ts.book.Nanoseconds(), Payments: r.Payments, Bytes: done},
		Stage{Name: StageMatch, Nanos: match.Nanoseconds(), Payments: r.Payments, Bytes: done},
		Stage{Name: StagePersist, Nanos: persist.Nanoseconds(), Payments: r.Payments, Bytes: done},
		Stage{Name: StagePipeline, Nanos: wall.Nanoseconds(), Payments: r.Payments, Bytes: done},
	)
	return nil
}

// joinTruth finds and removes the truth of payment p among want: by bank
// reference, trace number or end-to-end id.
func joinTruth(want map[string]*Truth, p engine.Payment) *Truth {
	for _, ref := range []string{p.BankRef, p.EndToEndID} {
		if t, ok := want[ref]; ok && ref != "" {
			delete(want, ref)
			return t
		}
	}
	return nil
}

// ingest runs one file through engine.Ingest and returns the time spent
// reading it.
func ingest(ctx context.Context, ts *timedStore, path string, cfg Config) (decided, time.Duration, error) {
	start := time.Now()
	f, err := bankfile.Open(path, &parsers.Options{Logger: cfg.Logger})
	if err != nil {
		return decided{}, time.Since(start), err
	}
	defer f.Close()
	src := &timedSource{File: f, took: time.Since(start)}
	var opts engine.Options
	if cfg.Engine != nil {
		opts = *cfg.Engine
	}
	var d decided
	opts.Decided = func(p engine.Payment, dec engine.Decision) {
		d.payments = append(d.payments, p)
		d.decisions = append(d.decisions, dec)
	}
	out, err := engine.Ingest(ctx, ts, cfg.Entity, src, &opts)
	if err == nil && out.Duplicate {
		err = fmt.Errorf("%s: already in the store", filepath.Base(path))
	}
	return d, src.took, err
}

// decided holds the payments of one file with their decisions, in the order
// they were committed.
type decided struct {
	payments  []engine.Payment
	decisions []engine.Decision
}

// timedSource times the reading of a bank file.
type timedSource struct {
	*bankfile.File
	took time.Duration
}

func (s *timedSource) Next() (engine.Payment, error) {
	start := time.Now()
	p, err := s.File.Next()
	s.took += time.Since(start)
	return p, err
}

// timedStore times loading the book and the store's writes and reads of
// payments and decisions. Book, Receive and Pending run on the goroutine
// that decides (intake), Commit on the one that commits: each field has one
// writer, and Ingest returns after both are done.
type timedStore struct {
	*store.Store
	book, intake, commit time.Duration
}

func (s *timedStore) Book(ctx context.Context, entity engine.EntityID) (*engine.Book, error) {
	start := time.Now()
	b, err := s.Store.Book(ctx, entity)
	s.book += time.Since(start)
	return b, err
}

// Receive times storing a statement's payments, less the reading of the file.
func (s *timedStore) Receive(ctx context.Context, entity engine.EntityID, src engine.Source) (engine.Receipt, error) {
	start := time.Now()
	var read time.Duration
	if ts, ok := src.(*timedSource); ok {
		read = ts.took
		defer func() { s.intake -= ts.took - read }()
	}
	defer func() { s.intake += time.Since(start) }()
	return s.Store.Receive(ctx, entity, src)
}

// Pending times reading back the stored payments to decide.
func (s *timedStore) Pending(ctx context.Context, entity engine.EntityID, after uint64, max int) ([]engine.Payment, error) {
	start := time.Now()
	ps, err := s.Store.Pending(ctx, entity, after, max)
	s.intake += time.Since(start)
	return ps, err
}

func (s *timedStore) Commit(ctx context.Context, b engine.Batch) error {
	start := time.Now()
	err := s.Store.Commit(ctx, b)
	s.commit += time.Since(start)
	return err
}

// baselines reads every file again with the project's readers, deciding
// each payment with the ERP rule, and with the libraries.
func (r *Report) baselines(ctx context.Context, h TruthHeader, cfg Config) error {
	invs, err := readInvoices(cfg.Dir)
	if err != nil {
		return err
	}
	rule := newERPRule(invs)
	invs = nil
	truth, err := openTruth(filepath.Join(cfg.Dir, TruthFile))
	if err != nil {
		return err
	}
	defer truth.close()
	timings := map[string]*ReaderTiming{}
	timing := func(f engine.Format, reader string) *ReaderTiming {
		key := string(f) + " " + reader
		if timings[key] == nil {
			timings[key] = &ReaderTiming{Format: f, Reader: reader}
			r.Readers = append(r.Readers, *timings[key])
		}
		return timings[key]
	}
	var done int64
	for _, sf := range h.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		want, err := truth.file(sf.Name)
		if err != nil {
			return err
		}
		path := filepath.Join(cfg.Dir, sf.Name)

		// The project's reader, feeding the ERP rule.
		t := timing(sf.Format, "cashmatch")
		var read time.Duration
		n := 0
		start := time.Now()
		_, err = readWithProject(path, func(p engine.Payment) {
			read += time.Since(start)
			n++
			if tr := joinTruth(want, p); tr != nil {
				r.Baseline.add(tr, rule.decide(p), p)
			}
			start = time.Now()
		})
		read += time.Since(start)
		if err != nil && t.Err == "" {
			t.Err = err.Error()
		}
		if err == nil {
			t.add(sf.Bytes, n, read)
		}

		// The library for the format.
		if lib := libraryReaders[sf.Format]; lib != "" && !cfg.SkipLibraries {
			t := timing(sf.Format, lib)
			start := time.Now()
			n, err := readWithLibrary(path, sf.Format)
			if err != nil && t.Err == "" {
				t.Err = fmt.Sprintf("%s: %v", sf.Name, err)
			}
			if err == nil {
				t.add(sf.Bytes, n, time.Since(start))
			}
		}
		done += sf.Bytes
		if cfg.Progress != nil {
			cfg.Progress("baselines", done, r.Bytes)
		}
	}
	for i := range r.Readers {
		key := string(r.Readers[i].Format) + " " + r.Readers[i].Reader
		r.Readers[i] = *timings[key]
	}
	return nil
}

// ReadTruthHeader reads the header of truth.json without its payments: the
// header fields follow the payments, so it reads the end of the file.
func ReadTruthHeader(path string) (TruthHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return TruthHeader{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return TruthHeader{}, err
	}
	for tail := int64(64 << 10); ; tail *= 4 {
		tail = min(tail, st.Size())
		b := make([]byte, tail)
		if _, err := f.ReadAt(b, st.Size()-tail); err != nil && err != io.EOF {
			return TruthHeader{}, err
		}
		if i := lastIndex(b, "\n],\n"); i >= 0 {
			var h TruthHeader
			if err := json.Unmarshal(append([]byte("{"), b[i+4:]...), &h); err != nil {
				return h, fmt.Errorf("%s: header: %w", path, err)
			}
			return h, nil
		}
		if tail == st.Size() {
			return TruthHeader{}, fmt.Errorf("%s: not a truth file of cashmatch gen", path)
		}
	}
}

func lastIndex(b []byte, sep string) int {
	for i := len(b) - len(sep); i >= 0; i-- {
		if string(b[i:i+len(sep)]) == sep {
			return i
		}
	}
	return -1
}
