package engine

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of engine tests")

// TestGolden runs every case of testdata: each folder holds invoices.csv
// (the invoice file columns), payments.jsonl (one payment per line, see
// paymentIn), optionally customers.json and options.json, and want.golden,
// the decisions as `cashmatch match` prints them followed by the open
// amounts that changed. Each case is decided with one worker and with
// three; both must give the golden output. go test ./engine -update
// rewrites want.golden.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "payments.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no golden cases in testdata")
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			one := runCase(t, dir, 1)
			three := runCase(t, dir, 3)
			if one != three {
				t.Fatalf("one worker and three workers decide differently:\n%s\n---\n%s", one, three)
			}
			golden := filepath.Join(dir, "want.golden")
			if *update {
				if err := os.WriteFile(golden, []byte(one), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./engine -update to create it)", err)
			}
			if one != string(want) {
				t.Errorf("decisions differ from %s (go test ./engine -update rewrites it):\n%s",
					golden, lineDiff(string(want), one))
			}
		})
	}
}

// runCase decides the payments of a case folder with the given number of
// workers and returns the golden text.
func runCase(t *testing.T, dir string, workers int) string {
	t.Helper()
	invs := readInvoicesCSV(t, filepath.Join(dir, "invoices.csv"))
	var custs []Customer
	readJSONIfExists(t, filepath.Join(dir, "customers.json"), &custs)
	var oin optionsIn
	readJSONIfExists(t, filepath.Join(dir, "options.json"), &oin)
	opts := oin.options(t)
	opts.Workers = workers
	ps := readPayments(t, filepath.Join(dir, "payments.jsonl"))

	book := NewBook(invs, custs)
	before := openAmounts(book)
	ds := decideChecked(t, book, opts, ps)

	var b bytes.Buffer
	b.WriteString("# decisions\n")
	for i, d := range ds {
		line, err := json.MarshalIndent(NewDecisionLine(ps[i], d), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteString("# open amounts changed\n")
	ids := make([]InvoiceID, 0, len(before))
	for id := range before {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		i, _ := book.lookup([]byte(id))
		if after := book.items[i].open; after != before[id] {
			cur := book.currencies[book.items[i].cur]
			fmt.Fprintf(&b, "%s %s -> %s\n", id, FromMinor(before[id], cur), FromMinor(after, cur))
		}
	}
	return b.String()
}

// paymentIn is a payment as a golden case writes it.
type paymentIn struct {
	ID            string   `json:"id"`
	Amount        string   `json:"amount"`
	Currency      string   `json:"currency"`
	Direction     string   `json:"direction"`
	Status        string   `json:"status"`
	ValueDate     string   `json:"value_date"`
	TypeCode      string   `json:"type_code"`
	BankRef       string   `json:"bank_ref"`
	EndToEndID    string   `json:"end_to_end_id"`
	PayerName     string   `json:"payer_name"`
	PayerAccount  string   `json:"payer_account"`
	UltimatePayer string   `json:"ultimate_payer"`
	OriginalRef   string   `json:"original_ref"`
	ReturnReason  string   `json:"return_reason"`
	Remittance    []string `json:"remittance"`
	References    []struct {
		Kind     string `json:"kind"`
		Value    string `json:"value"`
		Amount   string `json:"amount"`
		Discount string `json:"discount"`
	} `json:"references"`
}

func readPayments(t *testing.T, path string) []Payment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []Payment
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "//") {
			continue
		}
		var in paymentIn
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		ps = append(ps, in.payment(t, fmt.Sprintf("%s:%d", filepath.Base(path), line)))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ps
}

func (in paymentIn) payment(t *testing.T, source string) Payment {
	t.Helper()
	cur := Currency("USD")
	if in.Currency != "" {
		cur = Currency(in.Currency)
	}
	amount, err := ParseAmount(in.Amount, cur)
	if err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	p := Payment{
		ID: PaymentID(in.ID), Source: source, Amount: amount, TypeCode: in.TypeCode,
		BankRef: in.BankRef, EndToEndID: in.EndToEndID, PayerName: in.PayerName,
		PayerAccount: in.PayerAccount, UltimatePayer: in.UltimatePayer,
		OriginalRef: in.OriginalRef, ReturnReason: in.ReturnReason,
		Remittance: Remittance{Lines: in.Remittance},
	}
	if in.Direction != "" {
		if err := p.Direction.UnmarshalText([]byte(in.Direction)); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
	}
	if in.Status != "" {
		if err := p.Status.UnmarshalText([]byte(in.Status)); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
	}
	if in.ValueDate != "" {
		if p.ValueDate, err = ParseDate(in.ValueDate); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
	}
	for _, r := range in.References {
		ref := Reference{Value: r.Value}
		if err := ref.Kind.UnmarshalText([]byte(r.Kind)); err != nil {
			t.Fatalf("%s: %v", source, err)
		}
		if r.Amount != "" {
			if ref.Amount, err = ParseAmount(r.Amount, cur); err != nil {
				t.Fatalf("%s: %v", source, err)
			}
		}
		if r.Discount != "" {
			if ref.Discount, err = ParseAmount(r.Discount, cur); err != nil {
				t.Fatalf("%s: %v", source, err)
			}
		}
		p.Remittance.References = append(p.Remittance.References, ref)
	}
	return p
}

// readInvoicesCSV reads the invoice file columns of DESIGN.md; the engine
// cannot import the project's own reader.
func readInvoicesCSV(t testing.TB, path string) []Invoice {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	var invs []Invoice
	for n, row := range rows[1:] {
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		where := fmt.Sprintf("%s:%d", path, n+2)
		cur := Currency(get("currency"))
		amount, err := ParseAmount(get("amount"), cur)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		open := amount
		if s := get("open_amount"); s != "" {
			if open, err = ParseAmount(s, cur); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
		}
		inv := Invoice{ID: InvoiceID(get("invoice_id")), Customer: CustomerID(get("customer_id")),
			CustomerName: get("customer_name"), Amount: amount, Open: open, PONumber: get("po_number")}
		if inv.IssueDate, err = ParseDate(get("issue_date")); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if inv.DueDate, err = ParseDate(get("due_date")); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if inv.Terms, err = ParseTerms(get("terms")); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		for _, a := range strings.Split(get("customer_accounts"), ";") {
			if a = strings.TrimSpace(a); a != "" {
				inv.CustomerAccounts = append(inv.CustomerAccounts, a)
			}
		}
		invs = append(invs, inv)
	}
	return invs
}

func readJSONIfExists(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// optionsIn is the options.json of a golden case.
type optionsIn struct {
	AutoThreshold   Confidence              `json:"auto_threshold"`
	Tolerances      tolerancesIn            `json:"tolerances"`
	Customers       map[string]customerOpts `json:"customers"`
	DuplicateWindow int                     `json:"duplicate_window"`
}

type tolerancesIn struct {
	BankFee  string `json:"bank_fee"`
	Rounding string `json:"rounding"`
	Grace    int    `json:"discount_grace_days"`
}

type customerOpts struct {
	AutoThreshold Confidence   `json:"auto_threshold"`
	Tolerances    tolerancesIn `json:"tolerances"`
}

func (in tolerancesIn) tolerances(t testing.TB) Tolerances {
	var tol Tolerances
	if in.BankFee != "" {
		tol.BankFee = mustDecimal(t, in.BankFee)
	}
	if in.Rounding != "" {
		tol.Rounding = mustDecimal(t, in.Rounding)
	}
	tol.DiscountGraceDays = in.Grace
	return tol
}

func (in optionsIn) options(t testing.TB) *Options {
	o := &Options{AutoThreshold: in.AutoThreshold, Tolerances: in.Tolerances.tolerances(t),
		DuplicateWindow: in.DuplicateWindow}
	for id, c := range in.Customers {
		if o.Customers == nil {
			o.Customers = map[CustomerID]CustomerOptions{}
		}
		o.Customers[CustomerID(id)] = CustomerOptions{AutoThreshold: c.AutoThreshold, Tolerances: c.Tolerances.tolerances(t)}
	}
	return o
}

// lineDiff shows the lines that differ between want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  got  %q\n  want %q\n", i+1, gl, wl)
		}
	}
	return b.String()
}

// TestGolden_CasesDecideAsNamed keeps each golden case honest: the
// payments whose id says what they must become are decided so, whatever
// the golden file holds.
func TestGolden_CasesDecideAsNamed(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "*", "payments.jsonl"))
	for _, f := range dirs {
		dir := filepath.Dir(f)
		invs := readInvoicesCSV(t, filepath.Join(dir, "invoices.csv"))
		var custs []Customer
		readJSONIfExists(t, filepath.Join(dir, "customers.json"), &custs)
		var oin optionsIn
		readJSONIfExists(t, filepath.Join(dir, "options.json"), &oin)
		ps := readPayments(t, f)
		ds := decideChecked(t, NewBook(invs, custs), oin.options(t), ps)
		for i, p := range ps {
			want, _, ok := strings.Cut(string(p.ID), ":")
			if !ok {
				continue
			}
			got := ds[i].Kind.String()
			if ds[i].Exception != NoReason {
				got += "/" + ds[i].Exception.String()
			}
			if got != want && !strings.HasPrefix(got, want+"/") {
				t.Errorf("%s: payment %s decided %s, its id says %s; reasons %q",
					filepath.Base(dir), p.ID, got, want, ds[i].Reasons)
			}
		}
	}
}
