package workbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/api"
	"github.com/cashmatch/cashmatch/store"
	"github.com/shopspring/decimal"
	"golang.org/x/net/html"
)

// Test tokens, one per role, as the API's tokens file holds them.
const (
	uploaderToken   = "tok-wb-uploader-00000001"
	specialistToken = "tok-wb-specialist-000001"
	approverToken   = "tok-wb-approver-00000001"
	adminToken      = "tok-wb-admin-000000000001"
	viewerToken     = "tok-wb-viewer-0000000001"
)

const testTokens = uploaderToken + " uploader Ana Treasury\n" +
	specialistToken + " specialist Sam Specialist\n" +
	approverToken + " approver Pat Approver\n" +
	adminToken + " admin Ada Admin\n" +
	viewerToken + " viewer Vic Viewer\n"

// demoDir holds a hand-made lockbox file and its open items.
var demoDir = filepath.Join("..", "..", "testdata", "lockbox")

func readDemo(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(demoDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// harness is the workbench in front of a real API on a fresh store, served
// on a loopback port.
type harness struct {
	t    testing.TB
	api  http.Handler
	wb   *Workbench
	srv  *httptest.Server
	now  *clock
	logs *syncBuffer
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
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

func newHarness(t testing.TB) *harness {
	t.Helper()
	st, err := store.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokens, err := api.ParseTokens(strings.NewReader(testTokens))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	srv, err := api.New(api.Options{Store: st, Tokens: tokens, TempDir: t.TempDir(), Logger: log,
		ApprovalLimit: decimal.RequireFromString("100.00")})
	if err != nil {
		t.Fatal(err)
	}
	now := &clock{t: time.Now()}
	wb, err := New(Options{API: srv.Handler(), Logger: log, Now: now.Now})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, api: srv.Handler(), wb: wb, now: now, logs: logs}
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.Handle("/", wb.Handler())
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// apiCall calls the API directly, as a script would, to set up data.
func (h *harness) apiCall(token, method, path, contentType string, body []byte) *httptest.ResponseRecorder {
	h.t.Helper()
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	h.api.ServeHTTP(w, r)
	if w.Code >= 300 {
		h.t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
	}
	return w
}

// loadDemo imports the demo open items and bank file through the API.
func (h *harness) loadDemo() {
	h.t.Helper()
	h.apiCall(uploaderToken, "POST", "/v1/invoices", "text/csv", readDemo(h.t, "invoices.csv"))
	h.apiCall(uploaderToken, "POST", "/v1/statements?name=lockbox.bai2", "application/octet-stream",
		readDemo(h.t, "lockbox-2026-11-03.bai2"))
}

// browser is a person's browser: it keeps cookies, does not follow
// redirects on its own, and checks every page it receives.
type browser struct {
	t      testing.TB
	h      *harness
	client *http.Client
	// csrf is the CSRF token of the last page with a form.
	csrf string
}

// page is one response as the browser received it.
type page struct {
	Status int
	Header http.Header
	Body   string
}

// Location returns the redirect target.
func (p page) Location() string { return p.Header.Get("Location") }

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: h.t, h: h, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedIn returns a browser signed in with token.
func (h *harness) signedIn(token string) *browser {
	h.t.Helper()
	b := h.browser()
	b.get("/signin")
	p := b.post("/signin", url.Values{"token": {token}, "next": {"/"}})
	if p.Status != http.StatusSeeOther {
		h.t.Fatalf("sign in: status %d\n%s", p.Status, p.Body)
	}
	return b
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := page{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		checkPage(b.t, req.URL.Path, p)
		if m := csrfRe.FindStringSubmatch(p.Body); m != nil {
			b.csrf = m[1]
		}
	}
	return p
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.h.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form with the CSRF token of the last page, unless form
// sets csrf itself.
func (b *browser) post(path string, form url.Values, header ...string) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[csrfField]; !ok {
		form.Set(csrfField, b.csrf)
	}
	req, err := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// upload submits a multipart form: the fields in order, then the file.
func (b *browser) upload(path string, fields [][2]string, name string, content []byte) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest("POST", b.h.srv.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// follow gets the page a redirect points to.
func (b *browser) follow(p page) page {
	b.t.Helper()
	if p.Status != http.StatusSeeOther {
		b.t.Fatalf("status %d, want a redirect (303)\n%s", p.Status, p.Body)
	}
	return b.get(p.Location())
}

// checkPage checks what every HTML page must hold to: the security
// headers, no inline script, style or event handler (which the CSP would
// block), and a CSRF token in every form that posts, before any file field.
func checkPage(t testing.TB, path string, p page) {
	t.Helper()
	if got := p.Header.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("%s: Content-Security-Policy %q", path, got)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Cache-Control": "no-store"} {
		if got := p.Header.Get(k); got != want {
			t.Errorf("%s: %s %q, want %q", path, k, got, want)
		}
	}
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		t.Fatalf("%s: not HTML: %v", path, err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		for _, a := range n.Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("%s: <%s %s=%q> is inline code or style", path, n.Data, a.Key, a.Val)
			}
		}
		switch n.Data {
		case "script":
			if attr(n, "src") == "" {
				t.Errorf("%s: inline <script>", path)
			}
		case "style":
			t.Errorf("%s: inline <style>", path)
		case "form":
			if strings.EqualFold(attr(n, "method"), "post") {
				checkForm(t, path, n)
			}
		}
	}
}

// checkForm checks that a posting form carries a non-empty CSRF token
// before any file field.
func checkForm(t testing.TB, path string, form *html.Node) {
	t.Helper()
	for n := range form.Descendants() {
		if n.Type != html.ElementNode || n.Data != "input" {
			continue
		}
		if attr(n, "type") == "file" {
			break
		}
		if attr(n, "name") == csrfField && attr(n, "value") != "" {
			return
		}
	}
	t.Errorf("%s: form to %q has no CSRF token before its fields", path, attr(form, "action"))
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text returns the text of a page without tags and with blanks collapsed,
// for checks of what a person reads.
func text(p page) string {
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		return p.Body
	}
	var b strings.Builder
	for n := range doc.Descendants() {
		if n.Type == html.TextNode && n.Parent != nil && n.Parent.Data != "script" && n.Parent.Data != "title" {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// wantText fails when the text of p lacks any of want.
func wantText(t testing.TB, p page, want ...string) {
	t.Helper()
	txt := text(p)
	for _, w := range want {
		if !strings.Contains(txt, w) {
			t.Errorf("page lacks %q; it reads:\n%s", w, txt)
		}
	}
}

// wantNoText fails when the text of p holds any of unwanted.
func wantNoText(t testing.TB, p page, unwanted ...string) {
	t.Helper()
	txt := text(p)
	for _, w := range unwanted {
		if strings.Contains(txt, w) {
			t.Errorf("page holds %q; it reads:\n%s", w, txt)
		}
	}
}

func wantStatus(t testing.TB, p page, want int) {
	t.Helper()
	if p.Status != want {
		t.Fatalf("status %d, want %d\n%s", p.Status, want, text(p))
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// statementSummary returns the API's summary of the newest statement, the
// demo file's, and checks that it is one a page can be judged by.
func (h *harness) statementSummary() summaryView {
	h.t.Helper()
	var list struct {
		Statements []statementView `json:"statements"`
	}
	if err := json.Unmarshal(h.apiCall(viewerToken, "GET", "/v1/statements", "", nil).Body.Bytes(), &list); err != nil || len(list.Statements) == 0 {
		h.t.Fatalf("statements: %v %+v", err, list)
	}
	var st statementView
	w := h.apiCall(viewerToken, "GET", "/v1/statements/"+list.Statements[0].ID, "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil || st.Summary == nil {
		h.t.Fatalf("statement: %v %s", err, w.Body.String())
	}
	s := *st.Summary
	if s.Payments != 300 || s.Auto == 0 || len(s.ByReason) == 0 {
		h.t.Fatalf("the demo's summary does not add up: %+v", s)
	}
	return s
}

// summaryTexts is what a page that shows s must read: the counts, the
// amounts grouped in thousands, and the count of each exception reason.
func summaryTexts(s summaryView) []string {
	out := []string{
		fmt.Sprintf("Payments %d", s.Payments),
		fmt.Sprintf("Applied automatically %d (%s%%)", s.Auto, percent(s.Auto, s.Payments)),
		fmt.Sprintf("Suggested %d", s.Suggested),
		fmt.Sprintf("Exceptions %d", s.Exceptions),
	}
	for cur, a := range s.Applied {
		out = append(out, "Applied "+cur+" "+formatAmount(a))
	}
	for cur, a := range s.Unapplied {
		out = append(out, "Unapplied "+cur+" "+formatAmount(a))
	}
	for reason, n := range s.ByReason {
		out = append(out, fmt.Sprintf("%s %d", strings.ReplaceAll(reason, "_", " "), n))
	}
	return out
}

// apiCallHeader calls the API with extra headers, given as name, value.
func (h *harness) apiCallHeader(token, method, path, contentType string, body []byte, header ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.api.ServeHTTP(w, r)
	if w.Code >= 300 {
		h.t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
	}
	return w
}

// regexpFind returns the first group of pattern in s, failing the test when
// it does not match.
func regexpFind(t testing.TB, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", pattern)
	}
	return m[1]
}

// needRoute skips a test of pages that stand on an API route the API does
// not serve in this build.
func (h *harness) needRoute(path string) {
	h.t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+adminToken)
	w := httptest.NewRecorder()
	h.api.ServeHTTP(w, r)
	if w.Code == http.StatusNotFound && strings.Contains(w.Body.String(), "no route matches") {
		h.t.Skipf("the API does not serve %s in this build", path)
	}
}
