package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/cashmatch/cashmatch/bench"
	"github.com/cashmatch/cashmatch/engine"
	"github.com/schollz/progressbar/v3"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "bench --dir DIR [--data DIR] [--files N] [--json] [--no-libraries]",
		"Runs the real pipeline on a set made by 'cashmatch gen': imports invoices.csv\n"+
			"into a fresh store, ingests every bank file (parse, match, persist in synced\n"+
			"batches), and prints one report: throughput by stage, peak memory, and the\n"+
			"decisions' quality against truth.json beside the rule most ERPs ship. A\n"+
			"second pass times the moov-io readers on the same files.", stderr)
	var cfg bench.Config
	fs.StringVar(&cfg.Dir, "dir", "", "folder of a generated set (required)")
	fs.StringVar(&cfg.Data, "data", "", "store folder, empty or absent (default: a temporary one)")
	entity := fs.String("entity", string(engine.DefaultEntity), "legal entity (tenant) within the store")
	fs.BoolVar(&cfg.SkipLibraries, "no-libraries", false, "leave out the moov-io reader baseline")
	fs.IntVar(&cfg.Files, "files", 0, "ingest only the first N bank files, against all the open items (0: all)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cfg.Dir == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	var err error
	if cfg.Logger, err = lf.logger(stderr); err != nil {
		return err
	}
	cfg.Entity = engine.EntityID(*entity)
	cfg.Engine = &engine.Options{Logger: cfg.Logger}
	if isTerminal(stderr) {
		bar := newProgress(stderr)
		cfg.Progress = bar.update
		defer bar.finish()
	}

	r, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(stdout)
}

// progress draws one bar per pass of a bench run on a terminal.
type progress struct {
	w    io.Writer
	pass string
	bar  *progressbar.ProgressBar
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) update(pass string, done, total int64) {
	if p.pass != pass {
		p.finish()
		p.pass = pass
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(pass),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200_000_000),
			progressbar.OptionClearOnFinish())
	}
	p.bar.Set64(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
