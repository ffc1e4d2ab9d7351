package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/store"
)

func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("match", "match --invoices FILE.csv [--data DIR] BANKFILE...",
		"Matches the payments of bank files against the open items of an invoice file\n"+
			"and prints one JSON object per payment: the decision (auto, suggested,\n"+
			"exception, or skipped for debits, pending and informational entries), the\n"+
			"allocations and adjustments, the amount on account, the confidence, the\n"+
			"reasons with their figures, the exception reason, the ranked suggestions\n"+
			"(each with its confidence, reasons and why it lost), the alternatives an\n"+
			"automatic decision passed over, and the original payment a return or a\n"+
			"duplicate refers to. It works in a fresh temporary store unless --data\n"+
			"names one.", stderr)
	invoiceFile := fs.String("invoices", "", "invoice CSV file (required)")
	var sf storeFlags
	sf.register(fs, "")
	strict := fs.Bool("strict", false, "refuse any departure from the format's specification")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *invoiceFile == "" || fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}

	dir := sf.data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "cashmatch-match-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	st, err := store.Open(dir, &store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()
	entity := engine.EntityID(sf.entity)
	if _, err := importInvoices(ctx, st, entity, *invoiceFile); err != nil {
		return err
	}

	w := bufio.NewWriterSize(stdout, 64*1024)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var encErr error
	opts := &engine.Options{Logger: log, Decided: func(p engine.Payment, d engine.Decision) {
		if encErr == nil {
			encErr = enc.Encode(engine.NewDecisionLine(p, d))
		}
	}}
	for _, path := range fs.Args() {
		if _, err := ingestFile(ctx, st, entity, path, parsers.Options{Strict: *strict}, opts); err != nil {
			return err
		}
		if encErr != nil {
			return encErr
		}
	}
	return nil
}
