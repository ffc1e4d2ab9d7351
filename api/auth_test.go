package api

import (
	"net/http"
	"strings"
	"testing"
)

func TestParseTokens_ReadsRolesAndNames(t *testing.T) {
	t.Parallel()
	toks, err := ParseTokens(strings.NewReader(
		"# treasury\n\n  abcdefghijklmnop1   uploader   Ana Ruiz  \nqrstuvwxyz0123456 viewer ERP\n"))
	if err != nil {
		t.Fatal(err)
	}
	if toks.Len() != 2 {
		t.Fatalf("Len = %d, want 2", toks.Len())
	}
	who, ok := toks.lookup("abcdefghijklmnop1")
	if !ok || who.Role != Uploader || who.Name != "Ana Ruiz" {
		t.Errorf("lookup = %+v, %v; want Ana Ruiz, uploader", who, ok)
	}
	if _, ok := toks.lookup("abcdefghijklmnop"); ok {
		t.Error("a prefix of a token was accepted")
	}
	if _, ok := toks.lookup(""); ok {
		t.Error("the empty token was accepted")
	}
}

func TestParseTokens_ReportsEveryBadLine(t *testing.T) {
	t.Parallel()
	_, err := ParseTokens(strings.NewReader(strings.Join([]string{
		"short specialist Bo",
		"abcdefghijklmnop1 superuser Cy",
		"abcdefghijklmnop2 viewer",
		"abcdefghijklmnop3 viewer Di",
		"abcdefghijklmnop3 admin Ed",
	}, "\n")))
	if err == nil {
		t.Fatal("bad tokens file accepted")
	}
	for _, want := range []string{"line 1: token shorter", `line 2: unknown role "superuser"`,
		"line 3: want token, role and name", "line 5: token already given on line 4"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "abcdefghijklmnop") {
		t.Errorf("error reveals a token: %v", err)
	}
	if _, err := ParseTokens(strings.NewReader("# nothing\n")); err == nil {
		t.Error("a file without tokens was accepted")
	}
}

// TestRoutes_PermissionTable calls every route that needs a token with each
// role and checks that exactly the roles of the permission table get past
// the check, and that no token or an unknown one gets 401.
func TestRoutes_PermissionTable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, rt := range h.srv.routes {
		path := strings.NewReplacer("{id}", "x").Replace(rt.path)
		if rt.action == "" {
			w := h.do(request{method: rt.method, path: path})
			if w.Code != http.StatusOK {
				t.Errorf("public %s %s without a token: %d", rt.method, rt.path, w.Code)
			}
			continue
		}
		for _, role := range roles {
			w := h.do(request{role: role, method: rt.method, path: path})
			denied := w.Code == http.StatusForbidden
			if denied == allowed(role, rt.action) {
				t.Errorf("%s %s as %s: %d; permission table says allowed=%v",
					rt.method, rt.path, role, w.Code, allowed(role, rt.action))
			}
			if w.Code == http.StatusUnauthorized {
				t.Errorf("%s %s as %s: 401 with a valid token", rt.method, rt.path, role)
			}
		}
		w := h.do(request{method: rt.method, path: path})
		if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s without a token: %d, WWW-Authenticate %q", rt.method, rt.path, w.Code,
				w.Header().Get("WWW-Authenticate"))
		}
		w = h.do(request{token: "not-a-known-token-at-all", method: rt.method, path: path})
		wantStatus(t, w, http.StatusUnauthorized)
		w = h.do(request{method: rt.method, path: path, header: http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}})
		wantStatus(t, w, http.StatusUnauthorized)
	}
}

func TestPermissions_SegregationOfDuties(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		role   Role
		action Action
		want   bool
	}{
		{Uploader, ResolveExceptions, false},
		{Uploader, UnapplyPayments, false},
		{Uploader, UploadStatements, true},
		{Specialist, UploadStatements, false},
		{Specialist, ResolveExceptions, true},
		{Specialist, ApproveWriteOffs, false},
		{Approver, ApproveWriteOffs, true},
		{Viewer, ResolveExceptions, false},
		{Viewer, ExportAllocations, true},
	} {
		if got := allowed(c.role, c.action); got != c.want {
			t.Errorf("allowed(%s, %s) = %v, want %v", c.role, c.action, got, c.want)
		}
	}
	for action, rs := range permissions {
		for _, r := range rs {
			if !validRole(r) {
				t.Errorf("%s names unknown role %q", action, r)
			}
		}
		if action != ApproveWriteOffs && !allowed(Admin, action) {
			t.Errorf("admin may not %s", action)
		}
	}
}
