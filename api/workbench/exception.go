package workbench

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

type exceptionData struct {
	X exceptionDetailView
	// Query keeps the queue's filters for the links back and onwards.
	Query      string
	Prev, Next string
	// Editor is the allocation form: one row per open item, then blank
	// rows for invoices the payer did not name.
	Editor []editorRow
	// Problem explains why the last change was refused; Stale is set when
	// it was refused because someone else changed the exception first.
	Problem *apiError
	Stale   bool
	// Posted holds the refused form's values, to show them again.
	Posted url.Values
}

// editorRow is one line of the allocation form.
type editorRow struct {
	Invoice string
	// Open is the invoice's open amount; empty for a blank row.
	Open   string
	Amount string
}

// blankRows is how many empty lines the allocation form offers for
// invoices that are not among the customer's open items.
const blankRows = 3

// exception shows one exception: its payment and remittance, the ranked
// suggestions, the customer's open items and the forms to resolve it.
func (wb *Workbench) exception(w http.ResponseWriter, r *http.Request, s *session) error {
	return wb.showException(w, r, s, http.StatusOK, nil, nil)
}

// showException renders the exception page with status. problem and
// posted describe a refused change, when there was one.
func (wb *Workbench) showException(w http.ResponseWriter, r *http.Request, s *session, status int,
	problem *apiError, posted url.Values) error {
	id := r.PathValue("id")
	filter := queueFilter(r.URL.Query())
	if posted != nil {
		filter = queueFilter(parseQuery(posted.Get("q")))
	}
	d := exceptionData{Query: filter.Encode(), Problem: problem, Posted: posted}
	if problem != nil {
		d.Stale = problem.Status == http.StatusConflict
	}
	if _, err := wb.api.getJSON(r, s.token, "/v1/exceptions/"+url.PathEscape(id), &d.X); err != nil {
		return err
	}
	var err error
	if d.Prev, d.Next, err = wb.neighbours(r, s, filter, id); err != nil {
		return err
	}
	d.Editor = editor(d.X, posted)
	title := "Exception " + formatAmount(d.X.Amount) + " " + d.X.Currency
	return wb.show(w, s, status, "exception", title, "queue", d)
}

// editor lays out the allocation form: the customer's open items, filled
// in with the best suggestion's amounts (or with what was posted), then
// the suggestion's other invoices and blank rows.
func editor(x exceptionDetailView, posted url.Values) []editorRow {
	suggested := map[string]string{}
	if top := x.Top(); top != nil {
		for _, a := range top.Allocations {
			suggested[a.Invoice] = a.Amount
		}
	}
	var rows []editorRow
	seen := map[string]bool{}
	for _, inv := range x.OpenItems {
		rows = append(rows, editorRow{Invoice: inv.ID, Open: inv.Open, Amount: suggested[inv.ID]})
		seen[inv.ID] = true
	}
	if top := x.Top(); top != nil {
		for _, a := range top.Allocations {
			if !seen[a.Invoice] {
				rows = append(rows, editorRow{Invoice: a.Invoice, Amount: a.Amount})
				seen[a.Invoice] = true
			}
		}
	}
	for range blankRows {
		rows = append(rows, editorRow{})
	}
	if posted != nil {
		invs, amts := posted["alloc_invoice"], posted["alloc_amount"]
		for i := range rows {
			if i < len(invs) && i < len(amts) {
				rows[i].Invoice, rows[i].Amount = invs[i], amts[i]
			}
		}
	}
	return rows
}

// resolve sends a specialist's resolution of an exception to the API, with
// the version the page showed: the API refuses it when someone else changed
// the exception since, and the page then shows the exception as it is now.
func (wb *Workbench) resolve(w http.ResponseWriter, r *http.Request, s *session) error {
	id := r.PathValue("id")
	body, err := resolution(r.PostForm)
	if err != nil {
		return wb.refused(w, r, s, &apiError{Status: http.StatusUnprocessableEntity,
			Title: "The resolution is incomplete", Detail: err.Error()})
	}

	// Where to go next is decided before the exception leaves the queue.
	filter := queueFilter(parseQuery(r.PostFormValue("q")))
	_, next, err := wb.neighbours(r, s, filter, id)
	if err != nil {
		return err
	}

	var x exceptionView
	resp, err := wb.api.sendJSON(r, s.token, apiCall{method: http.MethodPost,
		path: "/v1/exceptions/" + url.PathEscape(id) + "/resolve", ifMatch: r.PostFormValue("version")}, body, &x)
	if err := wb.changeRefused(w, r, s, err); err != errNotRefused {
		return err
	}

	msg := "Resolved the payment of " + formatAmount(x.Amount) + " " + x.Currency + "."
	if resp.Status == http.StatusAccepted {
		msg = "The write-off is above the approval limit: the resolution waits for an approver."
		next = ""
	}
	wb.sessions.setFlash(s, msg)
	switch {
	case r.PostFormValue("back") == "queue":
		http.Redirect(w, r, "/exceptions?"+filter.Encode(), http.StatusSeeOther)
	case next != "":
		http.Redirect(w, r, "/exceptions/"+url.PathEscape(next)+"?"+filter.Encode(), http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/exceptions/"+url.PathEscape(id)+"?"+filter.Encode(), http.StatusSeeOther)
	}
	return nil
}

// errNotRefused is what changeRefused returns when the API took the change.
var errNotRefused = errors.New("not refused")

// changeRefused answers a change the API refused for a reason a person can
// act on (a stale version, amounts that do not add up, a malformed form) by
// showing the exception again with the API's explanation. It returns
// errNotRefused when err is nil, and other errors as they are.
func (wb *Workbench) changeRefused(w http.ResponseWriter, r *http.Request, s *session, err error) error {
	if err == nil {
		return errNotRefused
	}
	var ae *apiError
	if errors.As(err, &ae) && ae.actionable() {
		return wb.refused(w, r, s, ae)
	}
	return err
}

func (wb *Workbench) refused(w http.ResponseWriter, r *http.Request, s *session, ae *apiError) error {
	return wb.showException(w, r, s, ae.Status, ae, r.PostForm)
}

// resolution turns the resolve form into the API's resolution. The form's
// action says which of its parts count: a suggestion by rank, explicit
// allocations (with on account and write-offs), on account alone, or not a
// receivable. Whether the amounts add up is for the API to say.
func resolution(form url.Values) (map[string]any, error) {
	body := map[string]any{}
	if note := strings.TrimSpace(form.Get("note")); note != "" {
		body["note"] = note
	}
	if c := strings.TrimSpace(form.Get("customer")); c != "" {
		body["customer_id"] = c
	}
	switch form.Get("action") {
	case "suggestion":
		rank, err := strconv.Atoi(form.Get("rank"))
		if err != nil || rank < 1 {
			return nil, fmt.Errorf("suggestion %q is not a rank", form.Get("rank"))
		}
		body["suggestion"] = rank
	case "allocate":
		allocs, err := pairs(form["alloc_invoice"], form["alloc_amount"], nil)
		if err != nil {
			return nil, err
		}
		if len(allocs) > 0 {
			body["allocations"] = allocs
		}
		wos, err := pairs(form["wo_invoice"], form["wo_amount"], form["wo_code"])
		if err != nil {
			return nil, err
		}
		if len(wos) > 0 {
			body["write_offs"] = wos
		}
		if v := strings.TrimSpace(form.Get("on_account")); v != "" {
			body["on_account"] = v
		}
		if len(allocs) == 0 && len(wos) == 0 && body["on_account"] == nil {
			return nil, errors.New("enter an amount for at least one invoice, or an amount on account")
		}
	case "on_account":
		v := strings.TrimSpace(form.Get("on_account"))
		if v == "" {
			return nil, errors.New("enter the amount to put on account")
		}
		body["on_account"] = v
	case "not_receivable":
		body["not_receivable"] = true
	default:
		return nil, fmt.Errorf("unknown action %q", form.Get("action"))
	}
	return body, nil
}

// pairs reads the lines of the allocation or write-off table: an invoice
// and an amount, and a reason code when codes is not nil. A line with
// neither invoice nor amount is skipped; a line with only one is an error.
func pairs(invoices, amounts, codes []string) ([]map[string]string, error) {
	var out []map[string]string
	for i := range invoices {
		inv := strings.TrimSpace(invoices[i])
		amt := ""
		if i < len(amounts) {
			amt = strings.TrimSpace(amounts[i])
		}
		if inv == "" && (amt == "" || isZero(amt)) {
			continue
		}
		if amt == "" || isZero(amt) {
			if codes == nil && inv != "" {
				continue // an open item left at zero is not paid
			}
			return nil, fmt.Errorf("line %d: enter an amount for invoice %s", i+1, inv)
		}
		if inv == "" {
			return nil, fmt.Errorf("line %d: enter the invoice the amount %s is for", i+1, amt)
		}
		m := map[string]string{"invoice_id": inv, "amount": amt}
		if codes != nil {
			code := ""
			if i < len(codes) {
				code = strings.TrimSpace(codes[i])
			}
			if code == "" {
				return nil, fmt.Errorf("line %d: a write-off needs a reason code", i+1)
			}
			m["code"] = code
		}
		out = append(out, m)
	}
	return out, nil
}

// isZero reports whether s is a number equal to zero, such as "0.00".
func isZero(s string) bool {
	return strings.Trim(s, "0.") == "" && strings.ContainsAny(s, "0")
}

// assign sets who works on an exception: the signed-in person, or nobody.
func (wb *Workbench) assign(w http.ResponseWriter, r *http.Request, s *session) error {
	id := r.PathValue("id")
	call := apiCall{method: http.MethodPost, path: "/v1/exceptions/" + url.PathEscape(id) + "/assign",
		ifMatch: r.PostFormValue("version")}
	var err error
	msg := "Assigned to you."
	if r.PostFormValue("to") == "nobody" {
		_, err = wb.api.sendJSON(r, s.token, call, map[string]string{"assignee": ""}, nil)
		msg = "Unassigned."
	} else {
		_, err = wb.api.do(r, s.token, call)
	}
	if err := wb.changeRefused(w, r, s, err); err != errNotRefused {
		return err
	}
	wb.sessions.setFlash(s, msg)
	http.Redirect(w, r, "/exceptions/"+url.PathEscape(id)+"?"+queueFilter(parseQuery(r.PostFormValue("q"))).Encode(),
		http.StatusSeeOther)
	return nil
}

// decide approves or rejects a write-off that waits for an approver.
func (wb *Workbench) decide(w http.ResponseWriter, r *http.Request, s *session) error {
	id := r.PathValue("id")
	verb, msg := "approve", "Approved: the resolution is applied."
	if r.PostFormValue("decision") == "reject" {
		verb, msg = "reject", "Rejected: the exception is open again."
	}
	body := map[string]string{}
	if note := strings.TrimSpace(r.PostFormValue("note")); note != "" {
		body["note"] = note
	}
	_, err := wb.api.sendJSON(r, s.token, apiCall{method: http.MethodPost,
		path:    "/v1/exceptions/" + url.PathEscape(id) + "/" + verb,
		ifMatch: r.PostFormValue("version")}, body, nil)
	if err := wb.changeRefused(w, r, s, err); err != errNotRefused {
		return err
	}
	wb.sessions.setFlash(s, msg)
	http.Redirect(w, r, "/exceptions/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

func parseQuery(s string) url.Values {
	v, _ := url.ParseQuery(s)
	return v
}
