package workbench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// invoiceView is an open item as the API answers it.
type invoiceView struct {
	ID           string `json:"invoice_id"`
	Customer     string `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	Currency     string `json:"currency"`
	Amount       string `json:"amount"`
	Open         string `json:"open_amount"`
	IssueDate    string `json:"issue_date"`
	DueDate      string `json:"due_date"`
	Terms        string `json:"terms"`
	PONumber     string `json:"po_number"`
}

type rowErrorView struct {
	Row     int    `json:"row"`
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

type invoicesData struct {
	Invoices []invoiceView
	// Filter is the query of the page, for the filter form and the links.
	Filter url.Values
	Next   string
	// Error and Rows explain a refused upload.
	Error, ErrorDetail string
	Rows               []rowErrorView
}

// invoices lists invoices filtered by customer and status, a page at a
// time, with the upload form of the ERP's export for those who may upload.
func (wb *Workbench) invoices(w http.ResponseWriter, r *http.Request, s *session) error {
	return wb.showInvoices(w, r, s, http.StatusOK, invoicesData{})
}

func (wb *Workbench) showInvoices(w http.ResponseWriter, r *http.Request, s *session, status int, d invoicesData) error {
	in := r.URL.Query()
	q := url.Values{"limit": {"100"}}
	for _, k := range []string{"customer", "status", "cursor"} {
		if v := in.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	var page struct {
		Invoices   []invoiceView `json:"invoices"`
		NextCursor string        `json:"next_cursor"`
	}
	if _, err := wb.api.getJSON(r, s.token, "/v1/invoices?"+q.Encode(), &page); err != nil {
		return err
	}
	d.Invoices = page.Invoices
	d.Filter = url.Values{}
	for _, k := range []string{"customer", "status"} {
		if v := in.Get(k); v != "" {
			d.Filter.Set(k, v)
		}
	}
	if page.NextCursor != "" {
		d.Next = "/invoices" + withQuery(d.Filter, "cursor", page.NextCursor)
	}
	return wb.show(w, s, status, "invoices", "Invoices", "invoices", d)
}

// uploadInvoices sends the ERP's CSV export of open items to the API. Valid
// rows are stored even when others are not; those are listed.
func (wb *Workbench) uploadInvoices(w http.ResponseWriter, r *http.Request, s *session, name string, file io.Reader) error {
	resp, err := wb.api.do(r, s.token, apiCall{method: http.MethodPost, path: "/v1/invoices",
		body: file, contentType: "text/csv"})
	var ae *apiError
	if errors.As(err, &ae) && ae.Status != http.StatusUnauthorized && ae.Status != http.StatusForbidden {
		d := invoicesData{Error: ae.Title, ErrorDetail: ae.Detail}
		if raw, ok := ae.Extra["errors"]; ok {
			json.Unmarshal(raw, &d.Rows)
		}
		return wb.showInvoices(w, r, s, ae.Status, d)
	}
	if err != nil {
		return err
	}
	var out struct {
		Imported int `json:"imported"`
	}
	if err := decodeJSON(resp, &out); err != nil {
		return err
	}
	wb.sessions.setFlash(s, fmt.Sprintf("%s: %d invoices added or updated.", name, out.Imported))
	http.Redirect(w, r, "/invoices", http.StatusSeeOther)
	return nil
}

// customerView is a customer with its open items.
type customerView struct {
	ID        string            `json:"customer_id"`
	Name      string            `json:"name"`
	Aliases   []string          `json:"aliases"`
	Accounts  []string          `json:"accounts"`
	OpenItems []invoiceView     `json:"open_items"`
	OpenTotal map[string]string `json:"open_total"`
}

// customer shows a customer, the names and accounts it pays under and its
// open items.
func (wb *Workbench) customer(w http.ResponseWriter, r *http.Request, s *session) error {
	var c customerView
	if _, err := wb.api.getJSON(r, s.token, "/v1/customers/"+url.PathEscape(r.PathValue("id")), &c); err != nil {
		return err
	}
	return wb.show(w, s, http.StatusOK, "customer", c.Name, "invoices", c)
}
