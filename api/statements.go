package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/store"
)

// statementJSON is a statement as the API shows it: what was received and,
// where known, the totals of the decisions made when it was first ingested.
type statementJSON struct {
	ID        engine.StatementID `json:"id"`
	Source    string             `json:"source"`
	Format    engine.Format      `json:"format"`
	Size      int64              `json:"size"`
	Received  time.Time          `json:"received,omitzero"`
	Payments  int                `json:"payments"`
	Warnings  []string           `json:"warnings"`
	Duplicate bool               `json:"duplicate"`
	Summary   *engine.Summary    `json:"summary,omitempty"`
}

func newStatementJSON(st engine.Statement, sum *engine.Summary) statementJSON {
	j := statementJSON{ID: st.ID, Source: st.Source, Format: st.Format, Size: st.Size,
		Received: st.Received, Payments: st.Payments, Warnings: st.Warnings, Summary: sum}
	if j.Warnings == nil {
		j.Warnings = []string{}
	}
	return j
}

// uploadStatement reads a bank file from the body (raw, or the "file" part of
// a multipart form), ingests it and answers with the statement and the
// totals of its decisions: 201 for a new statement, 200 with duplicate true
// and the first ingest's result for a file already ingested, 422 for a file
// that cannot be read, with the reader's message.
func (s *Server) uploadStatement(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	strict, err := boolParam(r, "strict")
	if err != nil {
		return err
	}

	// Spool the upload to a file: readers need the whole file twice (its
	// hash, then its payments), and a body must never sit in memory.
	path, name, err := s.spool(r)
	if err != nil {
		return err
	}
	defer os.Remove(path)

	// Detect the format and identify the statement.
	f, err := bankfile.Open(path, &parsers.Options{Name: name, Strict: strict, Logger: s.log})
	if err != nil {
		return s.refused(err)
	}
	defer f.Close()

	// A statement already stored answers with its first result.
	s.ingestMu.Lock()
	defer s.ingestMu.Unlock()
	if done, err := s.firstOutcome(w, r, f.Statement().ID); done || err != nil {
		return err
	}

	start := time.Now()
	out, err := engine.Ingest(ctx, s.store, s.opts.Entity, f, s.opts.Engine)
	if err != nil {
		return s.refused(err)
	}
	if out.Duplicate {
		if done, err := s.firstOutcome(w, r, out.Statement.ID); done || err != nil {
			return err
		}
	}
	took := time.Since(start)
	s.metrics.observeIngest(out.Summary, took)
	s.log.InfoContext(ctx, "statement ingested", "statement_id", out.Statement.ID, "file", name,
		"payments", out.Summary.Payments, "auto", out.Summary.Auto, "took", took)

	st := out.Statement
	st.Received = start.UTC()
	w.Header().Set("Location", "/v1/statements/"+string(st.ID))
	return writeJSON(w, http.StatusCreated, newStatementJSON(st, &out.Summary))
}

// firstOutcome answers with the stored result of statement id when it is
// stored, and reports whether it did.
func (s *Server) firstOutcome(w http.ResponseWriter, r *http.Request, id engine.StatementID) (bool, error) {
	st, sum, err := s.store.StatementOutcome(r.Context(), s.opts.Entity, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.metrics.statements.WithLabelValues("duplicate").Inc()
	j := newStatementJSON(st, &sum)
	j.Duplicate = true
	w.Header().Set("Location", "/v1/statements/"+string(st.ID))
	return true, writeJSON(w, http.StatusOK, j)
}

// refused turns an error of reading a bank file into the answer: 422 with
// the reader's message for a file the readers refuse, the error itself
// (a failure of the server) otherwise.
func (s *Server) refused(err error) error {
	var pe *parsers.ParseError
	switch {
	case errors.Is(err, parsers.ErrUnknownFormat):
		s.metrics.statements.WithLabelValues("refused").Inc()
		return unprocessable("unknown-format", "Not a bank file cashmatch reads", err.Error())
	case errors.As(err, &pe):
		s.metrics.statements.WithLabelValues("refused").Inc()
		return unprocessable("refused-file", "The bank file was refused; nothing of it was applied", err.Error())
	case strings.Contains(err.Error(), "cannot be read yet"):
		// bankfile names a recognised format without a reader in plain text.
		s.metrics.statements.WithLabelValues("refused").Inc()
		return unprocessable("unsupported-format", "This format cannot be read yet", err.Error())
	}
	return err
}

// spool copies the uploaded file to a temporary file and returns its path
// and the name the caller gave it: the multipart file name, the name query
// parameter, or "upload".
func (s *Server) spool(r *http.Request) (path, name string, err error) {
	body, name, err := uploadedFile(r)
	if err != nil {
		return "", "", err
	}
	tmp, err := os.CreateTemp(s.opts.TempDir, "cashmatch-upload-*")
	if err != nil {
		return "", "", err
	}
	n, err := io.Copy(tmp, body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n == 0 {
		err = badRequest("the uploaded file is empty")
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", "", err
	}
	return tmp.Name(), name, nil
}

// uploadedFile returns the reader of the uploaded file and its name.
func uploadedFile(r *http.Request) (io.Reader, string, error) {
	name := r.URL.Query().Get("name")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		if name == "" {
			name = "upload"
		}
		return r.Body, filepath.Base(name), nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", badRequest("multipart body: " + err.Error())
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, "", badRequest(`the multipart form has no "file" part`)
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, "", err
			}
			return nil, "", badRequest("multipart body: " + err.Error())
		}
		if part.FormName() != "file" {
			continue
		}
		if name == "" {
			name = part.FileName()
		}
		if name == "" {
			name = "upload"
		}
		return part, filepath.Base(name), nil
	}
}

// listStatements answers with the entity's statements, newest first, a page
// at a time.
func (s *Server) listStatements(w http.ResponseWriter, r *http.Request) error {
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	all, err := s.store.Statements(r.Context(), s.opts.Entity)
	if err != nil {
		return err
	}
	start := 0
	if c := r.URL.Query().Get("cursor"); c != "" {
		after, err := decodeCursor(c)
		if err != nil {
			return err
		}
		start = len(all)
		for i, st := range all {
			if string(st.ID) == after {
				start = i + 1
				break
			}
		}
	}
	page := all[start:min(start+limit, len(all))]
	out := struct {
		Statements []statementJSON `json:"statements"`
		NextCursor string          `json:"next_cursor,omitempty"`
	}{Statements: make([]statementJSON, 0, len(page))}
	for _, st := range page {
		out.Statements = append(out.Statements, newStatementJSON(st, nil))
	}
	if start+limit < len(all) && len(page) > 0 {
		out.NextCursor = encodeCursor(string(page[len(page)-1].ID))
	}
	return writeJSON(w, http.StatusOK, out)
}

// getStatement answers with one statement and the totals of its first
// ingest.
func (s *Server) getStatement(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !isStatementID(id) {
		return notFound(fmt.Sprintf("%q is not a statement ID (the SHA-256 of the file, 64 hex digits)", id))
	}
	st, sum, err := s.store.StatementOutcome(r.Context(), s.opts.Entity, engine.StatementID(id))
	if errors.Is(err, store.ErrNotFound) {
		return notFound("no statement " + id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newStatementJSON(st, &sum))
}

func isStatementID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
