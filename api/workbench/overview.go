package workbench

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"

	"github.com/shopspring/decimal"
)

// overviewData is what the overview page shows.
type overviewData struct {
	Statements int
	Payments   int
	Auto       int
	Suggested  int
	Exceptions int
	// Applied, AppliedToday and Unapplied are totals by currency, sorted by
	// currency.
	Applied, AppliedToday, Unapplied []currencyAmount
	ByReason                         []countBar
	// Truncated is set when there were more statements than the overview
	// reads.
	Truncated bool
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

// overviewStatements is how many of the newest statements the overview
// totals.
const overviewStatements = 500

// overview totals the decisions made when the statements were read: the
// auto-match rate, cash applied (all and today's files) and cash left in
// exceptions, and the exceptions by reason.
//
// TODO: these are the outcomes at upload, from each statement's summary;
// they do not follow later resolutions and cannot show exceptions by age.
// The API's report of the live queue should replace them.
func (wb *Workbench) overview(w http.ResponseWriter, r *http.Request, s *session) error {
	if !s.me.Can("statements.read") {
		return wb.show(w, s, http.StatusOK, "overview", "Overview", "overview", overviewData{})
	}
	sts, truncated, err := wb.newestStatements(r, s, overviewStatements)
	if err != nil {
		return err
	}
	today := wb.opts.Now().UTC().Format("2006-01-02")
	d := overviewData{Statements: len(sts), Truncated: truncated}
	var (
		byReason              = map[string]int{}
		applied, appliedToday = sums{}, sums{}
		unapplied             = sums{}
	)
	for _, listed := range sts {
		var st statementView
		if _, err := wb.api.getJSON(r, s.token, "/v1/statements/"+url.PathEscape(listed.ID), &st); err != nil {
			return err
		}
		sum := st.Summary
		if sum == nil {
			continue
		}
		d.Payments += sum.Payments
		d.Auto += sum.Auto
		d.Suggested += sum.Suggested
		d.Exceptions += sum.Exceptions
		for reason, n := range sum.ByReason {
			byReason[reason] += n
		}
		applied.add(sum.Applied)
		unapplied.add(sum.Unapplied)
		if st.Received.UTC().Format("2006-01-02") == today {
			appliedToday.add(sum.Applied)
		}
	}
	d.Applied, d.AppliedToday, d.Unapplied = applied.list(), appliedToday.list(), unapplied.list()
	d.ByReason = bars(byReason)
	return wb.show(w, s, http.StatusOK, "overview", "Overview", "overview", d)
}

// newestStatements lists up to n statements, newest first, and reports
// whether there were more.
func (wb *Workbench) newestStatements(r *http.Request, s *session, n int) ([]statementView, bool, error) {
	var (
		out    []statementView
		cursor string
	)
	for {
		path := "/v1/statements?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var page struct {
			Statements []statementView `json:"statements"`
			NextCursor string          `json:"next_cursor"`
		}
		if _, err := wb.api.getJSON(r, s.token, path, &page); err != nil {
			return nil, false, err
		}
		out = append(out, page.Statements...)
		if len(out) >= n {
			return out[:n], len(out) > n || page.NextCursor != "", nil
		}
		if page.NextCursor == "" {
			return out, false, nil
		}
		cursor = page.NextCursor
	}
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
