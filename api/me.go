package api

import (
	"net/http"
	"slices"
)

// meJSON tells callers who they are and what they may do, so that a client
// such as the workbench shows each person what the API would allow without
// a copy of the permission table.
type meJSON struct {
	Name    string   `json:"name"`
	Role    Role     `json:"role"`
	Actions []Action `json:"actions"`
	// ApprovalLimit is the largest write-off a person may make without an
	// approver, in units of the payment's currency.
	ApprovalLimit string `json:"approval_limit"`
}

// me answers with the caller, the actions their role may perform, sorted,
// and the approval limit of write-offs.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	who, _ := r.Context().Value(principalKey{}).(Principal)
	out := meJSON{Name: who.Name, Role: who.Role, Actions: []Action{},
		ApprovalLimit: s.opts.ApprovalLimit.String()}
	for action := range permissions {
		if allowed(who.Role, action) {
			out.Actions = append(out.Actions, action)
		}
	}
	slices.Sort(out.Actions)
	return writeJSON(w, http.StatusOK, out)
}
