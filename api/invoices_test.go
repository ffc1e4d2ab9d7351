package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestUploadInvoices_CSVAndList(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.do(request{role: Uploader, method: "POST", path: "/v1/invoices",
		body: readDemo(t, "invoices.csv"), contentType: "text/csv"})
	wantStatus(t, w, http.StatusOK)
	var got struct{ Imported int }
	decode(t, w, &got)
	if got.Imported != 365 {
		t.Errorf("imported %d, want 365", got.Imported)
	}

	w = h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?customer=C1001&limit=3"})
	wantStatus(t, w, http.StatusOK)
	var page struct {
		Invoices []struct {
			ID       string `json:"invoice_id"`
			Customer string `json:"customer_id"`
			Amount   string `json:"amount"`
			Open     string `json:"open_amount"`
			Terms    string `json:"terms"`
		} `json:"invoices"`
		NextCursor string `json:"next_cursor"`
	}
	decode(t, w, &page)
	if len(page.Invoices) != 3 || page.NextCursor == "" {
		t.Fatalf("first page: %+v", page)
	}
	if inv := page.Invoices[0]; inv.ID != "INV-012001" || inv.Amount != "9322.84" || inv.Open != "9322.84" {
		t.Errorf("first invoice: %+v", inv)
	}
	if page.Invoices[1].Terms != "net 45" {
		t.Errorf("terms of %s = %q", page.Invoices[1].ID, page.Invoices[1].Terms)
	}
	for _, inv := range page.Invoices {
		if inv.Customer != "C1001" {
			t.Errorf("customer filter let through %+v", inv)
		}
	}
	last := page.Invoices[2].ID
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?customer=C1001&limit=3&cursor=" + page.NextCursor})
	wantStatus(t, w, http.StatusOK)
	decode(t, w, &page)
	if len(page.Invoices) == 0 || page.Invoices[0].ID <= last {
		t.Errorf("second page does not follow %s: %+v", last, page.Invoices)
	}

	// Once paid, an invoice leaves the open list and shows under closed.
	wantStatus(t, h.uploadDemo(), http.StatusCreated)
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?status=closed&limit=1000"})
	wantStatus(t, w, http.StatusOK)
	decode(t, w, &page)
	if len(page.Invoices) == 0 {
		t.Fatal("no closed invoices after the demo upload")
	}
	for _, inv := range page.Invoices {
		if inv.Open != "0.00" {
			t.Errorf("closed list holds %s open %s", inv.ID, inv.Open)
		}
	}
	for _, bad := range []string{"status=paid", "limit=x"} {
		wantStatus(t, h.do(request{role: Viewer, method: "GET", path: "/v1/invoices?" + bad}), http.StatusBadRequest)
	}
}

func TestUploadInvoices_JSONUpsert(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	body := `{"invoices":[{"invoice_id":"INV-1","customer_id":"C9","customer_name":"Nine, Inc.","currency":"EUR",
		"amount":"100.00","issue_date":"2026-10-01","due_date":"2026-10-31","terms":"2/10 net 30",
		"customer_accounts":["DE89370400440532013000"]}]}`
	w := h.do(request{role: Admin, method: "POST", path: "/v1/invoices", body: []byte(body), contentType: "application/json"})
	wantStatus(t, w, http.StatusOK)
	// The same invoice again, with another amount before any cash met it:
	// the store updates it in place.
	body = strings.Replace(body, `"100.00"`, `"120.00"`, 1)
	w = h.do(request{role: Admin, method: "POST", path: "/v1/invoices", body: []byte(body), contentType: "application/json"})
	wantStatus(t, w, http.StatusOK)
	var res struct {
		Imported, New, Updated int
	}
	decode(t, w, &res)
	if res.Imported != 1 || res.New != 0 || res.Updated != 1 {
		t.Errorf("re-import: %+v", res)
	}

	w = h.do(request{role: Specialist, method: "GET", path: "/v1/customers/C9"})
	wantStatus(t, w, http.StatusOK)
	var c struct {
		Name      string            `json:"name"`
		Accounts  []string          `json:"accounts"`
		OpenItems []map[string]any  `json:"open_items"`
		OpenTotal map[string]string `json:"open_total"`
	}
	decode(t, w, &c)
	if c.Name != "Nine, Inc." || len(c.OpenItems) != 1 || c.OpenTotal["EUR"] != "120.00" ||
		len(c.Accounts) != 1 || c.Accounts[0] != "DE89370400440532013000" {
		t.Errorf("customer after upsert: %+v", c)
	}
	wantStatus(t, h.do(request{role: Specialist, method: "GET", path: "/v1/customers/NOPE"}), http.StatusNotFound)
}

func TestUploadInvoices_RowErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	csv := "invoice_id,customer_id,customer_name,amount,currency,issue_date,due_date\n" +
		"INV-A,C1,One,10.00,USD,2026-01-01,2026-01-31\n" +
		"INV-B,C1,One,ten,USD,2026-01-01,2026-01-31\n" +
		"INV-C,C1,One,10.00,XXX1,2026-01-01,2026-01-31\n" +
		"INV-D,C1,One,5.00,USD,2026-01-01,2026-01-31\n"
	w := h.do(request{role: Uploader, method: "POST", path: "/v1/invoices", body: []byte(csv), contentType: "text/csv"})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	var p struct {
		Imported int `json:"imported"`
		Errors   []struct {
			Row    int    `json:"row"`
			Line   int    `json:"line"`
			Column string `json:"column"`
		} `json:"errors"`
	}
	decode(t, w, &p)
	if p.Imported != 2 || len(p.Errors) != 2 || p.Errors[0].Row != 2 || p.Errors[0].Line != 3 ||
		p.Errors[0].Column != "amount" || p.Errors[1].Column != "currency" {
		t.Errorf("row errors: %+v", p)
	}

	// JSON rows are reported by row, without a line.
	w = h.do(request{role: Uploader, method: "POST", path: "/v1/invoices", contentType: "application/json",
		body: []byte(`{"invoices":[{"invoice_id":"X","customer_id":"C1","currency":"USD","amount":"1.001"}]}`)})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	p.Errors = nil
	decode(t, w, &p)
	if len(p.Errors) != 1 || p.Errors[0].Row != 1 || p.Errors[0].Line != 0 {
		t.Errorf("JSON row errors: %+v", p)
	}

	for _, c := range []struct {
		body, ct string
		status   int
	}{
		{"invoice_id,amount\nA,1\n", "text/csv", http.StatusUnprocessableEntity},
		{`{"invoices":[]}`, "application/json", http.StatusBadRequest},
		{`{"invoices":[{"bogus":1}]}`, "application/json", http.StatusBadRequest},
		{`{"invoices":[{"invoice_id":"A\nB","customer_id":"C","currency":"USD","amount":"1"}]}`, "application/json", http.StatusBadRequest},
		{`not json`, "application/json", http.StatusBadRequest},
		{`<xml/>`, "application/xml", http.StatusUnsupportedMediaType},
	} {
		w := h.do(request{role: Uploader, method: "POST", path: "/v1/invoices", body: []byte(c.body), contentType: c.ct})
		if w.Code != c.status {
			t.Errorf("%s %q: %d, want %d: %s", c.ct, c.body, w.Code, c.status, w.Body.String())
		}
	}
}
