package workbench

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var statementLinkRe = regexp.MustCompile(`^/statements/[0-9a-f]{64}$`)

func TestUploadStatement_ShowsWhatHappened(t *testing.T) {
	h := newHarness(t)
	h.apiCall(uploaderToken, "POST", "/v1/invoices", "text/csv", readDemo(t, "invoices.csv"))
	b := h.signedIn(uploaderToken)

	p := b.get("/statements")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Upload a bank file", "No statements yet")

	bai2 := readDemo(t, "lockbox-2026-11-03.bai2")
	p = b.upload("/statements", [][2]string{{csrfField, b.csrf}}, "lockbox.bai2", bai2)
	wantStatus(t, p, http.StatusSeeOther)
	if !statementLinkRe.MatchString(p.Location()) {
		t.Fatalf("redirect to %q, want the statement's page", p.Location())
	}
	p = b.follow(p)
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "lockbox.bai2 was read: 300 payments.", "read without warnings")
	wantText(t, p, summaryTexts(h.statementSummary())...)

	// The flash is shown once.
	wantNoText(t, b.get("/statements"), "was read")

	// The same file again changes nothing and says so.
	b.get("/statements")
	p = b.follow(b.upload("/statements", [][2]string{{csrfField, b.csrf}}, "again.bai2", bai2))
	wantText(t, p, "again.bai2 was already received on", "nothing changed", "Payments 300")

	p = b.get("/statements")
	wantText(t, p, "lockbox.bai2", "bai2", "300")
}

func TestUploadStatement_RefusedFileShowsReadersMessage(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(uploaderToken)
	b.get("/statements")
	bad := []byte("01,BANK,CUST,261103,0800,1,,,2/\n16,not a bai2 file at all\n")
	p := b.upload("/statements", [][2]string{{csrfField, b.csrf}}, "broken.bai2", bad)
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantText(t, p, "nothing of it was applied")
	if !strings.Contains(text(p), "broken.bai2") {
		t.Errorf("the message does not name the file: %s", text(p))
	}

	p = b.upload("/statements", [][2]string{{csrfField, b.csrf}}, "notes.txt", []byte("hello\n"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantText(t, p, "Not a bank file")
}

func TestUploadStatement_NeedsCSRFTokenBeforeFile(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(uploaderToken)
	b.get("/statements")
	bai2 := readDemo(t, "lockbox-2026-11-03.bai2")

	for name, fields := range map[string][][2]string{
		"none":  nil,
		"wrong": {{csrfField, "forged"}},
	} {
		t.Run(name, func(t *testing.T) {
			p := b.upload("/statements", fields, "lockbox.bai2", bai2)
			wantStatus(t, p, http.StatusForbidden)
			wantText(t, p, "Form expired")
		})
	}
	wantText(t, b.get("/statements"), "No statements yet")
}

func TestUploadStatement_RoleWithoutUploadIsRefusedByAPI(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(specialistToken)
	p := b.get("/statements")
	wantStatus(t, p, http.StatusOK)
	wantNoText(t, p, "Upload a bank file")

	// A hand-made form gets the API's refusal.
	p = b.upload("/statements", [][2]string{{csrfField, b.csrf}}, "lockbox.bai2",
		readDemo(t, "lockbox-2026-11-03.bai2"))
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, p, "the specialist role may not statements.upload")
	wantText(t, b.get("/statements"), "No statements yet")
}

func TestUploadInvoices_ListsInvalidRows(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(uploaderToken)
	p := b.get("/invoices")
	wantText(t, p, "Upload the ERP's open items", "No invoices match")

	csv := "invoice_id,customer_id,customer_name,amount,currency,issue_date,due_date\n" +
		"INV-1,C1,Acme Corp,100.00,USD,2026-10-01,2026-10-31\n" +
		"INV-2,C1,Acme Corp,ten,USD,2026-10-01,2026-10-31\n"
	p = b.upload("/invoices", [][2]string{{csrfField, b.csrf}}, "open.csv", []byte(csv))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantText(t, p, "Some invoice rows are invalid", "the 1 valid rows were imported", "amount")

	p = b.get("/invoices")
	wantText(t, p, "INV-1", "Acme Corp", "USD 100.00")
	wantNoText(t, p, "INV-2")

	p = b.follow(b.upload("/invoices", [][2]string{{csrfField, b.csrf}}, "all.csv", readDemo(t, "invoices.csv")))
	wantText(t, p, "all.csv: 365 invoices added or updated.", "INV-012001")
}

func TestInvoices_FilterAndCustomer(t *testing.T) {
	h := newHarness(t)
	h.loadDemo()
	b := h.signedIn(specialistToken)
	p := b.get("/invoices?customer=C1001&status=all")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "INV-012001", "Acme Corp")
	wantNoText(t, p, "Upload the ERP's open items")
	if strings.Contains(text(p), "C1002 ") {
		t.Error("the customer filter let another customer through")
	}

	p = b.get("/customers/C1001")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Acme Corp", "C1001", "053464097", "Open items")

	p = b.get("/customers/NOPE")
	wantStatus(t, p, http.StatusNotFound)
	wantText(t, p, `no customer "NOPE"`)

	// An uploader may list invoices but the API keeps customers from them.
	u := h.signedIn(uploaderToken)
	p = u.get("/invoices")
	if strings.Contains(p.Body, `href="/customers/`) {
		t.Error("an uploader is shown links to customer pages the API refuses them")
	}
	wantStatus(t, u.get("/customers/C1001"), http.StatusForbidden)
}

func TestStatement_UnknownID(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	p := b.get("/statements/" + strings.Repeat("ab", 32))
	wantStatus(t, p, http.StatusNotFound)
	p = b.get("/statements/not-an-id")
	wantStatus(t, p, http.StatusNotFound)
}
