package workbench

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// exceptions lists what the API's queue holds for query.
func (h *harness) exceptions(query string) []exceptionView {
	h.t.Helper()
	var page exceptionPage
	w := h.apiCall(viewerToken, "GET", "/v1/exceptions?limit=1000&"+query, "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		h.t.Fatal(err)
	}
	return page.Exceptions
}

func (h *harness) exception(id string) exceptionDetailView {
	h.t.Helper()
	var x exceptionDetailView
	w := h.apiCall(viewerToken, "GET", "/v1/exceptions/"+url.PathEscape(id), "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &x); err != nil {
		h.t.Fatal(err)
	}
	return x
}

// openAmount returns an invoice's open amount as the API says.
func (h *harness) openAmount(customer, invoice string) decimal.Decimal {
	h.t.Helper()
	var page struct {
		Invoices []invoiceView `json:"invoices"`
	}
	w := h.apiCall(viewerToken, "GET", "/v1/invoices?status=all&limit=1000&customer="+url.QueryEscape(customer), "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		h.t.Fatal(err)
	}
	for _, inv := range page.Invoices {
		if inv.ID == invoice {
			return decimal.RequireFromString(inv.Open)
		}
	}
	h.t.Fatalf("no invoice %s of %s", invoice, customer)
	return decimal.Decimal{}
}

// suggested returns the open exceptions whose best suggestion applies cash
// to invoices, oldest first; the demo must have at least two.
func (h *harness) suggested() []exceptionView {
	h.t.Helper()
	var out []exceptionView
	for _, x := range h.exceptions("status=open") {
		if top := x.Top(); top != nil && len(top.Allocations) > 0 {
			out = append(out, x)
		}
	}
	if len(out) < 2 {
		h.t.Fatalf("the demo has %d exceptions with a suggestion; the tests need two", len(out))
	}
	return out
}

func TestQueue_ListsCountsAndFilters(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	all := h.exceptions("status=open")
	total := sums{}
	for _, x := range all {
		total.add(map[string]string{x.Currency: x.Amount})
	}
	b := h.signedIn(specialistToken)
	p := b.get("/exceptions")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, fmt.Sprintf("Exceptions selected %d", len(all)),
		"Total USD "+formatAmount(total.list()[0].Amount))
	for _, x := range all {
		if !contains(p.Body, `id="x-`+x.ID+`"`) {
			t.Errorf("queue lacks exception %s", x.ID)
		}
	}

	// A filter by customer shows that customer's exceptions only.
	customer := all[0].Customer
	p = b.get("/exceptions?customer=" + url.QueryEscape(customer))
	want := h.exceptions("customer=" + url.QueryEscape(customer))
	wantText(t, p, fmt.Sprintf("Exceptions selected %d", len(want)))
	if n := strings.Count(p.Body, `<tr data-href=`); n != len(want) {
		t.Errorf("%d rows for customer %s, want %d", n, customer, len(want))
	}

	// Largest first, as the API sorts.
	p = b.get("/exceptions?sort=-amount")
	largest := h.exceptions("sort=-amount")[0]
	if i, j := strings.Index(p.Body, `id="x-`+largest.ID+`"`), strings.Index(p.Body, `<tr data-href=`); i < 0 || i-j > 200 {
		t.Errorf("the largest exception %s is not the first row", largest.ID)
	}

	// Pages of the queue follow the API's cursor.
	h.wb.queuePage = 5
	p = b.get("/exceptions")
	if n := strings.Count(p.Body, `<tr data-href=`); n != min(5, len(all)) {
		t.Errorf("%d rows on a page of 5", n)
	}
	if len(all) > 5 {
		wantText(t, p, "Next page")
		next := regexpFind(t, p.Body, `href="(/exceptions\?cursor=[^"]+)" rel="next"`)
		p2 := b.get(strings.ReplaceAll(next, "&amp;", "&"))
		wantStatus(t, p2, http.StatusOK)
		if !contains(p2.Body, `id="x-`+all[5].ID+`"`) {
			t.Errorf("the second page does not start with the sixth exception %s", all[5].ID)
		}
	}

	// A filter the API refuses is shown with its reason.
	p = b.get("/exceptions?min_amount=lots")
	wantStatus(t, p, http.StatusBadRequest)
	wantText(t, p, `min_amount "lots" is not a decimal number`)
}

func TestQueue_RolesAsTheAPISays(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()

	// A viewer sees the queue but no button that changes it.
	v := h.signedIn(viewerToken)
	p := v.get("/exceptions")
	wantStatus(t, p, http.StatusOK)
	if contains(p.Body, `class="apply`) {
		t.Error("a viewer is offered to apply suggestions")
	}
	x := h.suggested()[0]
	p = v.get("/exceptions/" + x.ID)
	wantStatus(t, p, http.StatusOK)
	for _, form := range []string{"/resolve", "/assign"} {
		if contains(p.Body, `action="/exceptions/`+x.ID+form+`"`) {
			t.Errorf("a viewer is offered the form %s", form)
		}
	}

	// A form made by hand is refused by the API, and nothing changes.
	p = v.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"suggestion"}, "rank": {"1"},
		"version": {x.Version}})
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, p, "the viewer role may not exceptions.resolve")
	if got := h.exception(x.ID); got.Status != "open" {
		t.Errorf("status %s after a refused resolution", got.Status)
	}

	// An uploader may not read the queue at all.
	u := h.signedIn(uploaderToken)
	p = u.get("/exceptions")
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, p, "the uploader role may not exceptions.read")
}

func TestException_ApplySuggestionThenUnapply(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	queue := h.suggested()
	x, next := h.exception(queue[0].ID), queue[1]
	alloc := x.Top().Allocations[0]
	before := h.openAmount(x.Top().Customer, alloc.Invoice)

	b := h.signedIn(specialistToken)
	p := b.get("/exceptions/" + x.ID + "?status=open")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, formatAmount(x.Amount), "Suggestions", confidencePercent(x.Top().Confidence), alloc.Invoice)
	for _, reason := range x.Top().Reasons {
		wantText(t, p, reason)
	}
	if !contains(p.Body, `class="apply top"`) {
		t.Error("no apply form for the top suggestion")
	}

	// Apply the top suggestion: the page moves on to the next exception.
	p = b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"suggestion"}, "rank": {"1"},
		"version": {x.Version}, "q": {"status=open"}})
	wantStatus(t, p, http.StatusSeeOther)
	if want := "/exceptions/" + next.ID + "?status=open"; p.Location() != want {
		t.Errorf("after applying, redirect to %q, want %q", p.Location(), want)
	}
	p = b.follow(p)
	wantText(t, p, "Resolved the payment of "+formatAmount(x.Amount))

	after := h.openAmount(x.Top().Customer, alloc.Invoice)
	if want := before.Sub(decimal.RequireFromString(alloc.Amount)); !after.Equal(want) {
		t.Errorf("invoice %s open %s after applying %s to %s", alloc.Invoice, after, alloc.Amount, before)
	}
	if got := h.exception(x.ID); got.Status != "resolved" {
		t.Errorf("exception %s is %s after applying", x.ID, got.Status)
	}

	// Undo it from the payment's page.
	p = b.get("/payments/" + x.ID)
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Applied now", alloc.Invoice, "Unapply")
	version := regexpFind(t, p.Body, `action="/payments/[^"]+/unapply"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+">\s*<input type="hidden" name="version" value="([^"]+)"`)
	p = b.post("/payments/"+x.ID+"/unapply", url.Values{"version": {version}, "note": {"wrong customer"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = b.follow(p)
	wantText(t, p, "Unapplied: its invoices are open again", "Nothing is applied to invoices")
	if got := h.openAmount(x.Top().Customer, alloc.Invoice); !got.Equal(before) {
		t.Errorf("invoice %s open %s after unapplying, want %s", alloc.Invoice, got, before)
	}
	if got := h.exception(x.ID); got.Status != "open" {
		t.Errorf("exception %s is %s after unapplying, want open", x.ID, got.Status)
	}
}

func TestException_StaleVersionIsShownNotOverwritten(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	x := h.suggested()[0]

	b := h.signedIn(specialistToken)
	wantStatus(t, b.get("/exceptions/"+x.ID), http.StatusOK)

	// Someone else takes the exception meanwhile.
	h.apiCallHeader(approverToken, "POST", "/v1/exceptions/"+x.ID+"/assign", "", nil, "If-Match", x.Version)

	p := b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"suggestion"}, "rank": {"1"},
		"version": {x.Version}})
	wantStatus(t, p, http.StatusConflict)
	wantText(t, p, "Someone else changed this exception while you were looking at it. Your change was not saved.",
		"assigned to Pat Approver")
	if got := h.exception(x.ID); got.Status != "open" {
		t.Errorf("a stale resolution was applied: status %s", got.Status)
	}

	// The page shows the new version: resolving from it works.
	version := regexpFind(t, p.Body, `name="version" value="([^"]+)"`)
	if version == x.Version {
		t.Fatalf("the page still offers the stale version %s", version)
	}
	p = b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"suggestion"}, "rank": {"1"},
		"version": {version}})
	wantStatus(t, p, http.StatusSeeOther)
}

func TestException_FormsNeedCSRFToken(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	x := h.suggested()[0]
	b := h.signedIn(specialistToken)
	for _, path := range []string{"/resolve", "/assign", "/decide"} {
		p := b.post("/exceptions/"+x.ID+path, url.Values{csrfField: {"forged"}, "action": {"suggestion"},
			"rank": {"1"}, "version": {x.Version}})
		wantStatus(t, p, http.StatusForbidden)
		wantText(t, p, "Form expired")
	}
	p := b.post("/payments/"+x.ID+"/unapply", url.Values{csrfField: {""}, "version": {x.Version}})
	wantStatus(t, p, http.StatusForbidden)
	if got := h.exception(x.ID); got.Status != "open" || got.Assignee != "" || got.Version != x.Version {
		t.Errorf("a refused form changed the exception: %+v", got.exceptionView)
	}
}

func TestException_AllocateOnAccountNotReceivableAndAssign(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	queue := h.suggested()
	b := h.signedIn(specialistToken)

	// Assign to me, then the queue filtered by assignee shows it.
	x := queue[0]
	b.get("/exceptions/" + x.ID)
	p := b.follow(b.post("/exceptions/"+x.ID+"/assign", url.Values{"to": {"me"}, "version": {x.Version}}))
	wantText(t, p, "Assigned to you.", "assigned to Sam Specialist", "Unassign me")
	p = b.get("/exceptions?assignee=" + url.QueryEscape("Sam Specialist"))
	if !contains(p.Body, `id="x-`+x.ID+`"`) || strings.Count(p.Body, `<tr data-href=`) != 1 {
		t.Error("the queue filtered by assignee does not show exactly the assigned exception")
	}

	// Allocations that do not add up are refused with the API's reason, and
	// the form keeps what was typed.
	xd := h.exception(x.ID)
	inv := xd.Top().Allocations[0].Invoice
	p = b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"allocate"}, "version": {xd.Version},
		"customer": {xd.Top().Customer}, "alloc_invoice": {inv}, "alloc_amount": {"1.00"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantText(t, p, "The change does not add up")
	if !contains(p.Body, `value="1.00"`) {
		t.Error("the refused amount is not shown again")
	}

	// Allocate explicitly: the amount to the invoice.
	p = b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"allocate"}, "version": {xd.Version},
		"customer": {xd.Top().Customer}, "alloc_invoice": {inv, ""}, "alloc_amount": {xd.Amount, ""},
		"note": {"checked with the customer"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := h.exception(x.ID); got.Status != "resolved" || got.Resolution == nil ||
		!strings.Contains(got.Resolution.Note, "checked with the customer") {
		t.Errorf("after allocating: %+v", got.exceptionView)
	}

	// On account.
	y := h.exception(queue[1].ID)
	p = b.post("/exceptions/"+y.ID+"/resolve", url.Values{"action": {"on_account"}, "version": {y.Version},
		"customer": {y.Top().Customer}, "on_account": {y.Amount}})
	wantStatus(t, p, http.StatusSeeOther)
	var pay paymentDetailView
	if err := json.Unmarshal(h.apiCall(viewerToken, "GET", "/v1/payments/"+y.ID, "", nil).Body.Bytes(), &pay); err != nil {
		t.Fatal(err)
	}
	if !decimal.RequireFromString(pay.OnAccount).Equal(decimal.RequireFromString(y.Amount)) {
		t.Errorf("on account %s, want %s", pay.OnAccount, y.Amount)
	}

	// Not a receivable.
	rest := h.suggested()
	z := rest[0]
	p = b.post("/exceptions/"+z.ID+"/resolve", url.Values{"action": {"not_receivable"}, "version": {z.Version},
		"note": {"interest"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := h.exception(z.ID); got.Status != "resolved" {
		t.Errorf("not a receivable: status %s", got.Status)
	}
}

func TestException_LargeWriteOffWaitsForAnotherApprover(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	x := h.exception(h.suggested()[0].ID)
	alloc := x.Top().Allocations[0]
	amount := decimal.RequireFromString(x.Amount)
	short := decimal.RequireFromString("150.00")

	// Apply all but 150 to the invoice, hold 150 on account and write the
	// invoice's 150 off: above the limit of 100.
	s := h.signedIn(specialistToken)
	p := s.get("/exceptions/" + x.ID)
	wantText(t, p, "Write-offs above 100 USD in all wait for an approver other than you.")
	p = s.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"allocate"}, "version": {x.Version},
		"customer":      {x.Top().Customer},
		"alloc_invoice": {alloc.Invoice}, "alloc_amount": {amount.Sub(short).StringFixed(2)},
		"on_account": {short.StringFixed(2)},
		"wo_invoice": {alloc.Invoice}, "wo_amount": {short.StringFixed(2)}, "wo_code": {"short_pay"}})
	wantStatus(t, p, http.StatusSeeOther)
	p = s.follow(p)
	wantText(t, p, "waits for an approver", "Sam Specialist proposed a resolution that waits for an approver",
		"write off 150.00 of "+alloc.Invoice+" (short_pay)")
	if contains(p.Body, `value="approve"`) {
		t.Error("a specialist is offered to approve")
	}
	if got := h.exception(x.ID); got.Status != "pending_approval" || got.Pending == nil {
		t.Fatalf("a write-off above the limit is %s, want pending_approval", got.Status)
	}

	// The specialist cannot approve by hand; the approver can.
	version := h.exception(x.ID).Version
	p = s.post("/exceptions/"+x.ID+"/decide", url.Values{"decision": {"approve"}, "version": {version}})
	wantStatus(t, p, http.StatusForbidden)
	a := h.signedIn(approverToken)
	p = a.get("/exceptions/" + x.ID)
	if !contains(p.Body, `value="approve"`) {
		t.Fatal("the approver is not offered to approve")
	}
	p = a.follow(a.post("/exceptions/"+x.ID+"/decide", url.Values{"decision": {"approve"}, "version": {version}}))
	wantText(t, p, "Approved: the resolution is applied.")
	if got := h.exception(x.ID); got.Status != "resolved" {
		t.Errorf("after approval: %s", got.Status)
	}
}

func TestQueue_ApplyFromRowStaysOnQueue(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	x := h.suggested()[0]
	b := h.signedIn(specialistToken)
	p := b.get("/exceptions?sort=-amount")
	if !contains(p.Body, `name="back" value="queue"`) {
		t.Fatal("the queue's rows have no apply form")
	}
	p = b.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"suggestion"}, "rank": {"1"},
		"version": {x.Version}, "back": {"queue"}, "q": {"sort=-amount"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location() != "/exceptions?sort=-amount" {
		t.Errorf("redirect to %q, want the queue as it was sorted", p.Location())
	}
	p = b.follow(p)
	wantText(t, p, "Resolved the payment of "+formatAmount(x.Amount))
	if contains(p.Body, `id="x-`+x.ID+`"`) {
		t.Error("the resolved exception is still in the open queue")
	}
}

func TestException_RejectSendsWriteOffBack(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/exceptions")
	h.loadDemo()
	x := h.exception(h.suggested()[0].ID)
	alloc := x.Top().Allocations[0]
	short := decimal.RequireFromString("500.00")
	s := h.signedIn(specialistToken)
	s.get("/exceptions/" + x.ID)
	p := s.post("/exceptions/"+x.ID+"/resolve", url.Values{"action": {"allocate"}, "version": {x.Version},
		"customer":      {x.Top().Customer},
		"alloc_invoice": {alloc.Invoice}, "alloc_amount": {decimal.RequireFromString(x.Amount).Sub(short).StringFixed(2)},
		"on_account": {short.StringFixed(2)},
		"wo_invoice": {alloc.Invoice}, "wo_amount": {short.StringFixed(2)}, "wo_code": {"short_pay"}})
	wantStatus(t, p, http.StatusSeeOther)

	a := h.signedIn(approverToken)
	pending := h.exception(x.ID)
	wantText(t, a.get("/exceptions/"+x.ID), "waits for an approver")
	p = a.follow(a.post("/exceptions/"+x.ID+"/decide", url.Values{"decision": {"reject"},
		"version": {pending.Version}, "note": {"ask the customer first"}}))
	wantText(t, p, "Rejected: the exception is open again.")
	if got := h.exception(x.ID); got.Status != "open" || got.Pending != nil {
		t.Errorf("after rejecting: status %s, pending %v", got.Status, got.Pending)
	}
}

func TestPayment_UnapplyStaleAndRoles(t *testing.T) {
	h := newHarness(t)
	h.needRoute("/v1/payments/x")
	h.loadDemo()
	x := h.suggested()[0]
	h.apiCallHeader(specialistToken, "POST", "/v1/exceptions/"+x.ID+"/resolve", "application/json",
		[]byte(`{"suggestion":1}`), "If-Match", x.Version)
	var pay paymentDetailView
	if err := json.Unmarshal(h.apiCall(viewerToken, "GET", "/v1/payments/"+x.ID, "", nil).Body.Bytes(), &pay); err != nil {
		t.Fatal(err)
	}

	// A viewer sees the payment but no Unapply, and a hand-made form is
	// refused by the API.
	v := h.signedIn(viewerToken)
	p := v.get("/payments/" + x.ID)
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Applied now", pay.Allocations[0].Invoice)
	if contains(p.Body, "/unapply") {
		t.Error("a viewer is offered to unapply")
	}
	p = v.post("/payments/"+x.ID+"/unapply", url.Values{"version": {pay.Version}})
	wantStatus(t, p, http.StatusForbidden)

	// Someone unapplies first; the specialist's older page cannot unapply
	// again and says why.
	b := h.signedIn(specialistToken)
	b.get("/payments/" + x.ID)
	h.apiCallHeader(approverToken, "POST", "/v1/payments/"+x.ID+"/unapply", "", nil, "If-Match", pay.Version)
	p = b.post("/payments/"+x.ID+"/unapply", url.Values{"version": {pay.Version}})
	wantStatus(t, p, http.StatusConflict)
	wantText(t, p, "Someone else changed this payment while you were looking at it. Nothing was unapplied.")

	p = b.get("/payments/nope")
	wantStatus(t, p, http.StatusNotFound)
}
