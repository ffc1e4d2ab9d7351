package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/store"
)

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ingest", "ingest [--data DIR] [--strict] [--json] BANKFILE...",
		"Reads bank files into the store, matches every payment against the open items\n"+
			"and applies what is certain; the rest goes to the exception queue. A file\n"+
			"already ingested (same SHA-256) changes nothing.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	strict := fs.Bool("strict", false, "refuse any departure from the format's specification")
	var bf bai2Flags
	bf.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON summary per file")
	commitSize := fs.Int("commit-size", engine.DefaultCommitSize, "payments decided per synced commit")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	st, err := store.Open(sf.data, &store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()
	entity := engine.EntityID(sf.entity)
	mopts := &engine.Options{Logger: log, CommitSize: *commitSize}

	// Finish what an interrupted run left: payments stored but not decided.
	n, err := engine.DecidePending(ctx, st, entity, mopts)
	if err != nil {
		return err
	}
	if n > 0 && !*asJSON {
		fmt.Fprintf(stdout, "decided %d payments left pending by an interrupted run\n", n)
	}

	for _, path := range fs.Args() {
		start := time.Now()
		out, err := ingestFile(ctx, st, entity, path, parsers.Options{Strict: *strict, BAI2: bf.opts}, mopts)
		if err != nil {
			return err
		}
		if *asJSON {
			if err := json.NewEncoder(stdout).Encode(ingestJSON(out, time.Since(start))); err != nil {
				return err
			}
			continue
		}
		printOutcome(stdout, out, time.Since(start))
	}
	return nil
}

// ingestFile reads, matches and commits one bank file.
func ingestFile(ctx context.Context, st *store.Store, entity engine.EntityID, path string,
	read parsers.Options, opts *engine.Options) (engine.Outcome, error) {
	log := opts.EnsureDefaults().Logger
	read.Logger = log
	f, err := bankfile.Open(path, &read)
	if err != nil {
		return engine.Outcome{}, err
	}
	defer f.Close()
	out, err := engine.Ingest(ctx, st, entity, f, opts)
	if err != nil {
		return engine.Outcome{}, err
	}
	log.Info("statement ingested", "file", path, "statement_id", out.Statement.ID,
		"payments", out.Summary.Payments, "auto", out.Summary.Auto, "duplicate", out.Duplicate,
		"repeated", out.Repeated)
	return out, nil
}

type ingestSummary struct {
	Statement engine.StatementID `json:"statement"`
	Source    string             `json:"source"`
	Format    engine.Format      `json:"format"`
	Duplicate bool               `json:"duplicate"`
	Repeated  int                `json:"repeated,omitempty"`
	Warnings  []string           `json:"warnings,omitempty"`
	Seconds   string             `json:"seconds"`
	engine.Summary
}

func ingestJSON(out engine.Outcome, took time.Duration) ingestSummary {
	return ingestSummary{
		Statement: out.Statement.ID, Source: out.Statement.Source, Format: out.Statement.Format,
		Duplicate: out.Duplicate, Repeated: out.Repeated, Warnings: out.Statement.Warnings,
		Seconds: fmt.Sprintf("%.3f", took.Seconds()), Summary: out.Summary,
	}
}

// printOutcome prints what ingesting one file did, for a treasury reader.
func printOutcome(w io.Writer, out engine.Outcome, took time.Duration) {
	st := out.Statement
	if out.Duplicate {
		fmt.Fprintf(w, "%s: already ingested as statement %s; nothing changed\n", st.Source, st.ID[:12])
		return
	}
	fmt.Fprintf(w, "%s (%s, statement %s)\n", st.Source, st.Format, st.ID[:12])
	if out.Repeated > 0 {
		fmt.Fprintf(w, "  %d payments repeat payments of earlier statements and were not stored again\n", out.Repeated)
	}
	for _, warning := range st.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", warning)
	}
	printSummary(w, out.Summary, took)
}
