package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/bench"
	"github.com/cashmatch/cashmatch/engine"
)

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "gen --out DIR [--seed N] [--customers C] [--invoices I] [--payments P] [--json]",
		"Generates a statement set with ground truth: invoices.csv, BAI2, camt.053\n"+
			"and NACHA files for each statement day, and truth.json with the correct\n"+
			"decision for every payment. The same flags write the same bytes.", stderr)
	var cfg bench.GenConfig
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed")
	fs.IntVar(&cfg.Customers, "customers", 200, "number of customers")
	fs.IntVar(&cfg.Invoices, "invoices", 2000, "number of open items in invoices.csv")
	fs.IntVar(&cfg.Payments, "payments", 1000, "number of payments")
	fs.IntVar(&cfg.PaymentsPerDay, "per-day", 50_000, "payments per statement day (bounds memory)")
	fs.StringVar(&cfg.Out, "out", "", "output folder (required)")
	start := fs.String("start", "2026-11-02", "first statement day")
	mix := fs.String("mix", "", "kind weights replacing the default mix, e.g. exact=500,typo=100")
	asJSON := fs.Bool("json", false, "print the set's description as JSON")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if cfg.Out == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	var err error
	if cfg.Logger, err = lf.logger(stderr); err != nil {
		return err
	}
	if cfg.Start, err = engine.ParseDate(*start); err != nil {
		return fmt.Errorf("%w: --start: %v", errUsage, err)
	}
	if *mix != "" {
		if cfg.Mix, err = parseMix(*mix); err != nil {
			return fmt.Errorf("%w: --mix: %v", errUsage, err)
		}
	}

	began := time.Now()
	h, err := bench.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(h)
	}
	var size int64
	for _, f := range h.Files {
		size += f.Bytes
	}
	fmt.Fprintf(stdout, "%s: %d payments in %d bank files (%s MB), %d open items, %d customers (%s)\n",
		cfg.Out, h.Set.Payments, len(h.Files), bench.Megabytes(size), h.Set.Invoices, h.Set.Customers,
		time.Since(began).Round(time.Millisecond))
	return nil
}

// parseMix reads kind weights written as "exact=500,typo=100".
func parseMix(s string) (bench.Mix, error) {
	m := bench.Mix{}
	for _, part := range strings.Split(s, ",") {
		name, weight, ok := strings.Cut(strings.TrimSpace(part), "=")
		var k bench.PaymentKind
		if err := k.UnmarshalText([]byte(name)); err != nil || !ok {
			return nil, fmt.Errorf("%q is not KIND=WEIGHT with a kind of %v", part, bench.Kinds())
		}
		w, err := strconv.Atoi(weight)
		if err != nil || w < 0 {
			return nil, fmt.Errorf("%q: weight is not a whole number", part)
		}
		m[k] = w
	}
	return m, nil
}
