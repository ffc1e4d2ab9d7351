package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/invoices"
	"github.com/cashmatch/cashmatch/store"
)

func runInvoices(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(stderr, "Usage: cashmatch invoices import [--data DIR] FILE.csv\n\n"+
				"Imports open items from the ERP's CSV export. See 'cashmatch invoices import --help'.")
			return nil
		}
		return fmt.Errorf("%w: want 'cashmatch invoices import [--data DIR] FILE.csv'", errUsage)
	}
	fs := newFlagSet("invoices import", "invoices import [--data DIR] FILE.csv",
		"Imports open items from the ERP's CSV export into the store, replacing\n"+
			"invoices with the same invoice_id. Required columns: invoice_id,\n"+
			"customer_id, customer_name, amount, currency, issue_date, due_date;\n"+
			"optional: open_amount, terms, po_number, customer_accounts. Valid rows are\n"+
			"imported; each invalid row is reported with its line, and the command then\n"+
			"exits 1.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
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
	res, err := importInvoices(ctx, st, engine.EntityID(sf.entity), fs.Arg(0))
	fmt.Fprintf(stdout, "%s: %d invoices imported (%d new, %d updated)\n", fs.Arg(0), res.New+res.Updated,
		res.New, res.Updated)
	for _, w := range res.Warnings {
		fmt.Fprintf(stdout, "  warning: %s\n", w)
	}
	return err
}

// importInvoices stores the valid rows of an invoice CSV file and returns what
// it stored, with the invalid rows' errors.
func importInvoices(ctx context.Context, st *store.Store, entity engine.EntityID, path string) (store.ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return store.ImportResult{}, err
	}
	defer f.Close()
	invs, rowErr := invoices.Read(f)
	var res store.ImportResult
	if len(invs) > 0 {
		if res, err = st.ImportInvoices(ctx, entity, invs, "import "+filepath.Base(path)); err != nil {
			return res, err
		}
	}
	if rowErr != nil {
		return res, fmt.Errorf("%s: %w", path, errors.Join(rowErr))
	}
	return res, nil
}
