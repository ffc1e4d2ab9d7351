package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/store"
)

// statementJSON is a statement as the API shows it: what was received and
// the totals of the decisions made of its payments.
type statementJSON struct {
	ID       engine.StatementID `json:"id"`
	Source   string             `json:"source"`
	Format   engine.Format      `json:"format"`
	Size     int64              `json:"size"`
	Received time.Time          `json:"received,omitzero"`
	Payments int                `json:"payments"`
	// New and Repeated count the payments stored and those skipped as
	// repeats of an earlier statement's.
	New       int      `json:"new"`
	Repeated  int      `json:"repeated"`
	Warnings  []string `json:"warnings"`
	Duplicate bool     `json:"duplicate"`
	Complete  bool     `json:"complete"`
	// ReceivedBy names who uploaded the file.
	ReceivedBy string          `json:"received_by,omitempty"`
	Summary    *engine.Summary `json:"summary"`
}

func newStatementJSON(info store.StatementInfo) statementJSON {
	st := info.Statement
	j := statementJSON{ID: st.ID, Source: st.Source, Format: st.Format, Size: st.Size,
		Received: st.Received, Payments: st.Payments, New: info.New, Repeated: info.Repeated,
		Warnings: st.Warnings, Complete: info.Complete, ReceivedBy: st.ReceivedBy, Summary: &info.Summary}
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

	// Store, match and apply. A statement already stored changes nothing.
	s.ingestMu.Lock()
	start := time.Now()
	src := receivedBy{File: f, who: principalFrom(ctx).Name}
	out, err := engine.Ingest(ctx, s.store, s.opts.Entity, src, s.opts.Engine)
	took := time.Since(start)
	s.ingestMu.Unlock()
	if err != nil {
		return s.refused(err)
	}
	info, err := s.store.Statement(ctx, s.opts.Entity, out.Statement.ID)
	if err != nil {
		return err
	}
	j := newStatementJSON(info)
	w.Header().Set("Location", "/v1/statements/"+string(info.ID))
	if out.Duplicate {
		s.metrics.statements.WithLabelValues("duplicate").Inc()
		j.Duplicate = true
		return writeJSON(w, http.StatusOK, j)
	}
	s.metrics.observeIngest(out.Summary, took)
	s.log.InfoContext(ctx, "statement ingested", "statement_id", info.ID, "file", name,
		"payments", out.Summary.Payments, "auto", out.Summary.Auto, "took", took)
	return writeJSON(w, http.StatusCreated, j)
}

// receivedBy is a bank file that names who uploaded it, so that the store's
// audit record of its intake does.
type receivedBy struct {
	*bankfile.File
	who string
}

func (r receivedBy) Statement() engine.Statement {
	st := r.File.Statement()
	st.ReceivedBy = r.who
	return st
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
	var before uint64
	if c := r.URL.Query().Get("cursor"); c != "" {
		if before, err = seqCursor(c); err != nil {
			return err
		}
	}
	page, err := s.store.StatementPage(r.Context(), s.opts.Entity, before, limit+1)
	if err != nil {
		return err
	}
	out := struct {
		Statements []statementJSON `json:"statements"`
		NextCursor string          `json:"next_cursor,omitempty"`
	}{Statements: make([]statementJSON, 0, len(page))}
	for i, info := range page {
		if i == limit {
			out.NextCursor = encodeCursor(strconv.FormatUint(page[i-1].Seq, 10))
			break
		}
		out.Statements = append(out.Statements, newStatementJSON(info))
	}
	return writeJSON(w, http.StatusOK, out)
}

// getStatement answers with one statement and the totals of its decisions.
func (s *Server) getStatement(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !isStatementID(id) {
		return notFound(fmt.Sprintf("%q is not a statement ID (the SHA-256 of the file, 64 hex digits)", id))
	}
	info, err := s.store.Statement(r.Context(), s.opts.Entity, engine.StatementID(id))
	if errors.Is(err, store.ErrNotFound) {
		return notFound("no statement " + id)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newStatementJSON(info))
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
