package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPI_MatchesRouteTable checks that every route the server registers
// is in the document and every operation of the document is a route, with
// the same security: public routes have none, the others need the bearer
// token.
func TestOpenAPI_MatchesRouteTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	if !h.doc.IsOpenAPI31OrLater() {
		t.Errorf("document is OpenAPI %s, want 3.1", h.doc.OpenAPI)
	}
	var registered, documented []string
	for _, rt := range h.srv.routes {
		registered = append(registered, rt.method+" "+rt.path)
		op := h.doc.Paths.Find(rt.path)
		if op == nil || op.GetOperation(rt.method) == nil {
			continue
		}
		public := op.GetOperation(rt.method).Security != nil && len(*op.GetOperation(rt.method).Security) == 0
		if public != (rt.action == "") {
			t.Errorf("%s %s: document says public=%v, route table says action %q", rt.method, rt.path, public, rt.action)
		}
	}
	for path, item := range h.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(registered)
	slices.Sort(documented)
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %s, which the server does not serve", d)
		}
	}
}

func TestOpenAPI_Served(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/openapi.json"})
	wantStatus(t, w, http.StatusOK)
	var doc map[string]any
	decode(t, w, &doc)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("served document is OpenAPI %q", v)
	}
	if !json.Valid(OpenAPI()) {
		t.Error("OpenAPI() is not JSON")
	}
}
