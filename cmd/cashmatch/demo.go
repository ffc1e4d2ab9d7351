package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/store"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "demo [--dir testdata/demo]",
		"Runs the whole job on the bundled demo data: imports the open items of\n"+
			"invoices.csv into a fresh store in a temporary folder, ingests every bank\n"+
			"file of the folder, matches and applies, and prints what happened.", stderr)
	dir := fs.String("dir", filepath.Join("testdata", "demo"), "folder holding invoices.csv and bank files")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	start := time.Now()

	// Find the bundled files.
	invoiceFile := filepath.Join(*dir, "invoices.csv")
	bankFiles, err := demoBankFiles(*dir)
	if err != nil {
		return err
	}

	// Work in a fresh store that is removed afterwards.
	tmp, err := os.MkdirTemp("", "cashmatch-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(tmp, &store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()

	// Import the open items, then ingest each bank file.
	entity := engine.DefaultEntity
	res, err := importInvoices(ctx, st, entity, invoiceFile)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "cashmatch demo: %d open items from %s\n\n", res.New+res.Updated, invoiceFile)
	total := engine.NewSummary()
	for _, path := range bankFiles {
		fileStart := time.Now()
		out, err := ingestFile(ctx, st, entity, path, parsers.Options{}, &engine.Options{Logger: log})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-28s %-9s %4d payments, %4d auto-applied  (%s)\n",
			filepath.Base(path), out.Statement.Format, out.Summary.Payments, out.Summary.Auto,
			time.Since(fileStart).Round(time.Millisecond))
		total.Merge(out.Summary)
	}
	fmt.Fprintln(stdout, "\nAll files:")
	printSummary(stdout, total, time.Since(start))
	return nil
}

// demoBankFiles lists the bank files of the demo folder in name order:
// everything but the invoice file and documentation.
func demoBankFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w (run from the repository root, or pass --dir)", err)
	}
	var files []string
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".bai2", ".bai", ".xml", ".ach":
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("demo data: no bank files in %s", dir)
	}
	return files, nil
}
