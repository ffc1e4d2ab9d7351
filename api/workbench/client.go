package workbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// apiClient calls the HTTP API in process: each call is a request served by
// the API's own handler, with the person's bearer token, so that the API
// authenticates, checks and records it exactly as it would a call from
// outside.
type apiClient struct {
	h http.Handler
}

// apiCall is one request to the API.
type apiCall struct {
	method string
	// path is the path and query, such as "/v1/statements?limit=50".
	path        string
	body        io.Reader
	contentType string
	// ifMatch is sent as the If-Match header when not empty.
	ifMatch string
}

// apiResponse is the API's answer.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// apiError is an answer of 400 or above, read from the API's problem
// document. Title and Detail are written for people and are shown as they
// are; Extra holds the problem's other members, such as per-row errors.
type apiError struct {
	Status int
	Title  string
	Detail string
	Extra  map[string]json.RawMessage
}

func (e *apiError) Error() string { return fmt.Sprintf("api: %d %s: %s", e.Status, e.Title, e.Detail) }

// do sends call on behalf of r's person, who holds token. It returns an
// *apiError for an answer of 400 or above.
func (c *apiClient) do(r *http.Request, token string, call apiCall) (*apiResponse, error) {
	body := call.body
	if body == nil {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(r.Context(), call.method, call.path, body)
	if err != nil {
		return nil, fmt.Errorf("api request %s %s: %w", call.method, call.path, err)
	}
	req.RemoteAddr = r.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if call.contentType != "" {
		req.Header.Set("Content-Type", call.contentType)
	}
	if call.ifMatch != "" {
		req.Header.Set("If-Match", call.ifMatch)
	}

	w := &responseBuffer{header: http.Header{}}
	c.h.ServeHTTP(w, req)
	resp := &apiResponse{Status: w.code(), Header: w.header, Body: w.body.Bytes()}
	if resp.Status >= 400 {
		return resp, newAPIError(resp)
	}
	return resp, nil
}

// getJSON reads path into v.
func (c *apiClient) getJSON(r *http.Request, token, path string, v any) (*apiResponse, error) {
	resp, err := c.do(r, token, apiCall{method: http.MethodGet, path: path})
	if err != nil {
		return resp, err
	}
	return resp, decodeJSON(resp, v)
}

// sendJSON sends in as JSON and reads the answer into out, when out is not
// nil.
func (c *apiClient) sendJSON(r *http.Request, token string, call apiCall, in, out any) (*apiResponse, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode %s %s: %w", call.method, call.path, err)
	}
	call.body, call.contentType = bytes.NewReader(b), "application/json"
	resp, err := c.do(r, token, call)
	if err != nil || out == nil {
		return resp, err
	}
	return resp, decodeJSON(resp, out)
}

func decodeJSON(resp *apiResponse, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return fmt.Errorf("decode API answer (status %d): %w", resp.Status, err)
	}
	return nil
}

// newAPIError reads the problem document of an error answer; an answer
// that is not one still gives its status.
func newAPIError(resp *apiResponse) *apiError {
	e := &apiError{Status: resp.Status, Title: http.StatusText(resp.Status)}
	var members map[string]json.RawMessage
	if json.Unmarshal(resp.Body, &members) != nil {
		e.Detail = strings.TrimSpace(string(resp.Body))
		return e
	}
	for k, raw := range members {
		var s string
		switch k {
		case "title":
			if json.Unmarshal(raw, &s) == nil && s != "" {
				e.Title = s
			}
		case "detail":
			if json.Unmarshal(raw, &s) == nil {
				e.Detail = s
			}
		case "type", "status", "instance":
		default:
			if e.Extra == nil {
				e.Extra = map[string]json.RawMessage{}
			}
			e.Extra[k] = raw
		}
	}
	return e
}

// responseBuffer is the http.ResponseWriter of an in-process call: it keeps
// the whole answer in memory. API answers to the workbench are pages of
// JSON, never files.
type responseBuffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseBuffer) Header() http.Header { return w.header }

func (w *responseBuffer) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *responseBuffer) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

func (w *responseBuffer) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// actionable reports whether the API refused a change for a reason the
// person can act on: a stale version, amounts that do not add up, a
// malformed form. The page then shows the record again with the reason.
func (e *apiError) actionable() bool {
	switch e.Status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity,
		http.StatusPreconditionRequired:
		return true
	}
	return false
}
