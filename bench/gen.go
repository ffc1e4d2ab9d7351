package bench

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cashmatch/cashmatch/engine"
)

// InvoicesFile is the name of the open-item file in a generated set.
const InvoicesFile = "invoices.csv"

// Generate writes a statement set as cfg describes into cfg.Out:
// invoices.csv, for each statement day a BAI2, a camt.053 and a NACHA file
// (a file only when the day has payments in its format), and truth.json. It
// returns the header of truth.json. Memory grows with the invoices and with
// one day's payments, not with the number of days.
func Generate(ctx context.Context, cfg GenConfig) (TruthHeader, error) {
	c := cfg.EnsureDefaults()
	if err := c.Validate(); err != nil {
		return TruthHeader{}, err
	}
	if err := os.MkdirAll(c.Out, 0o755); err != nil {
		return TruthHeader{}, err
	}
	start := time.Now()

	// Draw the receivables and write them as the ERP exports them.
	g := newRNG(c.Seed)
	days := (c.Payments + c.PaymentsPerDay - 1) / c.PaymentsPerDay
	offsets := businessDays(c.Start, days)
	w := newWorld(g, c, offsets[len(offsets)-1])
	if err := writeInvoices(filepath.Join(c.Out, InvoicesFile), w); err != nil {
		return TruthHeader{}, err
	}

	// Plan each day's payments, write its bank files and their truth.
	tw, err := newTruthWriter(filepath.Join(c.Out, TruthFile))
	if err != nil {
		return TruthHeader{}, err
	}
	h := TruthHeader{Generator: "cashmatch gen", Kinds: map[string]int{},
		Set: SetSize{Seed: c.Seed, Customers: c.Customers, Invoices: c.Invoices, Payments: c.Payments, Start: c.Start}}
	p := newPlanner(g, w, c.Mix, offsets)
	left := c.Payments
	for d := range days {
		if err := ctx.Err(); err != nil {
			tw.f.Close()
			return h, err
		}
		var ps []*payment
		for n := min(left, c.PaymentsPerDay); len(ps) < n; {
			ps = append(ps, p.next(d, n-len(ps) > 1)...)
		}
		left -= len(ps)
		p.endDay()
		files, err := writeDay(c, g, w, w.date(offsets[d]), d, ps, tw, h.Kinds)
		if err != nil {
			tw.f.Close()
			return h, err
		}
		h.Files = append(h.Files, files...)
	}
	if err := tw.close(h); err != nil {
		return h, err
	}
	c.Logger.Info("statement set generated", "dir", c.Out, "payments", tw.n,
		"files", len(h.Files), "seconds", time.Since(start).Seconds())
	return h, nil
}

// writeInvoices writes the open items as invoices.csv.
func writeInvoices(path string, w *world) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"invoice_id", "customer_id", "customer_name", "amount", "currency", "issue_date",
		"due_date", "open_amount", "terms", "po_number", "customer_accounts"})
	row := make([]string, 11)
	for i := range w.invoices {
		inv := &w.invoices[i]
		c := &w.customers[inv.cust]
		t := termsTable[inv.terms]
		row[0], row[1], row[2] = w.invoiceID(int32(i)), c.id, c.name
		row[3], row[4] = decimalString(inv.amount, c.currency), string(c.currency)
		row[5], row[6] = w.date(inv.issue).String(), w.date(inv.issue+t.netDays).String()
		row[7], row[8] = decimalString(inv.open, c.currency), t.text
		row[9], row[10] = "", ""
		if inv.po != 0 {
			row[9] = "PO-" + strconv.Itoa(int(inv.po))
		}
		if c.accountKnown {
			row[10] = c.account
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// writeDay writes one statement day's bank files and adds their payments to
// the truth, in the order a reader finds them.
func writeDay(c *GenConfig, g *rng, w *world, date engine.Date, d int, ps []*payment,
	tw *truthWriter, kinds map[string]int) ([]SetFile, error) {
	var bai2, camt, ach []*payment
	for _, pm := range ps {
		switch pm.format {
		case inBAI2:
			bai2 = append(bai2, pm)
		case inCamt:
			camt = append(camt, pm)
		default:
			ach = append(ach, pm)
		}
	}
	base := date.String()
	var files []SetFile
	write := func(name string, f engine.Format, n int, body func(*bufio.Writer, func(*payment, string)) error) error {
		if n == 0 {
			return nil
		}
		sf, err := writeFile(c, w, filepath.Join(c.Out, name), f, tw, kinds, body)
		if err != nil {
			return err
		}
		files = append(files, sf)
		return nil
	}
	err := write(base+".ach", engine.FormatACH, len(ach), func(bw *bufio.Writer, emit func(*payment, string)) error {
		return writeACH(bw, g, date, ach, emit)
	})
	if err == nil {
		err = write(base+".bai2", engine.FormatBAI2, len(bai2), func(bw *bufio.Writer, emit func(*payment, string)) error {
			return writeBAI2(bw, g, date, d+1, bai2Accounts(g, bai2), emit)
		})
	}
	if err == nil {
		err = write(base+".camt053.xml", engine.FormatCamt053, len(camt), func(bw *bufio.Writer, emit func(*payment, string)) error {
			return writeCamt(bw, g, date, camtAccounts(g, camt), emit)
		})
	}
	return files, err
}

// writeFile creates one bank file, lets body write it, and records each
// payment body emits in the truth and the file's totals.
func writeFile(c *GenConfig, w *world, path string, f engine.Format, tw *truthWriter, kinds map[string]int,
	body func(*bufio.Writer, func(*payment, string)) error) (SetFile, error) {
	out, err := os.Create(path)
	if err != nil {
		return SetFile{}, err
	}
	defer out.Close()
	name := filepath.Base(path)
	sf := SetFile{Name: name, Format: f, Totals: map[engine.Currency]string{}}
	sums := map[engine.Currency]int64{}
	emit := func(pm *payment, ref string) {
		pm.file = name
		tw.add(truthOf(w, pm, f))
		sf.Payments++
		sums[pm.currency] += pm.amount
		kinds[pm.kind.String()]++
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := body(bw, emit); err != nil {
		return sf, fmt.Errorf("%s: %w", path, err)
	}
	if err := out.Sync(); err != nil {
		return sf, err
	}
	st, err := out.Stat()
	if err != nil {
		return sf, err
	}
	sf.Bytes = st.Size()
	for cur, s := range sums {
		sf.Totals[cur] = decimalString(s, cur)
	}
	c.Logger.Info("bank file written", "file", name, "format", f, "payments", sf.Payments)
	return sf, nil
}

// bai2Accounts puts BAI2 payments on our USD and CAD accounts.
func bai2Accounts(g *rng, ps []*payment) []*bai2Account {
	usd := &bai2Account{number: ourUSDAccount, currency: "USD", opening: g.between(1e8, 9e9)}
	cad := &bai2Account{number: ourCADAccount, currency: "CAD", opening: g.between(1e7, 9e8)}
	for _, pm := range ps {
		if pm.currency == "CAD" {
			cad.payments = append(cad.payments, pm)
		} else {
			usd.payments = append(usd.payments, pm)
		}
	}
	var out []*bai2Account
	for _, a := range []*bai2Account{usd, cad} {
		if len(a.payments) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// camtAccounts puts camt payments on our account in their currency.
func camtAccounts(g *rng, ps []*payment) []*camtAccount {
	accts := []*camtAccount{
		{iban: ourEURIBAN, currency: "EUR"}, {iban: ourGBPIBAN, currency: "GBP"},
		{other: ourUSDCamt, currency: "USD"}, {other: ourJPYAccount, currency: "JPY"},
	}
	for _, a := range accts {
		a.opening = g.between(1e7, 9e9)
	}
	var out []*camtAccount
	for _, a := range accts {
		for _, pm := range ps {
			if pm.currency == a.currency {
				a.payments = append(a.payments, pm)
			}
		}
		if len(a.payments) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// truthOf returns the truth record of a written payment.
func truthOf(w *world, pm *payment, f engine.Format) *Truth {
	cur := pm.currency
	t := &Truth{File: pm.file, Ref: pm.ref, BankRef: pm.bankRef, Format: f, Kind: pm.kind,
		Currency: cur, Amount: decimalString(pm.amount, cur), Expect: pm.expect}
	if pm.cust >= 0 {
		t.Customer = w.customers[pm.cust].id
	}
	for _, a := range pm.allocations {
		t.Allocations = append(t.Allocations, TruthAllocation{w.invoiceID(a.inv), decimalString(a.amount, cur)})
	}
	for _, a := range pm.adjustments {
		t.Adjustments = append(t.Adjustments, TruthAdjustment{w.invoiceID(a.inv), decimalString(a.amount, cur), a.reason.String()})
	}
	if pm.onAccount != 0 {
		t.OnAccount = decimalString(pm.onAccount, cur)
	}
	if pm.expect == ExpectException {
		t.Exception = pm.exception.String()
	}
	if pm.original != nil {
		t.Original = pm.original.ref
	}
	return t
}

// Megabytes formats a byte count in megabytes (10^6 bytes) with one decimal.
func Megabytes(n int64) string {
	tenths := (n + 50_000) / 100_000
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}
