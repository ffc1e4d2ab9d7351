package workbench

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestOverview_TotalsStatements(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Auto-match rate 0.0%", "0 of 0 payments", "No exceptions")

	h.loadDemo()
	sum := h.statementSummary()
	p = b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "1 newest bank files",
		fmt.Sprintf("Auto-match rate %s%%", percent(sum.Auto, sum.Payments)),
		fmt.Sprintf("%d of %d payments", sum.Auto, sum.Payments),
		"Cash applied today USD "+formatAmount(sum.Applied["USD"]),
		"Unapplied cash USD "+formatAmount(sum.Unapplied["USD"]),
		fmt.Sprintf("Exceptions %d", sum.Exceptions))

	// One bar per reason, the longest full width, the others in proportion.
	top := 0
	for _, n := range sum.ByReason {
		top = max(top, n)
	}
	for reason, n := range sum.ByReason {
		wantText(t, p, fmt.Sprintf("%s %d", strings.ReplaceAll(reason, "_", " "), n))
		if want := fmt.Sprintf(`<rect width="%d"`, n*100/top); !contains(p.Body, want) {
			t.Errorf("chart lacks %s for %s", want, reason)
		}
	}

	// Files received on another day are not today's cash.
	h.now.Advance(24 * 60 * 60 * 1e9)
	b = h.signedIn(viewerToken)
	wantText(t, b.get("/"), "Cash applied today none", "Cash applied USD "+formatAmount(sum.Applied["USD"]))
}

func TestOverview_RoleWithoutStatements(t *testing.T) {
	// Every role reads statements today; the page still copes with one
	// that does not, by asking the API what the person may do.
	h := newHarness(t)
	s := &session{me: me{Name: "Nobody", Role: "viewer"}}
	w := newTestRecorder()
	if err := h.wb.overview(w, newTestRequest("/"), s); err != nil {
		t.Fatal(err)
	}
	if w.Code != http.StatusOK || !contains(w.Body.String(), "Your role does not show figures") {
		t.Errorf("status %d\n%s", w.Code, w.Body.String())
	}
}
