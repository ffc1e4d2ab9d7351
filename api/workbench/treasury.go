package workbench

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// statementView is a statement as the API answers it.
type statementView struct {
	ID        string       `json:"id"`
	Source    string       `json:"source"`
	Format    string       `json:"format"`
	Size      int64        `json:"size"`
	Received  time.Time    `json:"received"`
	Payments  int          `json:"payments"`
	Warnings  []string     `json:"warnings"`
	Duplicate bool         `json:"duplicate"`
	Summary   *summaryView `json:"summary"`
}

// summaryView is the totals of a run of decisions. Amounts are decimal
// strings keyed by currency.
type summaryView struct {
	Payments   int               `json:"payments"`
	Auto       int               `json:"auto"`
	Suggested  int               `json:"suggested"`
	Exceptions int               `json:"exceptions"`
	ByReason   map[string]int    `json:"exceptions_by_reason"`
	Applied    map[string]string `json:"applied_amount"`
	OnAccount  map[string]string `json:"on_account_amount"`
	Unapplied  map[string]string `json:"unapplied_amount"`
}

type statementsData struct {
	Statements []statementView
	// Next is the link to the next page; empty on the last.
	Next string
	// Error is why the last upload was refused, with the reader's message.
	Error, ErrorDetail string
}

// statements lists the statements, newest first, with the upload form for
// those who may upload.
func (wb *Workbench) statements(w http.ResponseWriter, r *http.Request, s *session) error {
	return wb.showStatements(w, r, s, http.StatusOK, statementsData{})
}

func (wb *Workbench) showStatements(w http.ResponseWriter, r *http.Request, s *session, status int, d statementsData) error {
	path := "/v1/statements?limit=50"
	if c := r.URL.Query().Get("cursor"); c != "" && r.Method == http.MethodGet {
		path += "&cursor=" + url.QueryEscape(c)
	}
	var page struct {
		Statements []statementView `json:"statements"`
		NextCursor string          `json:"next_cursor"`
	}
	if _, err := wb.api.getJSON(r, s.token, path, &page); err != nil {
		return err
	}
	d.Statements = page.Statements
	if page.NextCursor != "" {
		d.Next = "/statements?cursor=" + url.QueryEscape(page.NextCursor)
	}
	return wb.show(w, s, status, "statements", "Bank statements", "statements", d)
}

// uploadStatement sends a bank file to the API and shows what happened: the
// new statement, the first result of a file already received, or the
// reader's reason for refusing it.
func (wb *Workbench) uploadStatement(w http.ResponseWriter, r *http.Request, s *session, name string, file io.Reader) error {
	resp, err := wb.api.do(r, s.token, apiCall{method: http.MethodPost,
		path: "/v1/statements?name=" + url.QueryEscape(name), body: file,
		contentType: "application/octet-stream"})
	var ae *apiError
	if errors.As(err, &ae) && (ae.Status == http.StatusUnprocessableEntity ||
		ae.Status == http.StatusRequestEntityTooLarge || ae.Status == http.StatusBadRequest) {
		return wb.showStatements(w, r, s, ae.Status, statementsData{Error: ae.Title, ErrorDetail: ae.Detail})
	}
	if err != nil {
		return err
	}
	var st statementView
	if err := decodeJSON(resp, &st); err != nil {
		return err
	}
	msg := fmt.Sprintf("%s was read: %d payments.", name, st.Payments)
	if st.Duplicate {
		msg = fmt.Sprintf("%s was already received on %s, so nothing changed. This is what it did then.",
			name, st.Received.UTC().Format("2006-01-02 15:04 UTC"))
	}
	wb.sessions.setFlash(s, msg)
	http.Redirect(w, r, "/statements/"+url.PathEscape(st.ID), http.StatusSeeOther)
	return nil
}

// statement shows one statement and the totals of its decisions.
func (wb *Workbench) statement(w http.ResponseWriter, r *http.Request, s *session) error {
	var st statementView
	if _, err := wb.api.getJSON(r, s.token, "/v1/statements/"+url.PathEscape(r.PathValue("id")), &st); err != nil {
		return err
	}
	return wb.show(w, s, http.StatusOK, "statement", st.Source, "statements", st)
}

// uploadFunc is a page that receives one uploaded file: its name as the
// browser gave it, and its content as a stream.
type uploadFunc func(w http.ResponseWriter, r *http.Request, s *session, name string, file io.Reader) error

// readUpload reads a multipart form as a stream, so that a large bank file
// is never held in memory or spooled twice: the form's CSRF token must
// come before the part named "file", which is then handed to fn as it
// arrives. The upload forms place their token first, as browsers send
// fields in the order of the form.
func (wb *Workbench) readUpload(fn uploadFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) error {
		mr, err := r.MultipartReader()
		if err != nil {
			wb.refuseForm(w, r, s)
			return nil
		}
		csrfOK := false
		for {
			part, err := mr.NextPart()
			if err != nil {
				if !csrfOK {
					wb.refuseForm(w, r, s)
					return nil
				}
				wb.renderError(w, r, s, http.StatusBadRequest, "No file",
					"Choose a file to upload, then press Upload.")
				return nil
			}
			switch part.FormName() {
			case csrfField:
				b, _ := io.ReadAll(io.LimitReader(part, 256))
				csrfOK = s.validCSRF(string(b))
			case "file":
				if !csrfOK {
					wb.refuseForm(w, r, s)
					return nil
				}
				if part.FileName() == "" {
					wb.renderError(w, r, s, http.StatusBadRequest, "No file",
						"Choose a file to upload, then press Upload.")
					return nil
				}
				return fn(w, r, s, part.FileName(), part)
			}
		}
	}
}
