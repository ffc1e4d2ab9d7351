package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type paymentResp struct {
	Payment struct {
		ID     string `json:"id"`
		Amount string `json:"amount"`
	} `json:"payment"`
	Decision    string `json:"decision"`
	Version     string `json:"version"`
	Applied     string `json:"applied"`
	OnAccount   string `json:"on_account"`
	Unapplied   string `json:"unapplied"`
	Allocations []struct {
		Invoice string `json:"invoice_id"`
		Amount  string `json:"amount"`
	} `json:"allocations"`
	Entries []struct {
		Entry    string `json:"entry"`
		Kind     string `json:"kind"`
		Reverses string `json:"reverses"`
	} `json:"entries"`
}

func (h *harness) payment(id string) paymentResp {
	h.t.Helper()
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/payments/" + id})
	wantStatus(h.t, w, http.StatusOK)
	var p paymentResp
	decode(h.t, w, &p)
	if w.Header().Get("ETag") != `"`+p.Version+`"` {
		h.t.Errorf("ETag %q, version %q", w.Header().Get("ETag"), p.Version)
	}
	return p
}

// invoiceOpen returns an invoice's open amount.
func (h *harness) invoiceOpen(id string) string {
	h.t.Helper()
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?status=all&limit=1000"})
	wantStatus(h.t, w, http.StatusOK)
	var l struct {
		Invoices []struct {
			ID   string `json:"invoice_id"`
			Open string `json:"open_amount"`
		} `json:"invoices"`
	}
	decode(h.t, w, &l)
	for _, inv := range l.Invoices {
		if inv.ID == id {
			return inv.Open
		}
	}
	h.t.Fatalf("no invoice %s", id)
	return ""
}

// autoPayment returns an auto-applied payment of the demo: the first entry
// of the export is one.
func (h *harness) autoPayment() paymentResp {
	h.t.Helper()
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/export/allocations?limit=1"})
	wantStatus(h.t, w, http.StatusOK)
	var e struct {
		Entries []struct {
			Payment string `json:"payment_id"`
		} `json:"entries"`
	}
	decode(h.t, w, &e)
	if len(e.Entries) != 1 {
		h.t.Fatalf("export: %s", w.Body.String())
	}
	return h.payment(e.Entries[0].Payment)
}

func TestPayments_AutoAppliedThenUnapplied(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	p := h.autoPayment()
	if p.Decision != "auto" || p.Applied != p.Payment.Amount || p.Unapplied != "0.00" || len(p.Allocations) == 0 {
		t.Fatalf("auto payment: %+v", p)
	}
	inv := p.Allocations[0].Invoice
	if o := h.invoiceOpen(inv); o != "0.00" {
		t.Errorf("invoice %s open %s, want 0.00", inv, o)
	}
	wantStatus(t, h.do(request{role: Viewer, method: "GET", path: "/v1/payments/nosuch"}), http.StatusNotFound)
	w := h.do(request{role: Specialist, method: "POST", path: "/v1/payments/" + p.Payment.ID + "/unapply"})
	wantStatus(t, w, http.StatusPreconditionRequired)

	w = h.do(request{role: Specialist, method: "POST", path: "/v1/payments/" + p.Payment.ID + "/unapply",
		header: http.Header{"If-Match": {`"` + p.Version + `"`}}})
	wantStatus(t, w, http.StatusOK)
	if o := h.invoiceOpen(inv); o == "0.00" {
		t.Errorf("invoice %s still closed after unapply", inv)
	}
	// The payment is an exception now.
	x := h.exception(p.Payment.ID)
	if x.Status != "open" || x.Amount != p.Payment.Amount {
		t.Errorf("exception after unapplying an auto payment: %+v", x)
	}
	// Nothing is left to unapply.
	after := h.payment(p.Payment.ID)
	w = h.do(request{role: Specialist, method: "POST", path: "/v1/payments/" + p.Payment.ID + "/unapply",
		header: http.Header{"If-Match": {after.Version}}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
}

func TestExport_JSONAndCSVPages(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	var all []string
	since := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("export paging does not end")
		}
		w := h.do(request{role: Viewer, method: "GET", path: "/v1/export/allocations?limit=100&since=" + since})
		wantStatus(t, w, http.StatusOK)
		var e struct {
			Entries []struct {
				Entry, Kind, Amount, Currency string
				Invoice                       string `json:"invoice_id"`
			} `json:"entries"`
			NextSince string `json:"next_since"`
		}
		decode(t, w, &e)
		if w.Header().Get("X-Next-Since") != e.NextSince {
			t.Errorf("X-Next-Since %q, next_since %q", w.Header().Get("X-Next-Since"), e.NextSince)
		}
		if len(e.Entries) == 0 {
			break
		}
		for _, en := range e.Entries {
			if (en.Kind == "allocation" || en.Kind == "adjustment") != (en.Invoice != "") || en.Currency != "USD" {
				t.Errorf("entry %+v", en)
			}
			all = append(all, en.Entry)
		}
		since = e.NextSince
	}
	// Each auto payment has at least one allocation.
	if len(all) < h.demo.Summary.Auto {
		t.Errorf("exported %d entries, want at least %d", len(all), h.demo.Summary.Auto)
	}

	for _, c := range []struct {
		path   string
		header http.Header
	}{
		{"/v1/export/allocations?format=csv&since=0", nil},
		{"/v1/export/allocations?since=2000-01-01", http.Header{"Accept": {"text/csv"}}},
	} {
		w := h.do(request{role: Admin, method: "GET", path: c.path, header: c.header})
		wantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "text/csv" {
			t.Errorf("%s: Content-Type %q", c.path, ct)
		}
		rows, err := csv.NewReader(strings.NewReader(w.Body.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(exportColumns, ",") || len(rows)-1 != len(all) {
			t.Errorf("%s: header %v, %d rows, want %d", c.path, rows[0], len(rows)-1, len(all))
		}
	}
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/export/allocations?since=2999-01-01"})
	wantStatus(t, w, http.StatusOK)
	if strings.Contains(w.Body.String(), `"entry"`) {
		t.Errorf("entries after a future date: %s", w.Body.String())
	}
	for _, bad := range []string{"since=yesterday", "format=xml", "limit=0", "limit=20000"} {
		wantStatus(t, h.do(request{role: Viewer, method: "GET", path: "/v1/export/allocations?" + bad}), http.StatusBadRequest)
	}
}

func TestReports_SummaryAndCustomer(t *testing.T) {
	t.Parallel()
	h := demoHarness(t, nil)
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/reports/summary"})
	wantStatus(t, w, http.StatusOK)
	var s struct {
		Payments, Auto, Exceptions int
		Rate                       string         `json:"auto_match_rate"`
		Open                       int            `json:"open_exceptions"`
		ByReason                   map[string]int `json:"open_by_reason"`
		ByAge                      map[string]int `json:"open_by_age"`
		Currencies                 map[string]map[string]string
	}
	decode(t, w, &s)
	d := h.demo.Summary
	if s.Payments != 300 || s.Auto != d.Auto || s.Rate != ratio(d.Auto, 300) || s.Open != h.open() ||
		fmt.Sprint(s.ByReason) != fmt.Sprint(d.ByReason) || s.ByAge["0-1"] != h.open() ||
		s.Currencies["USD"]["applied"] != d.Applied["USD"] {
		t.Errorf("summary: %+v\nupload: %+v", s, d)
	}

	// A customer who paid invoices on the demo's value date.
	p := h.autoPayment()
	inv := p.Allocations[0].Invoice
	var cust string
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?status=closed&limit=1000"})
	var closed struct {
		Invoices []struct {
			ID       string `json:"invoice_id"`
			Customer string `json:"customer_id"`
		} `json:"invoices"`
	}
	decode(t, w, &closed)
	for _, c := range closed.Invoices {
		if c.ID == inv {
			cust = c.Customer
		}
	}
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/reports/customers/" + cust})
	wantStatus(t, w, http.StatusOK)
	var cr struct {
		Paid      int    `json:"invoices_paid"`
		DaysToPay string `json:"average_days_to_pay"`
		Payments  int    `json:"payments"`
	}
	decode(t, w, &cr)
	if cr.Paid == 0 || cr.DaysToPay == "" || cr.Payments == 0 {
		t.Errorf("customer %s report: %+v", cust, cr)
	}
	wantStatus(t, h.do(request{role: Viewer, method: "GET", path: "/v1/reports/customers/NOPE"}), http.StatusNotFound)
}
