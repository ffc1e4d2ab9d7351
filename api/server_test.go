package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestMux_ErrorsAreProblems(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.do(request{role: Admin, method: "GET", path: "/v1/nosuch"})
	wantStatus(t, w, http.StatusNotFound)
	if p := problemOf(t, w); p["instance"] != "/v1/nosuch" {
		t.Errorf("instance = %v", p["instance"])
	}
	w = h.do(request{role: Admin, method: "DELETE", path: "/v1/statements"})
	wantStatus(t, w, http.StatusMethodNotAllowed)
	problemOf(t, w)
	if allow := w.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
		t.Errorf("Allow = %q", allow)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	wantStatus(t, h.do(request{method: "GET", path: "/healthz"}), http.StatusOK)
	wantStatus(t, h.do(request{method: "GET", path: "/readyz"}), http.StatusOK)
	h.srv.Drain()
	w := h.do(request{method: "GET", path: "/readyz"})
	wantStatus(t, w, http.StatusServiceUnavailable)
	problemOf(t, w)
	wantStatus(t, h.do(request{method: "GET", path: "/healthz"}), http.StatusOK)
}

func TestMetrics_ServiceAndRuntime(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.loadDemoInvoices()
	first := h.uploadDemo()
	wantStatus(t, first, http.StatusCreated)
	var st statementResp
	decode(t, first, &st)
	wantStatus(t, h.uploadDemo(), http.StatusOK)
	w := h.do(request{method: "GET", path: "/metrics"})
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{
		`cashmatch_statements_total{outcome="ingested"} 1`,
		`cashmatch_statements_total{outcome="duplicate"} 1`,
		fmt.Sprintf(`cashmatch_payments_total{decision="auto"} %d`, st.Summary.Auto),
		`cashmatch_match_duration_seconds_count 1`,
		fmt.Sprintf(`cashmatch_exceptions_open %d`, st.Summary.Suggested+st.Summary.Exceptions),
		`cashmatch_http_requests_total{code="201",route="POST /v1/statements"} 1`,
		`cashmatch_http_request_duration_seconds_bucket{route="POST /v1/invoices"`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestMetrics_SeparateAddressLeavesMainHandler(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *Options) { o.SeparateMetrics = true })
	w := h.do(request{method: "GET", path: "/metrics"})
	wantStatus(t, w, http.StatusNotFound)
	problemOf(t, w)
}

func TestRequestLog_NamesUserNeverToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.do(request{role: Viewer, method: "GET", path: "/v1/statements"})
	h.do(request{token: "wrong-token-0000000000", method: "GET", path: "/v1/statements"})
	logs := h.logs.String()
	if !strings.Contains(logs, `"user":"Test viewer"`) || !strings.Contains(logs, `"route":"GET /v1/statements"`) {
		t.Errorf("request log lacks user or route:\n%s", logs)
	}
	for _, tok := range append([]string{"wrong-token-0000000000"}, testTokens[Viewer]) {
		if strings.Contains(logs, tok) {
			t.Errorf("log holds a token:\n%s", logs)
		}
	}
}

func TestOptions_Validate(t *testing.T) {
	t.Parallel()
	_, err := New(Options{})
	if err == nil || !strings.Contains(err.Error(), "no store") || !strings.Contains(err.Error(), "no tokens") {
		t.Errorf("New(Options{}) = %v; want both problems named", err)
	}
}
