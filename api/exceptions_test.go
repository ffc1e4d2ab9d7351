package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

type exceptionResp struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Reason      string `json:"reason"`
	Assignee    string `json:"assignee"`
	Version     string `json:"version"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	Customer    string `json:"customer_id"`
	Suggestions []struct {
		Rank int `json:"rank"`
	} `json:"suggestions"`
	Resolution *struct {
		Action, Actor, Note string
	} `json:"resolution"`
	Pending *struct {
		ProposedBy string `json:"proposed_by"`
	} `json:"pending"`
	Payment struct {
		Remittance string `json:"remittance"`
		Amount     string `json:"amount"`
	} `json:"payment"`
	OpenItems []struct {
		ID   string `json:"invoice_id"`
		Open string `json:"open_amount"`
	} `json:"open_items"`
}

type exceptionList struct {
	Exceptions []exceptionResp `json:"exceptions"`
	NextCursor string          `json:"next_cursor"`
}

// demoHarness is a server with the demo invoices and bank file ingested;
// h.demo is the upload's answer.
func demoHarness(t *testing.T, edit func(*Options)) *harness {
	t.Helper()
	h := newHarness(t, edit)
	h.loadDemoInvoices()
	w := h.uploadDemo()
	wantStatus(t, w, http.StatusCreated)
	decode(t, w, &h.demo)
	if h.open() < 5 {
		t.Fatalf("the demo leaves %d payments to specialists; the tests need at least 5", h.open())
	}
	return h
}

// open is how many exceptions the demo upload opened.
func (h *harness) open() int { return h.demo.Summary.Suggested + h.demo.Summary.Exceptions }

func (h *harness) exceptions(query string) exceptionList {
	h.t.Helper()
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/exceptions?" + query})
	wantStatus(h.t, w, http.StatusOK)
	var l exceptionList
	decode(h.t, w, &l)
	return l
}

func (h *harness) exception(id string) exceptionResp {
	h.t.Helper()
	w := h.do(request{role: Specialist, method: "GET", path: "/v1/exceptions/" + id})
	wantStatus(h.t, w, http.StatusOK)
	var x exceptionResp
	decode(h.t, w, &x)
	if w.Header().Get("ETag") != `"`+x.Version+`"` {
		h.t.Errorf("ETag %q, version %q", w.Header().Get("ETag"), x.Version)
	}
	return x
}

// shortPaid returns an open exception whose customer has an open invoice
// with more than 10.00 more open than the payment, and that invoice;
// skip passes over the first ones found.
func (h *harness) shortPaid(skip int) (exceptionResp, string, decimal.Decimal) {
	h.t.Helper()
	for _, l := range h.exceptions("limit=1000").Exceptions {
		if l.Customer == "" {
			continue
		}
		x := h.exception(l.ID)
		paid := decimal.RequireFromString(x.Payment.Amount)
		for _, inv := range x.OpenItems {
			open := decimal.RequireFromString(inv.Open)
			if open.Sub(paid).GreaterThan(decimal.NewFromInt(10)) {
				if skip > 0 {
					skip--
					break
				}
				return x, inv.ID, open
			}
		}
	}
	h.t.Fatal("no exception of the demo has a customer with a larger open invoice")
	return exceptionResp{}, "", decimal.Decimal{}
}

func (h *harness) resolve(role Role, id, ver, body string) *httpResponse {
	h.t.Helper()
	return h.do(request{role: role, method: "POST", path: "/v1/exceptions/" + id + "/resolve",
		body: []byte(body), contentType: "application/json", header: http.Header{"If-Match": {`"` + ver + `"`}}})
}

func TestExceptions_ListFiltersSortsPages(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	all := h.exceptions("limit=1000")
	if len(all.Exceptions) != h.open() || all.NextCursor != "" {
		t.Fatalf("open exceptions: %d (next %q), want %d", len(all.Exceptions), all.NextCursor, h.open())
	}
	for reason, n := range h.demo.Summary.ByReason {
		l := h.exceptions("limit=1000&reason=" + reason).Exceptions
		if len(l) != n {
			t.Errorf("%s: %d, want %d", reason, len(l), n)
		}
		for _, x := range l {
			if x.Reason != reason {
				t.Errorf("reason filter %s let through %s", reason, x.Reason)
			}
		}
	}
	ages := h.exceptions("limit=1000&sort=-age").Exceptions
	if len(ages) != h.open() || ages[0].ID != all.Exceptions[len(all.Exceptions)-1].ID {
		t.Errorf("newest first does not reverse oldest first")
	}
	if n := len(h.exceptions("status=resolved").Exceptions); n != 0 {
		t.Errorf("resolved: %d, want 0", n)
	}
	if n := len(h.exceptions("min_age_days=1").Exceptions); n != 0 {
		t.Errorf("a day old: %d, want 0", n)
	}

	// Largest first, and every bound holds.
	big := h.exceptions("sort=-amount&min_amount=100&max_amount=50000&limit=1000").Exceptions
	if len(big) == 0 {
		t.Fatal("no exception between 100 and 50000")
	}
	for i, x := range big {
		a := decimal.RequireFromString(x.Amount)
		if a.LessThan(decimal.NewFromInt(100)) || a.GreaterThan(decimal.NewFromInt(50000)) {
			t.Errorf("%s amount %s outside the bounds", x.ID, x.Amount)
		}
		if i > 0 && a.GreaterThan(decimal.RequireFromString(big[i-1].Amount)) {
			t.Errorf("not largest first at %d: %s after %s", i, x.Amount, big[i-1].Amount)
		}
	}

	// Pages of 10 cover the queue once.
	seen := map[string]bool{}
	q := "limit=10"
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		l := h.exceptions(q)
		for _, x := range l.Exceptions {
			if seen[x.ID] {
				t.Errorf("%s listed twice", x.ID)
			}
			seen[x.ID] = true
		}
		if l.NextCursor == "" {
			break
		}
		q = "limit=10&cursor=" + l.NextCursor
	}
	if len(seen) != h.open() {
		t.Errorf("pages held %d exceptions, want %d", len(seen), h.open())
	}

	for _, bad := range []string{"status=done", "reason=bogus", "sort=size", "min_amount=x",
		"max_age_days=-1", "limit=0", "cursor=zzz"} {
		w := h.do(request{role: Viewer, method: "GET", path: "/v1/exceptions?" + bad})
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, w.Code)
		}
	}
}

func TestExceptions_DetailAndAssign(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	x, inv, _ := h.shortPaid(0)
	if x.Payment.Amount == "" || len(x.OpenItems) == 0 || x.Customer == "" {
		t.Errorf("detail lacks remittance, open items or customer: %+v", x)
	}
	if inv == "" {
		t.Error("no open item")
	}
	wantStatus(t, h.do(request{role: Viewer, method: "GET", path: "/v1/exceptions/nosuch"}), http.StatusNotFound)

	assign := func(ver, body string) *httpResponse {
		hdr := http.Header{}
		if ver != "" {
			hdr.Set("If-Match", ver)
		}
		return h.do(request{role: Specialist, method: "POST", path: "/v1/exceptions/" + x.ID + "/assign",
			body: []byte(body), contentType: "application/json", header: hdr})
	}
	wantStatus(t, assign("", ""), http.StatusPreconditionRequired)
	wantStatus(t, assign(`"999"`, ""), http.StatusConflict)
	w := assign(`"`+x.Version+`"`, "")
	wantStatus(t, w, http.StatusOK)
	var got exceptionResp
	decode(t, w, &got)
	if got.Assignee != "Test specialist" || got.Version == x.Version {
		t.Errorf("after assign: assignee %q version %s (was %s)", got.Assignee, got.Version, x.Version)
	}
	if l := h.exceptions("assignee=Test%20specialist").Exceptions; len(l) != 1 || l[0].ID != x.ID {
		t.Errorf("assignee filter: %+v", l)
	}
	if n := len(h.exceptions("assignee=none&limit=1000").Exceptions); n != h.open()-1 {
		t.Errorf("unassigned: %d, want %d", n, h.open()-1)
	}
	// The same version again is stale now; another person takes it over
	// with the new one.
	wantStatus(t, assign(`"`+x.Version+`"`, `{"assignee":"Bo"}`), http.StatusConflict)
	wantStatus(t, assign(got.Version, `{"assignee":"Bo"}`), http.StatusOK)
	wantStatus(t, assign(`"x"`, ""), http.StatusBadRequest)
}

func TestResolve_ApplyShortPayThenUnapply(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	x, inv, open := h.shortPaid(0)
	body := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":%q}],"note":"partial payment"}`, inv, x.Payment.Amount)

	// Checks before anything is written.
	wantStatus(t, h.resolve(Specialist, x.ID, "12345", body), http.StatusConflict)
	w := h.do(request{role: Specialist, method: "POST", path: "/v1/exceptions/" + x.ID + "/resolve",
		body: []byte(body), contentType: "application/json"})
	wantStatus(t, w, http.StatusPreconditionRequired)
	bad := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":"1.00"}]}`, inv)
	w = h.resolve(Specialist, x.ID, x.Version, bad)
	wantStatus(t, w, http.StatusUnprocessableEntity)
	problemOf(t, w)
	over := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":%q}],"on_account":"-1.00"}`, inv, x.Payment.Amount)
	wantStatus(t, h.resolve(Specialist, x.ID, x.Version, over), http.StatusUnprocessableEntity)
	wantStatus(t, h.resolve(Specialist, x.ID, x.Version, `{}`), http.StatusBadRequest)
	wantStatus(t, h.resolve(Specialist, x.ID, x.Version, `{"suggestion":7}`), http.StatusUnprocessableEntity)
	wantStatus(t, h.resolve(Specialist, x.ID, x.Version, `{"allocations":[{"invoice_id":"A","amount":"1.234"}]}`), http.StatusBadRequest)

	// Resolve: the invoice keeps the difference open.
	w = h.resolve(Specialist, x.ID, x.Version, body)
	wantStatus(t, w, http.StatusOK)
	var got exceptionResp
	decode(t, w, &got)
	if got.Status != "resolved" || got.Resolution == nil || got.Resolution.Actor != "Test specialist" {
		t.Errorf("resolved exception: %+v", got)
	}
	wantStatus(t, h.resolve(Specialist, x.ID, got.Version, body), http.StatusConflict)
	left := open.Sub(decimal.RequireFromString(x.Payment.Amount)).StringFixed(2)
	if o := h.invoiceOpen(inv); o != left {
		t.Errorf("invoice %s open %s, want %s", inv, o, left)
	}
	if n := len(h.exceptions("limit=1000").Exceptions); n != h.open()-1 {
		t.Errorf("open exceptions after one resolution: %d, want %d", n, h.open()-1)
	}

	// The payment shows the allocation; unapplying it reopens both.
	p := h.payment(x.ID)
	if p.Applied != x.Payment.Amount || len(p.Allocations) != 1 || p.Allocations[0].Invoice != inv {
		t.Errorf("payment after resolve: %+v", p)
	}
	unapply := func(ver string) *httpResponse {
		return h.do(request{role: Specialist, method: "POST", path: "/v1/payments/" + x.ID + "/unapply",
			body: []byte(`{"note":"wrong invoice"}`), contentType: "application/json",
			header: http.Header{"If-Match": {ver}}})
	}
	wantStatus(t, unapply(`"1"`), http.StatusConflict)
	w = unapply(`"` + p.Version + `"`)
	wantStatus(t, w, http.StatusOK)
	var after paymentResp
	decode(t, w, &after)
	if after.Unapplied != x.Payment.Amount || len(after.Allocations) != 0 || len(after.Entries) != 2 {
		t.Errorf("payment after unapply: %+v", after)
	}
	if o := h.invoiceOpen(inv); o != open.StringFixed(2) {
		t.Errorf("invoice %s open %s after unapply, want %s", inv, o, open.StringFixed(2))
	}
	if n := len(h.exceptions("limit=1000").Exceptions); n != h.open() {
		t.Errorf("open exceptions after unapply: %d, want %d", n, h.open())
	}
}

func TestResolve_OnAccountAndNotReceivable(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	l := h.exceptions("limit=2").Exceptions
	unident, nr := l[0], l[1]
	body := fmt.Sprintf(`{"on_account":%q,"customer_id":"C1001","note":"Acme said so"}`, unident.Amount)
	w := h.resolve(Specialist, unident.ID, unident.Version, body)
	wantStatus(t, w, http.StatusOK)

	wantStatus(t, h.resolve(Specialist, nr.ID, nr.Version, `{"not_receivable":true,"on_account":"1"}`), http.StatusBadRequest)
	w = h.resolve(Approver, nr.ID, nr.Version, `{"not_receivable":true,"note":"interest"}`)
	wantStatus(t, w, http.StatusOK)

	p := h.payment(unident.ID)
	if p.OnAccount != unident.Amount || p.Unapplied != "0.00" {
		t.Errorf("on-account payment: %+v", p)
	}
	if n := len(h.exceptions("status=resolved").Exceptions); n != 2 {
		t.Errorf("resolved: %d, want 2", n)
	}
}

func TestResolve_WriteOffAboveLimitWaitsForAnotherApprover(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, func(o *Options) { o.ApprovalLimit = decimal.NewFromInt(5) })
	x, inv, open := h.shortPaid(0)
	diff := open.Sub(decimal.RequireFromString(x.Payment.Amount)).StringFixed(2)
	body := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":%q}],"write_offs":[{"invoice_id":%q,"amount":%q,"code":"short_pay"}]}`,
		inv, x.Payment.Amount, inv, diff)

	// Above the limit: it waits, and nothing is applied yet.
	w := h.resolve(Specialist, x.ID, x.Version, body)
	wantStatus(t, w, http.StatusAccepted)
	var pend exceptionResp
	decode(t, w, &pend)
	if pend.Status != "pending_approval" || pend.Pending == nil || pend.Pending.ProposedBy != "Test specialist" {
		t.Errorf("pending: %+v", pend)
	}
	if o := h.invoiceOpen(inv); o != open.StringFixed(2) {
		t.Errorf("invoice changed before approval: %s", o)
	}
	if l := h.exceptions("status=pending_approval").Exceptions; len(l) != 1 || l[0].ID != x.ID {
		t.Errorf("pending list: %+v", l)
	}
	if got := h.exception(x.ID); got.Status != "pending_approval" {
		t.Errorf("detail status %q", got.Status)
	}
	wantStatus(t, h.resolve(Specialist, x.ID, x.Version, body), http.StatusConflict)

	approve := func(role Role, token, ver string) *httpResponse {
		return h.do(request{role: role, token: token, method: "POST", path: "/v1/exceptions/" + x.ID + "/approve",
			header: http.Header{"If-Match": {ver}}})
	}
	wantStatus(t, approve(Specialist, "", `"`+x.Version+`"`), http.StatusForbidden)
	wantStatus(t, approve(Approver, "", `"99"`), http.StatusConflict)
	w = approve(Approver, "", `"`+x.Version+`"`)
	wantStatus(t, w, http.StatusOK)
	var done exceptionResp
	decode(t, w, &done)
	if done.Status != "resolved" || done.Resolution == nil || done.Resolution.Actor != "Test approver" ||
		!strings.Contains(done.Resolution.Note, "proposed by Test specialist") {
		t.Errorf("approved: %+v", done)
	}
	if o := h.invoiceOpen(inv); o != "0.00" {
		t.Errorf("invoice open %s after the approved write-off, want 0.00", o)
	}
	wantStatus(t, approve(Approver, "", `"`+done.Version+`"`), http.StatusConflict)

	// An approver's own large write-off waits for another approver too.
	y, inv2, open2 := h.shortPaid(1)
	diff2 := open2.Sub(decimal.RequireFromString(y.Payment.Amount)).StringFixed(2)
	body2 := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":%q}],"write_offs":[{"invoice_id":%q,"amount":%q,"code":"short_pay"}]}`,
		inv2, y.Payment.Amount, inv2, diff2)
	wantStatus(t, h.resolve(Approver, y.ID, y.Version, body2), http.StatusAccepted)
	w = h.do(request{role: Approver, method: "POST", path: "/v1/exceptions/" + y.ID + "/approve",
		header: http.Header{"If-Match": {y.Version}}})
	wantStatus(t, w, http.StatusForbidden)
	w = h.do(request{role: Admin, method: "POST", path: "/v1/exceptions/" + y.ID + "/reject",
		body: []byte(`{"note":"ask the customer first"}`), contentType: "application/json",
		header: http.Header{"If-Match": {y.Version}}})
	wantStatus(t, w, http.StatusOK)
	if got := h.exception(y.ID); got.Status != "open" || got.Pending != nil {
		t.Errorf("after reject: %+v", got)
	}
	w = h.do(request{role: Admin, method: "POST", path: "/v1/exceptions/" + y.ID + "/reject",
		header: http.Header{"If-Match": {y.Version}}})
	wantStatus(t, w, http.StatusConflict)

	// Below the limit a specialist resolves alone.
	small := fmt.Sprintf(`{"allocations":[{"invoice_id":%q,"amount":%q}],"write_offs":[{"invoice_id":%q,"amount":"5.00","code":"bank_fee"}]}`,
		inv2, y.Payment.Amount, inv2)
	wantStatus(t, h.resolve(Specialist, y.ID, y.Version, small), http.StatusOK)
}

func TestResolve_Bulk(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	nrs := h.exceptions("limit=3").Exceptions
	items := []string{}
	for i, x := range nrs {
		ver := x.Version
		if i == 2 {
			ver = "77"
		}
		items = append(items, fmt.Sprintf(`{"id":%q,"version":%q,"resolution":{"not_receivable":true}}`, x.ID, ver))
	}
	items = append(items, `{"id":"nosuch","version":"1","resolution":{"not_receivable":true}}`)
	w := h.do(request{role: Specialist, method: "POST", path: "/v1/exceptions/resolve",
		body: []byte(`{"items":[` + strings.Join(items, ",") + `]}`), contentType: "application/json"})
	wantStatus(t, w, http.StatusOK)
	var out struct {
		Results []struct {
			ID      string `json:"id"`
			Status  int    `json:"status"`
			Problem *struct {
				Detail string `json:"detail"`
			} `json:"problem"`
		} `json:"results"`
		Resolved, Failed int
	}
	decode(t, w, &out)
	want := []int{200, 200, 409, 404}
	if len(out.Results) != 4 || out.Resolved != 2 || out.Failed != 2 {
		t.Fatalf("bulk: %+v", out)
	}
	for i, r := range out.Results {
		if r.Status != want[i] {
			t.Errorf("item %d (%s): %d, want %d", i, r.ID, r.Status, want[i])
		}
	}
	for _, bad := range []string{`{"items":[]}`, `{"items":[{"id":"x","version":"v","resolution":{}}]}`, `{}`} {
		w := h.do(request{role: Specialist, method: "POST", path: "/v1/exceptions/resolve",
			body: []byte(bad), contentType: "application/json"})
		wantStatus(t, w, http.StatusBadRequest)
	}
}

// TestResolve_ConcurrentShareBatches resolves exceptions from many
// goroutines at once, each exception twice: one resolution of each wins,
// the other gets 409, and the queue ends empty of them.
func TestResolve_ConcurrentShareBatches(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	xs := h.exceptions("limit=1000").Exceptions
	codes := make([][2]int, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		for k := range 2 {
			wg.Go(func() {
				r := httptest.NewRequest("POST", "/v1/exceptions/"+x.ID+"/resolve",
					strings.NewReader(`{"not_receivable":true}`))
				r.Header.Set("Authorization", "Bearer "+testTokens[Specialist])
				r.Header.Set("If-Match", x.Version)
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.srv.Handler().ServeHTTP(w, r)
				codes[i][k] = w.Code
			})
		}
	}
	wg.Wait()
	for i, c := range codes {
		if !(c[0] == 200 && c[1] == 409 || c[0] == 409 && c[1] == 200) {
			t.Errorf("%s: statuses %v, want one 200 and one 409", xs[i].ID, c)
		}
	}
	if n := len(h.exceptions("limit=1000").Exceptions); n != 0 {
		t.Errorf("%d exceptions still open", n)
	}
}
