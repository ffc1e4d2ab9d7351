package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// resolutionJSON is a specialist's decision on an exception, as sent: either
// the rank of a suggestion to accept as it is, or the parts explicitly.
type resolutionJSON struct {
	Suggestion    int               `json:"suggestion,omitempty"`
	Allocations   []allocationIn    `json:"allocations,omitempty"`
	OnAccount     string            `json:"on_account,omitempty"`
	Customer      engine.CustomerID `json:"customer_id,omitempty"`
	WriteOffs     []writeOffIn      `json:"write_offs,omitempty"`
	NotReceivable bool              `json:"not_receivable,omitempty"`
	Note          string            `json:"note,omitempty"`
	// ProposedBy names who proposed a resolution waiting for approval; it
	// is set by the server, never taken from a request.
	ProposedBy string `json:"proposed_by,omitempty"`
}

type allocationIn struct {
	Invoice engine.InvoiceID `json:"invoice_id"`
	Amount  string           `json:"amount"`
}

type writeOffIn struct {
	Invoice engine.InvoiceID `json:"invoice_id"`
	Amount  string           `json:"amount"`
	Code    string           `json:"code"`
}

// toStore turns a resolution of exception x into the store's form. It
// checks the form of the request (amounts, a suggestion that exists); the
// store checks that it adds up.
func (rj resolutionJSON) toStore(x store.Exception, actor string) (store.Resolution, error) {
	c := x.Amount.Currency
	res := store.Resolution{Payment: x.Payment, Version: x.Version, Customer: rj.Customer,
		Actor: actor, Note: rj.Note, OnAccount: engine.Zero(c)}
	amount := func(field, s string) (engine.Amount, error) {
		a, err := engine.ParseAmount(s, c)
		if err != nil {
			return a, badRequest(fmt.Sprintf("%s: %v", field, err))
		}
		return a, nil
	}
	explicit := len(rj.Allocations) > 0 || rj.OnAccount != "" || len(rj.WriteOffs) > 0
	switch {
	case rj.Suggestion > 0:
		if explicit || rj.NotReceivable {
			return res, badRequest("give either a suggestion or the parts of a resolution, not both")
		}
		if rj.Suggestion > len(x.Suggestions) {
			return res, unprocessable("no-such-suggestion", "No such suggestion",
				fmt.Sprintf("exception %s has %d suggestions", x.Payment, len(x.Suggestions)))
		}
		sg := x.Suggestions[rj.Suggestion-1]
		res.Action, res.Allocations, res.Adjustments = store.ActionApply, sg.Allocations, sg.Adjustments
		res.OnAccount = inCurrency(sg.OnAccount, c)
		if res.Customer == "" {
			res.Customer = sg.Customer
		}
		if len(sg.Allocations) == 0 {
			res.Action = store.ActionOnAccount
		}
		return res, nil
	case rj.NotReceivable:
		if explicit {
			return res, badRequest("a payment that is not a receivable has no allocations, on account or write-offs")
		}
		res.Action = store.ActionNotReceivable
		return res, nil
	case !explicit:
		return res, badRequest("the resolution is empty: give a suggestion, allocations, on_account, or not_receivable")
	}

	res.Action = store.ActionApply
	for i, a := range rj.Allocations {
		v, err := amount(fmt.Sprintf("allocations[%d].amount", i), a.Amount)
		if err != nil {
			return res, err
		}
		res.Allocations = append(res.Allocations, engine.Allocation{Invoice: a.Invoice, Amount: v})
	}
	if rj.OnAccount != "" {
		v, err := amount("on_account", rj.OnAccount)
		if err != nil {
			return res, err
		}
		res.OnAccount = v
	}
	for i, wo := range rj.WriteOffs {
		v, err := amount(fmt.Sprintf("write_offs[%d].amount", i), wo.Amount)
		if err != nil {
			return res, err
		}
		if strings.TrimSpace(wo.Code) == "" {
			return res, badRequest(fmt.Sprintf("write_offs[%d]: a write-off needs a reason code", i))
		}
		res.Adjustments = append(res.Adjustments, engine.Adjustment{Invoice: wo.Invoice, Amount: v,
			Reason: engine.WriteOff, Code: wo.Code})
	}
	if len(res.Allocations) == 0 && len(res.Adjustments) == 0 {
		res.Action = store.ActionOnAccount
	}
	return res, nil
}

// needsApproval reports whether a resolution writes off more than the
// approval limit: the sum of its adjustments, in the payment's currency.
func (s *Server) needsApproval(res store.Resolution) bool {
	sum := engine.Zero("")
	for _, a := range res.Adjustments {
		sum.Value = sum.Value.Add(a.Amount.Value.Abs())
	}
	return sum.Value.GreaterThan(s.opts.ApprovalLimit)
}

// resolveException resolves one exception: 200 when it is applied, 202 when
// its write-off waits for an approver.
func (s *Server) resolveException(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	ver, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in resolutionJSON
	if err := readJSON(r, &in); err != nil {
		return err
	}
	out := s.resolveOne(r.Context(), id, ver, in)
	if out.err != nil {
		return out.err
	}
	w.Header().Set("ETag", out.exception.Version)
	return writeJSON(w, out.status, out.exception)
}

// resolved is the outcome of one resolution.
type resolved struct {
	status    int
	exception exceptionJSON
	err       error
}

// resolveOne checks and applies one resolution, or records it for approval.
func (s *Server) resolveOne(ctx context.Context, id engine.PaymentID, ver uint64, in resolutionJSON) resolved {
	rs, err := s.prepare(ctx, []bulkItem{{ID: id, ver: ver, Resolution: in}})
	if err != nil {
		return resolved{err: err}
	}
	return s.commitResolutions(ctx, rs)[0]
}

// prepared is a resolution ready for the store, or the reason it is not.
type prepared struct {
	res     store.Resolution
	x       store.Exception
	body    resolutionJSON
	propose bool
	err     error
}

// prepare reads each exception and turns its resolution into the store's
// form. A failure of one item is kept in its place; err is a failure of the
// server.
func (s *Server) prepare(ctx context.Context, items []bulkItem) ([]prepared, error) {
	who := principalFrom(ctx)
	pending, err := s.proposals(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]prepared, len(items))
	for i, it := range items {
		p := &out[i]
		x, err := s.store.Exception(ctx, s.opts.Entity, it.ID)
		if err != nil {
			p.err = storeProblem(err, "exception", string(it.ID))
			continue
		}
		p.x, p.body = x, it.Resolution
		p.body.ProposedBy = ""
		if x.Version != it.ver {
			p.err = storeProblem(&store.ConflictError{Payment: it.ID, Want: it.ver, Have: x.Version}, "", "")
			continue
		}
		if x.Status != store.StatusOpen {
			p.err = problem(http.StatusConflict, "not-open", "The exception is not open",
				fmt.Sprintf("exception %s is %s; unapply the payment to work on it again", it.ID, x.Status))
			continue
		}
		if pr, ok := pending[it.ID]; ok && pr.Version == x.Version {
			p.err = problem(http.StatusConflict, "pending-approval", "A resolution waits for approval",
				fmt.Sprintf("%s proposed a resolution of %s that waits for an approver; an approver approves or rejects it first",
					pr.Proposer, it.ID))
			continue
		}
		if p.res, p.err = it.Resolution.toStore(x, who.Name); p.err != nil {
			continue
		}
		p.propose = s.needsApproval(p.res)
	}
	return out, nil
}

// commitResolutions applies the prepared resolutions that need no approval
// in one store batch and records the others as proposals.
func (s *Server) commitResolutions(ctx context.Context, ps []prepared) []resolved {
	now := time.Now()
	out := make([]resolved, len(ps))
	var batch []store.Resolution
	var where []int
	for i := range ps {
		p := &ps[i]
		switch {
		case p.err != nil:
			out[i].err = p.err
		case p.propose:
			out[i] = s.propose(ctx, p, now)
		default:
			batch = append(batch, p.res)
			where = append(where, i)
		}
	}
	if len(batch) == 0 {
		return out
	}
	xs, errs, err := s.group.resolveAll(ctx, batch)
	for j, i := range where {
		switch {
		case err != nil:
			out[i].err = err
		case errs[j] != nil:
			out[i].err = storeProblem(errs[j], "exception", string(batch[j].Payment))
		default:
			out[i] = resolved{status: http.StatusOK, exception: newExceptionJSON(xs[j], now)}
		}
	}
	return out
}

// propose records a resolution that waits for an approver.
func (s *Server) propose(ctx context.Context, p *prepared, now time.Time) resolved {
	body := p.body
	body.ProposedBy = p.res.Actor
	b, err := json.Marshal(body)
	if err != nil {
		return resolved{err: err}
	}
	err = s.store.Propose(ctx, s.opts.Entity, store.Proposal{Payment: p.x.Payment, Version: p.x.Version,
		Proposer: p.res.Actor, Time: now.UTC(), Body: b})
	if err != nil {
		return resolved{err: storeProblem(err, "exception", string(p.x.Payment))}
	}
	j := newExceptionJSON(p.x, now)
	j.Status, j.Pending = statusPending, &body
	return resolved{status: http.StatusAccepted, exception: j}
}

// statusPending is the status the API shows for an open exception whose
// resolution waits for an approver.
const statusPending = "pending_approval"

// proposals returns the entity's proposals by payment.
func (s *Server) proposals(ctx context.Context) (map[engine.PaymentID]store.Proposal, error) {
	ps, err := s.store.Proposals(ctx, s.opts.Entity)
	if err != nil {
		return nil, err
	}
	out := make(map[engine.PaymentID]store.Proposal, len(ps))
	for _, p := range ps {
		out[p.Payment] = p
	}
	return out, nil
}

// markPending shows the proposal that waits for approval on an open
// exception, when it is not stale.
func (s *Server) markPending(j *exceptionJSON, x store.Exception, pending map[engine.PaymentID]store.Proposal) {
	p, ok := pending[x.Payment]
	if !ok || p.Version != x.Version || x.Status != store.StatusOpen {
		return
	}
	var body resolutionJSON
	if err := json.Unmarshal(p.Body, &body); err != nil {
		s.log.Warn("unreadable proposal", "payment_id", x.Payment, "error", err)
		return
	}
	j.Status, j.Pending = statusPending, &body
}

// bulkItem is one resolution of a bulk request.
type bulkItem struct {
	ID         engine.PaymentID `json:"id"`
	Version    string           `json:"version"`
	Resolution resolutionJSON   `json:"resolution"`
	ver        uint64
}

// maxBulk is the most exceptions one bulk request resolves.
const maxBulk = 1000

// bulkResolve resolves many exceptions, each on its own terms: the answer
// lists each item's status and its exception or problem.
func (s *Server) bulkResolve(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Items []bulkItem `json:"items"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if len(in.Items) == 0 || len(in.Items) > maxBulk {
		return badRequest(fmt.Sprintf("give from 1 to %d items", maxBulk))
	}
	var bad []string
	for i := range in.Items {
		it := &in.Items[i]
		v, err := parseVersion(it.Version)
		if err != nil || it.ID == "" {
			bad = append(bad, fmt.Sprintf("items[%d]", i))
			continue
		}
		it.ver = v
	}
	if len(bad) > 0 {
		return badRequest("each item needs an id and the version read: " + strings.Join(bad, ", "))
	}
	ps, err := s.prepare(r.Context(), in.Items)
	if err != nil {
		return err
	}
	type result struct {
		ID        engine.PaymentID `json:"id"`
		Status    int              `json:"status"`
		Exception *exceptionJSON   `json:"exception,omitempty"`
		Problem   *Problem         `json:"problem,omitempty"`
	}
	out := struct {
		Results  []result `json:"results"`
		Resolved int      `json:"resolved"`
		Pending  int      `json:"pending_approval"`
		Failed   int      `json:"failed"`
	}{Results: make([]result, len(ps))}
	for i, res := range s.commitResolutions(r.Context(), ps) {
		rr := result{ID: in.Items[i].ID, Status: res.status}
		var p *Problem
		switch {
		case errors.As(res.err, &p):
			rr.Status, rr.Problem = p.Status, p
			out.Failed++
		case res.err != nil:
			return res.err
		default:
			rr.Exception = &res.exception
			if res.status == http.StatusAccepted {
				out.Pending++
			} else {
				out.Resolved++
			}
		}
		out.Results[i] = rr
	}
	return writeJSON(w, http.StatusOK, out)
}

// approveException applies a resolution that waits for approval, as the
// approver; the approver may not be its proposer.
func (s *Server) approveException(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := engine.PaymentID(r.PathValue("id"))
	pr, x, note, err := s.pendingFor(r, id)
	if err != nil {
		return err
	}
	who := principalFrom(ctx)
	if pr.Proposer == who.Name {
		return forbidden("nobody approves a write-off they proposed; another approver must")
	}
	var body resolutionJSON
	if err := json.Unmarshal(pr.Body, &body); err != nil {
		return fmt.Errorf("proposal of %s: %w", id, err)
	}
	res, err := body.toStore(x, who.Name)
	if err != nil {
		return err
	}
	res.Note = fmt.Sprintf("approved the resolution proposed by %s", pr.Proposer)
	if body.Note != "" {
		res.Note += ": " + body.Note
	}
	if note != "" {
		res.Note += "; approver: " + note
	}
	xs, errs, err := s.group.resolveAll(ctx, []store.Resolution{res})
	if err != nil {
		return err
	}
	if errs[0] != nil {
		return storeProblem(errs[0], "exception", string(id))
	}
	if err := s.store.DropProposal(ctx, s.opts.Entity, id); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(xs[0].Version))
	return writeJSON(w, http.StatusOK, newExceptionJSON(xs[0], time.Now()))
}

// rejectException sends a resolution that waits for approval back: the
// exception is open again.
func (s *Server) rejectException(w http.ResponseWriter, r *http.Request) error {
	id := engine.PaymentID(r.PathValue("id"))
	pr, x, note, err := s.pendingFor(r, id)
	if err != nil {
		return err
	}
	// TODO: a rejection is logged but not in the store's audit log, which
	// records changes of cash; the proposal it drops never moved any.
	if err := s.store.DropProposal(r.Context(), s.opts.Entity, id); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "write-off rejected", "payment_id", id, "proposer", pr.Proposer,
		"approver", principalFrom(r.Context()).Name, "note", note)
	w.Header().Set("ETag", etag(x.Version))
	return writeJSON(w, http.StatusOK, newExceptionJSON(x, time.Now()))
}

// pendingFor returns the proposal that waits for approval on exception id,
// the exception, and the approver's note, checking If-Match.
func (s *Server) pendingFor(r *http.Request, id engine.PaymentID) (store.Proposal, store.Exception, string, error) {
	ver, err := ifMatch(r)
	if err != nil {
		return store.Proposal{}, store.Exception{}, "", err
	}
	var in struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &in); err != nil {
			return store.Proposal{}, store.Exception{}, "", err
		}
	}
	x, err := s.store.Exception(r.Context(), s.opts.Entity, id)
	if err != nil {
		return store.Proposal{}, store.Exception{}, "", storeProblem(err, "exception", string(id))
	}
	if x.Version != ver {
		return store.Proposal{}, store.Exception{}, "", storeProblem(
			&store.ConflictError{Payment: id, Want: ver, Have: x.Version}, "", "")
	}
	pending, err := s.proposals(r.Context())
	if err != nil {
		return store.Proposal{}, store.Exception{}, "", err
	}
	pr, ok := pending[id]
	if !ok || pr.Version != x.Version || x.Status != store.StatusOpen {
		return store.Proposal{}, store.Exception{}, "", problem(http.StatusConflict, "nothing-pending",
			"Nothing waits for approval", fmt.Sprintf("no resolution of %s waits for approval", id))
	}
	return pr, x, in.Note, nil
}
