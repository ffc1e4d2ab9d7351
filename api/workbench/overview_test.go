package workbench

import (
	"net/http"
	"testing"
)

func TestOverview_TotalsStatements(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	p := b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Auto-match rate 0.0%", "0 of 0 payments", "No exceptions")

	h.loadDemo()
	p = b.get("/")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "1 newest bank files", "Auto-match rate 69.7%", "209 of 300 payments",
		"Cash applied today USD 3,273,469.47", "Unapplied cash USD 958,323.21", "Exceptions 91",
		"unidentified payer 34", "amount mismatch 32", "not receivable 25")

	// The longest bar is full width; the others are in proportion.
	for _, want := range []string{`<rect width="100"`, `<rect width="94"`, `<rect width="73"`} {
		if !contains(p.Body, want) {
			t.Errorf("chart lacks %s", want)
		}
	}

	// Files received on another day are not today's cash.
	h.now.Advance(24 * 60 * 60 * 1e9)
	b = h.signedIn(viewerToken)
	wantText(t, b.get("/"), "Cash applied today none", "Cash applied USD 3,273,469.47")
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
