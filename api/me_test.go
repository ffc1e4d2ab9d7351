package api

import (
	"net/http"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMe_TellsNameRoleAndActions(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.ApprovalLimit = decimal.RequireFromString("250.00") })
	for _, role := range roles {
		t.Run(string(role), func(t *testing.T) {
			w := h.do(request{role: role, method: "GET", path: "/v1/me"})
			wantStatus(t, w, http.StatusOK)
			var got meJSON
			decode(t, w, &got)
			if got.Name != "Test "+string(role) || got.Role != role {
				t.Errorf("got %q %q, want %q %q", got.Name, got.Role, "Test "+string(role), role)
			}
			if got.ApprovalLimit != "250" {
				t.Errorf("approval limit %q, want %q", got.ApprovalLimit, "250")
			}
			if !slices.IsSorted(got.Actions) {
				t.Errorf("actions not sorted: %v", got.Actions)
			}
			for action := range permissions {
				if slices.Contains(got.Actions, action) != allowed(role, action) {
					t.Errorf("action %s listed=%v, allowed=%v", action,
						slices.Contains(got.Actions, action), allowed(role, action))
				}
			}
		})
	}
}

func TestMe_NeedsToken(t *testing.T) {
	h := newHarness(t, nil)
	w := h.do(request{method: "GET", path: "/v1/me"})
	wantStatus(t, w, http.StatusUnauthorized)
	w = h.do(request{token: "not-a-known-token-at-all", method: "GET", path: "/v1/me"})
	wantStatus(t, w, http.StatusUnauthorized)
}
