package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cashmatch/cashmatch/store"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Test tokens, one per role.
var testTokens = map[Role]string{
	Uploader:   "tok-uploader-0000000001",
	Specialist: "tok-specialist-000000001",
	Approver:   "tok-approver-00000000001",
	Admin:      "tok-admin-00000000000001",
	Viewer:     "tok-viewer-0000000000001",
}

// secondSpecialist is another specialist, for four-eyes checks.
const secondSpecialist = "tok-specialist-000000002"

func testTokensFile() string {
	var b strings.Builder
	b.WriteString("# test tokens\n\n")
	for _, r := range roles {
		b.WriteString(testTokens[r] + " " + string(r) + " Test " + string(r) + "\n")
	}
	b.WriteString(secondSpecialist + " specialist Second Specialist\n")
	return b.String()
}

// demoDir holds a hand-made lockbox file and its open items.
var demoDir = filepath.Join("..", "testdata", "lockbox")

func readDemo(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(demoDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// harness is a server on a fresh store, with a client that checks every
// response of a matched route against the OpenAPI document.
type harness struct {
	t     testing.TB
	srv   *Server
	store *store.Store
	logs  *syncBuffer
	doc   *openapi3.T
	// demo is the answer to the demo upload, where a test made one.
	demo statementResp
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newHarness(t testing.TB, edit func(*Options)) *harness {
	t.Helper()
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, err := ParseTokens(strings.NewReader(testTokensFile()))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	opts := Options{Store: st, Tokens: tokens, TempDir: t.TempDir(),
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if edit != nil {
		edit(&opts)
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, srv: srv, store: st, logs: logs, doc: loadDoc(t)}
}

var (
	docOnce sync.Once
	docT    *openapi3.T
	docErr  error
)

func loadDoc(t testing.TB) *openapi3.T {
	t.Helper()
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		docT, docErr = loader.LoadFromData(openAPIDocument)
		if docErr == nil {
			docErr = docT.Validate(context.Background())
		}
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return docT
}

// request describes one call.
type request struct {
	role        Role   // "" sends no token
	token       string // overrides role
	method      string
	path        string
	body        []byte
	contentType string
	header      http.Header
}

// do sends req through the server's handler and checks the response
// against the OpenAPI document when a route matched.
func (h *harness) do(req request) *httptest.ResponseRecorder {
	h.t.Helper()
	r := httptest.NewRequest(req.method, req.path, bytes.NewReader(req.body))
	if req.contentType != "" {
		r.Header.Set("Content-Type", req.contentType)
	}
	for k, vs := range req.header {
		r.Header[k] = vs
	}
	token := req.token
	if token == "" && req.role != "" {
		token = testTokens[req.role]
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(w, r)
	h.checkResponse(r, w)
	if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
		h.t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json",
			req.method, req.path, w.Code, w.Header().Get("Content-Type"))
	}
	return w
}

// checkResponse validates a response of a matched route against the
// operation the OpenAPI document gives for it, undocumented statuses
// included.
func (h *harness) checkResponse(r *http.Request, w *httptest.ResponseRecorder) {
	h.t.Helper()
	if r.Pattern == "" {
		return
	}
	method, path, _ := strings.Cut(r.Pattern, " ")
	item := h.doc.Paths.Find(path)
	if item == nil {
		h.t.Errorf("route %s is not in the OpenAPI document", r.Pattern)
		return
	}
	op := item.GetOperation(method)
	if op == nil {
		h.t.Errorf("route %s has no operation in the OpenAPI document", r.Pattern)
		return
	}
	params := map[string]string{}
	for _, p := range op.Parameters {
		if p.Value.In == "path" {
			params[p.Value.Name] = r.PathValue(p.Value.Name)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: r, PathParams: params,
			Route: &routers.Route{Spec: h.doc, Path: path, PathItem: item, Method: method, Operation: op},
		},
		Status:  w.Code,
		Header:  w.Header(),
		Body:    io.NopCloser(bytes.NewReader(w.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		h.t.Errorf("%s %s: response %d does not match the OpenAPI document: %v\nbody: %s",
			r.Method, r.URL, w.Code, err, w.Body.String())
	}
}

// decode reads a JSON response into v.
func decode(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, w.Body.String())
	}
}

// wantStatus fails the test when w's status is not want.
func wantStatus(t testing.TB, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status %d, want %d; body: %s", w.Code, want, w.Body.String())
	}
}

// problemOf decodes a problem response.
func problemOf(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var p map[string]any
	decode(t, w, &p)
	for _, k := range []string{"type", "title", "status"} {
		if _, ok := p[k]; !ok {
			t.Errorf("problem lacks %q: %s", k, w.Body.String())
		}
	}
	return p
}

// loadDemoInvoices imports the demo open items.
func (h *harness) loadDemoInvoices() {
	h.t.Helper()
	w := h.do(request{role: Uploader, method: "POST", path: "/v1/invoices",
		body: readDemo(h.t, "invoices.csv"), contentType: "text/csv"})
	wantStatus(h.t, w, http.StatusOK)
}

// uploadDemo uploads the demo bank file and returns the response.
func (h *harness) uploadDemo() *httptest.ResponseRecorder {
	h.t.Helper()
	return h.do(request{role: Uploader, method: "POST", path: "/v1/statements?name=lockbox.bai2",
		body: readDemo(h.t, "lockbox-2026-11-03.bai2"), contentType: "application/octet-stream"})
}

// httpResponse is a recorded response.
type httpResponse = httptest.ResponseRecorder
