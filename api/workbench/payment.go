package workbench

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

type paymentData struct {
	P paymentDetailView
	// Problem explains why the last change was refused; Stale is set when
	// someone else changed the payment first.
	Problem *apiError
	Stale   bool
}

// payment shows a payment, the engine's decision, what is applied of it now
// and its ledger, with the form to unapply it.
func (wb *Workbench) payment(w http.ResponseWriter, r *http.Request, s *session) error {
	return wb.showPayment(w, r, s, http.StatusOK, nil)
}

func (wb *Workbench) showPayment(w http.ResponseWriter, r *http.Request, s *session, status int, problem *apiError) error {
	d := paymentData{Problem: problem, Stale: problem != nil && problem.Status == http.StatusConflict}
	if _, err := wb.api.getJSON(r, s.token, "/v1/payments/"+url.PathEscape(r.PathValue("id")), &d.P); err != nil {
		return err
	}
	title := "Payment " + formatAmount(d.P.Payment.Amount) + " " + d.P.Payment.Currency
	return wb.show(w, s, status, "payment", title, "queue", d)
}

// unapply reverses what is applied of a payment, at the version the page
// showed: its invoices reopen and it goes back to the queue.
func (wb *Workbench) unapply(w http.ResponseWriter, r *http.Request, s *session) error {
	id := r.PathValue("id")
	body := map[string]string{}
	if note := strings.TrimSpace(r.PostFormValue("note")); note != "" {
		body["note"] = note
	}
	_, err := wb.api.sendJSON(r, s.token, apiCall{method: http.MethodPost,
		path: "/v1/payments/" + url.PathEscape(id) + "/unapply", ifMatch: r.PostFormValue("version")}, body, nil)
	var ae *apiError
	if errors.As(err, &ae) && ae.actionable() {
		return wb.showPayment(w, r, s, ae.Status, ae)
	}
	if err != nil {
		return err
	}
	wb.sessions.setFlash(s, "Unapplied: its invoices are open again and the payment is back in the queue.")
	http.Redirect(w, r, "/payments/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}
