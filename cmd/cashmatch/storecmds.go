package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// errCheckFailed is returned when a store breaks an invariant; check has
// printed which.
var errCheckFailed = errors.New("the store breaks its invariants")

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "check [--data DIR] [--json]",
		"Verifies a store's invariants on a consistent view of it: every payment's\n"+
			"cash is accounted for by its ledger entries, every invoice's open amount is\n"+
			"its opening amount less its entries and never beyond zero, payments are\n"+
			"numbered without gaps up to the decided cursor, indexes match their records\n"+
			"and the audit log replays to the current state. Prints each problem with\n"+
			"the record it concerns and exits 1 when there is one.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
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
	ents, err := st.Entities(ctx)
	if err != nil {
		return err
	}
	problems, err := st.Check(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type problemJSON struct {
			Entity engine.EntityID `json:"entity"`
			Record string          `json:"record"`
			What   string          `json:"problem"`
		}
		out := struct {
			OK       bool          `json:"ok"`
			Entities int           `json:"entities"`
			Problems []problemJSON `json:"problems"`
		}{OK: len(problems) == 0, Entities: len(ents), Problems: []problemJSON{}}
		for _, p := range problems {
			out.Problems = append(out.Problems, problemJSON{p.Entity, p.Record, p.What})
		}
		if err := json.NewEncoder(stdout).Encode(out); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			fmt.Fprintln(stdout, p)
		}
		if len(problems) == 0 {
			fmt.Fprintf(stdout, "%s: ok (%d entities)\n", sf.data, len(ents))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %w: %d problems", sf.data, errCheckFailed, len(problems))
	}
	return nil
}

// reportJSON is the machine-readable output of report.
type reportJSON struct {
	Entity          engine.EntityID                           `json:"entity"`
	Invoices        int                                       `json:"invoices"`
	Payments        int                                       `json:"payments"`
	Pending         int                                       `json:"pending"`
	Auto            int                                       `json:"auto"`
	Suggested       int                                       `json:"suggested"`
	Exceptions      int                                       `json:"exceptions"`
	OpenExceptions  int                                       `json:"open_exceptions"`
	Resolved        int                                       `json:"resolved_exceptions"`
	OpenByReason    map[string]int                            `json:"open_by_reason"`
	AppliedAmount   map[engine.Currency]engine.Amount         `json:"applied_amount"`
	UnappliedAmount map[engine.Currency]engine.Amount         `json:"unapplied_amount"`
	ByCurrency      map[engine.Currency]*store.CurrencyTotals `json:"by_currency"`
}

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "report [--data DIR] [--entity E] [--json]",
		"Prints a store's totals for one legal entity: invoices, payments by the\n"+
			"engine's decision (auto, suggested, exception), exceptions open and\n"+
			"resolved, and by currency the cash received, applied, on account, not a\n"+
			"receivable and unapplied, with the invoices' open amounts.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	asJSON := fs.Bool("json", false, "print the totals as JSON")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
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
	t, err := st.Report(ctx, entity)
	if err != nil {
		return err
	}
	if *asJSON {
		r := reportJSON{Entity: entity, Invoices: t.Invoices, Payments: t.Payments, Pending: t.Pending,
			Auto: t.Auto, Suggested: t.Suggested, Exceptions: t.Exceptions, OpenExceptions: t.OpenExceptions,
			Resolved: t.Resolved, OpenByReason: t.OpenByReason, ByCurrency: t.Currencies,
			AppliedAmount: map[engine.Currency]engine.Amount{}, UnappliedAmount: map[engine.Currency]engine.Amount{}}
		for c, ct := range t.Currencies {
			r.AppliedAmount[c], r.UnappliedAmount[c] = ct.Applied, ct.Unapplied
		}
		return json.NewEncoder(stdout).Encode(r)
	}
	printTotals(stdout, entity, t)
	return nil
}

// printTotals prints an entity's totals as a table a treasury user reads.
func printTotals(w io.Writer, entity engine.EntityID, t store.Totals) {
	row := func(label, value string) { fmt.Fprintf(w, "  %-26s %s\n", label, value) }
	fmt.Fprintf(w, "entity %s\n", entity)
	row("invoices", fmt.Sprint(t.Invoices))
	row("payments decided", fmt.Sprint(t.Payments))
	if t.Pending > 0 {
		row("payments pending", fmt.Sprint(t.Pending))
	}
	row("auto-applied", fmt.Sprintf("%d%s", t.Auto, percent(t.Auto, t.Payments)))
	row("suggested", fmt.Sprint(t.Suggested))
	row("exceptions", fmt.Sprint(t.Exceptions))
	row("exceptions open", fmt.Sprint(t.OpenExceptions))
	for _, r := range slices.Sorted(maps.Keys(t.OpenByReason)) {
		row("  "+r, fmt.Sprint(t.OpenByReason[r]))
	}
	row("exceptions resolved", fmt.Sprint(t.Resolved))
	for _, c := range t.CurrencyList() {
		ct := t.Currencies[c]
		row("received "+string(c), groupThousands(ct.Received.String()))
		row("applied "+string(c), groupThousands(ct.Applied.String()))
		row("on account "+string(c), groupThousands(ct.OnAccount.String()))
		row("not a receivable "+string(c), groupThousands(ct.NotReceivable.String()))
		row("unapplied "+string(c), groupThousands(ct.Unapplied.String()))
		row("adjusted "+string(c), groupThousands(ct.Adjusted.String()))
		row("invoices open "+string(c), groupThousands(ct.Open.String()))
	}
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "backup [--data DIR] --to DIR2",
		"Writes a consistent copy of the store to the new folder DIR2 (a Pebble\n"+
			"checkpoint: files are hard-linked where the file system allows). To restore,\n"+
			"point --data at the copy, or move it into place while nothing runs. The\n"+
			"command opens the store itself, so it runs while no other cashmatch process\n"+
			"holds it; a running server takes the same checkpoint through its API.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	to := fs.String("to", "", "folder to create with the copy (required)")
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
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
	if err := st.Checkpoint(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: backed up to %s\n", sf.data, *to)
	return nil
}
