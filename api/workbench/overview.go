package workbench

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// overviewData is what the overview page shows.
type overviewData struct {
	Report summaryReportView
	// Rate is the auto-match rate as a percentage with one decimal.
	Rate string
	// Applied, AppliedToday, Unapplied and OnAccount are totals by currency,
	// sorted by currency; AppliedToday is nil when the person may not read
	// the ledger.
	Applied, AppliedToday, Unapplied, OnAccount []currencyAmount
	ByReason, ByAge                             []countBar
	// TodayCapped is set when the ledger of today was longer than the
	// overview reads.
	TodayCapped bool
}

type currencyAmount struct {
	Currency string
	Amount   string
}

// countBar is one bar of a chart: a label, its count and the bar's width in
// percent of the longest.
type countBar struct {
	Label string
	Count int
	Width int
}

// maxTodayEntries bounds how much of today's ledger the overview reads.
const maxTodayEntries = 100000

// overview shows the API's report of the entity: the auto-match rate, cash
// applied today and in all, unapplied cash, and the open exceptions by
// reason and by age.
func (wb *Workbench) overview(w http.ResponseWriter, r *http.Request, s *session) error {
	d := overviewData{}
	if !s.me.Can("reports.read") {
		return wb.show(w, s, http.StatusOK, "overview", "Overview", "overview", d)
	}
	if _, err := wb.api.getJSON(r, s.token, "/v1/reports/summary", &d.Report); err != nil {
		return err
	}
	d.Rate = ratePercent(d.Report.AutoMatchRate)
	applied, unapplied, onAccount := sums{}, sums{}, sums{}
	for cur, c := range d.Report.Currencies {
		applied.add(map[string]string{cur: c.Applied})
		unapplied.add(map[string]string{cur: c.Unapplied})
		onAccount.add(map[string]string{cur: c.OnAccount})
	}
	d.Applied, d.Unapplied, d.OnAccount = applied.list(), unapplied.list(), onAccount.list()
	d.ByReason = bars(d.Report.OpenByReason)
	d.ByAge = bars(d.Report.OpenByAge)
	slices.SortFunc(d.ByAge, func(a, b countBar) int { return cmp.Compare(ageStart(a.Label), ageStart(b.Label)) })

	if s.me.Can("export.read") {
		var err error
		if d.AppliedToday, d.TodayCapped, err = wb.appliedToday(r, s); err != nil {
			return err
		}
	}
	return wb.show(w, s, http.StatusOK, "overview", "Overview", "overview", d)
}

// appliedToday totals, by currency, the cash applied to invoices since
// midnight UTC: the allocations of the API's ledger, net of their
// reversals.
func (wb *Workbench) appliedToday(r *http.Request, s *session) ([]currencyAmount, bool, error) {
	since := wb.opts.Now().UTC().Format("2006-01-02")
	total := sums{}
	read := 0
	for {
		var page struct {
			Entries   []entryView `json:"entries"`
			NextSince string      `json:"next_since"`
		}
		path := "/v1/export/allocations?limit=10000&format=json&since=" + url.QueryEscape(since)
		if _, err := wb.api.getJSON(r, s.token, path, &page); err != nil {
			return nil, false, err
		}
		for _, en := range page.Entries {
			if en.Kind == "allocation" {
				total.add(map[string]string{en.Currency: en.Amount})
			}
		}
		read += len(page.Entries)
		if len(page.Entries) < 10000 || page.NextSince == "" || page.NextSince == since {
			return total.list(), false, nil
		}
		if read >= maxTodayEntries {
			return total.list(), true, nil
		}
		since = page.NextSince
	}
}

// ratePercent writes a rate of 0 to 1, as the API gives it, as a percentage
// with one decimal: "0.863" is "86.3". Empty stays empty.
func ratePercent(rate string) string {
	d, err := decimal.NewFromString(rate)
	if err != nil {
		return ""
	}
	return d.Shift(2).StringFixed(1)
}

// ageStart is the first day of an age bucket such as "8-30" or "31+", for
// ordering the buckets.
func ageStart(label string) int {
	n, err := strconv.Atoi(strings.TrimRight(strings.SplitN(label, "-", 2)[0], "+"))
	if err != nil {
		return 1 << 30
	}
	return n
}

// sums adds decimal amounts by currency. An amount that is not a decimal is
// skipped: the API writes only decimals.
type sums map[string]decimal.Decimal

func (m sums) add(amounts map[string]string) {
	for cur, s := range amounts {
		d, err := decimal.NewFromString(s)
		if err != nil {
			continue
		}
		m[cur] = m[cur].Add(d)
	}
}

// list returns the totals sorted by currency, with two decimals at least.
func (m sums) list() []currencyAmount {
	out := make([]currencyAmount, 0, len(m))
	for cur, d := range m {
		out = append(out, currencyAmount{Currency: cur, Amount: d.StringFixed(max(2, -d.Exponent()))})
	}
	slices.SortFunc(out, func(a, b currencyAmount) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// bars turns counts by label into chart bars, largest first, then by label.
func bars(counts map[string]int) []countBar {
	out := make([]countBar, 0, len(counts))
	top := 0
	for label, n := range counts {
		out = append(out, countBar{Label: label, Count: n})
		top = max(top, n)
	}
	slices.SortFunc(out, func(a, b countBar) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	for i := range out {
		out[i].Width = barWidth(out[i].Count, top)
	}
	return out
}
