package workbench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// report returns the API's summary report.
func (h *harness) report() summaryReportView {
	h.t.Helper()
	var rep summaryReportView
	w := h.apiCall(viewerToken, "GET", "/v1/reports/summary", "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil {
		h.t.Fatal(err)
	}
	return rep
}

func TestOverview_ShowsTheAPIsReport(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/reports/summary")
	b := h.signedIn(viewerToken)
	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Auto-match rate none yet", "0 of 0 payments", "Cash applied today none",
		"Open exceptions 0", "No open exceptions")

	h.loadDemo()
	rep := h.report()
	if rep.Payments != 300 || rep.Open == 0 || rep.Auto == 0 {
		t.Fatalf("the demo's report cannot judge the page: %+v", rep)
	}
	usd := rep.Currencies["USD"]
	p = b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p,
		"Auto-match rate "+ratePercent(rep.AutoMatchRate)+"%",
		fmt.Sprintf("%d of %d payments", rep.Auto, rep.Payments),
		"Cash applied today USD "+formatAmount(usd.Applied),
		"Cash applied USD "+formatAmount(usd.Applied),
		"Unapplied cash USD "+formatAmount(usd.Unapplied),
		fmt.Sprintf("Open exceptions %d", rep.Open))

	// One bar per reason and per age bucket, the longest full width, the
	// others in proportion.
	for _, counts := range []map[string]int{rep.OpenByReason, rep.OpenByAge} {
		top := 0
		for _, n := range counts {
			top = max(top, n)
		}
		for label, n := range counts {
			wantText(t, p, fmt.Sprintf("%s %d", humanizeLabel(label), n))
			if want := fmt.Sprintf(`<rect width="%d"`, barWidth(n, top)); !contains(p.Body, want) {
				t.Errorf("chart lacks %s for %s", want, label)
			}
		}
	}

	// The ledger of another day is not today's cash.
	h.now.Advance(24 * time.Hour)
	b = h.signedIn(viewerToken)
	wantText(t, b.get("/"), "Cash applied today none", "Cash applied USD "+formatAmount(usd.Applied))
}

func humanizeLabel(s string) string { return funcs["humanize"].(func(string) string)(s) }

func TestOverview_UploaderSeesNoLedgerFigures(t *testing.T) {
	// An uploader reads reports but not the ledger export: the page leaves
	// out what the API would refuse.
	h := newHarness(t)
	h.needRoute("/v1/reports/summary")
	h.loadDemo()
	b := h.signedIn(uploaderToken)
	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Auto-match rate")
	wantNoText(t, p, "Cash applied today")
	if contains(p.Body, `href="/exceptions"`) {
		t.Error("an uploader is shown the queue, which the API refuses them")
	}
}
