package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Suggestions and alternatives shown per decision.
const (
	maxSuggestions  = 5
	maxAlternatives = 3
)

// conclude ranks the candidates and decides: apply the best when it is
// confident, clear of the next different candidate and has no flaw;
// otherwise suggest it, or raise an exception with the reason.
func (w *worker) conclude(p *Payment, a *analysis, seq bool) Decision {
	m := w.m
	cands := w.ranked()
	d := Decision{Payment: p.ID, Kind: Exception, OnAccount: Zero(p.Amount.Currency), Unapplied: p.Amount}
	if a.cust >= 0 {
		d.Customer = m.book.custs[a.cust].c.ID
	}
	if len(cands) == 0 {
		d.Exception, d.Reasons = w.nothingFound(p, a)
		return d
	}
	best := &cands[0]
	if d.Customer == "" && best.cust >= 0 && !best.noAuto {
		d.Customer = m.book.custs[best.cust].c.ID
	}
	var rival *candidate
	if len(cands) > 1 {
		rival = &cands[1]
	}
	threshold := m.autoThreshold(best.cust)
	alike := rival != nil && rival.conf+m.opts.AmbiguityMargin > best.conf && rival.conf >= m.opts.SuggestThreshold

	switch {
	case best.conf >= threshold && !best.noAuto && best.flaw == NoReason && !alike &&
		best.allocated()+best.onAcct == a.units:
		d = w.apply(p, a, best)
		for k := 1; k < len(cands) && len(d.Alternatives) < maxAlternatives; k++ {
			if c := &cands[k]; len(c.allocs) > 0 {
				d.Alternatives = append(d.Alternatives, w.suggestion(p, c, w.lostTo(c, best, false)))
			}
		}
		return d
	case alike && best.conf >= m.opts.SuggestThreshold:
		d.Exception = Ambiguous
		d.Reasons = []string{fmt.Sprintf("not applied: two different answers score alike (%s and %s); a person must choose",
			best.conf, rival.conf)}
	case best.conf >= m.opts.SuggestThreshold && len(best.allocs) > 0:
		d.Kind = Suggested
		d.Exception, d.Reasons = w.whyNot(best, threshold)
	default:
		d.Exception, d.Reasons = w.whyNot(best, threshold)
		if best.flaw == NoReason {
			d.Exception = LowConfidence
			if a.cust < 0 {
				d.Exception = UnidentifiedPayer
			}
		}
	}
	d.Confidence = best.conf
	for k := range cands {
		if k == maxSuggestions {
			break
		}
		lost := ""
		if k > 0 {
			lost = w.lostTo(&cands[k], best, alike && k == 1)
		}
		d.Suggestions = append(d.Suggestions, w.suggestion(p, &cands[k], lost))
	}
	return d
}

// ranked sorts the candidates, best first, and drops all but the best of
// those that allocate the same invoices.
func (w *worker) ranked() []candidate {
	key := func(c *candidate) string {
		var b strings.Builder
		ids := make([]string, 0, len(c.allocs))
		for _, al := range c.allocs {
			ids = append(ids, string(w.m.book.id(al.item)))
		}
		slices.Sort(ids)
		for _, id := range ids {
			b.WriteString(id)
			b.WriteByte(0)
		}
		if c.onAcct != 0 {
			b.WriteString("\x01on account")
		}
		return b.String()
	}
	keys := make([]string, len(w.cands))
	for k := range w.cands {
		keys[k] = key(&w.cands[k])
	}
	idx := make([]int, len(w.cands))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		a, b := &w.cands[x], &w.cands[y]
		if c := cmp.Compare(b.conf, a.conf); c != 0 {
			return c
		}
		if c := cmp.Compare(b.points, a.points); c != 0 {
			return c
		}
		// Of two readings of the same allocation, the one that may be
		// applied stands for it.
		if a.noAuto != b.noAuto {
			if a.noAuto {
				return 1
			}
			return -1
		}
		return strings.Compare(keys[x], keys[y])
	})
	out := make([]candidate, 0, len(idx))
	seen := make(map[string]bool, len(idx))
	for _, k := range idx {
		if seen[keys[k]] {
			continue
		}
		seen[keys[k]] = true
		out = append(out, w.cands[k])
	}
	return out
}

// whyNot explains why the best candidate was not applied, and names the
// exception reason.
func (w *worker) whyNot(best *candidate, threshold Confidence) (Reason, []string) {
	switch {
	case best.flaw != NoReason:
		return best.flaw, []string{"not applied: " + best.flawWhy}
	case best.noAuto:
		return LowConfidence, []string{"not applied: " + best.noAutoWhy}
	}
	return LowConfidence, []string{fmt.Sprintf("not applied: confidence %s is below the auto threshold %s",
		best.conf, threshold)}
}

// lostTo says why candidate c was not chosen over best.
func (w *worker) lostTo(c, best *candidate, alike bool) string {
	switch {
	case alike:
		return fmt.Sprintf("scores alike with the first suggestion (%s and %s)", c.conf, best.conf)
	case c.flaw != NoReason:
		return c.flawWhy
	case c.noAuto && c.conf >= best.conf:
		return c.noAutoWhy
	}
	return fmt.Sprintf("confidence %s, below %s of the first", c.conf, best.conf)
}

// nothingFound explains a payment for which no candidate exists.
func (w *worker) nothingFound(p *Payment, a *analysis) (Reason, []string) {
	m := w.m
	if a.cur < 0 {
		return CurrencyMismatch, []string{fmt.Sprintf("no open item is in %s", p.Amount.Currency)}
	}
	if a.cust < 0 {
		var why []string
		why = append(why, "no invoice number, customer number or known account found in the payment")
		switch {
		case a.payer.compact == "":
			why = append(why, "no payer name to compare with customers")
		case len(a.names) == 0:
			why = append(why, fmt.Sprintf("payer name %q resembles no customer", a.payerName))
		default:
			h := a.names[0]
			why = append(why, fmt.Sprintf("payer name %q is at best %s similar to customer %s, not enough to identify it",
				a.payerName, sim(h.sim), m.custLabel(h.cust)))
		}
		return UnidentifiedPayer, why
	}
	return NoOpenItems, []string{fmt.Sprintf("customer %s has no open item in %s", m.custLabel(a.cust), p.Amount.Currency)}
}

// suggestion converts a candidate for a decision.
func (w *worker) suggestion(p *Payment, c *candidate, lost string) Suggestion {
	s := Suggestion{
		Allocations: w.allocations(p, c),
		Adjustments: w.adjustments(p, c),
		OnAccount:   FromMinor(c.onAcct, p.Amount.Currency),
		Confidence:  c.conf,
		Reasons:     c.reasons,
		Lost:        lost,
	}
	if c.cust >= 0 {
		s.Customer = w.m.book.custs[c.cust].c.ID
	}
	return s
}

func (w *worker) allocations(p *Payment, c *candidate) []Allocation {
	out := make([]Allocation, 0, len(c.allocs))
	for _, al := range c.allocs {
		out = append(out, Allocation{Invoice: w.m.book.invoiceID(al.item), Amount: FromMinor(al.units, p.Amount.Currency)})
	}
	return out
}

func (w *worker) adjustments(p *Payment, c *candidate) []Adjustment {
	var out []Adjustment
	for _, adj := range c.adjs {
		out = append(out, Adjustment{Invoice: w.m.book.invoiceID(adj.item),
			Amount: FromMinor(adj.units, p.Amount.Currency), Reason: adj.reason})
	}
	return out
}

// apply applies candidate c to the book and returns the automatic decision.
// The book is changed only when every invoice stays between zero and its
// amount; otherwise the payment becomes an exception.
func (w *worker) apply(p *Payment, a *analysis, c *candidate) Decision {
	items := w.m.book.items
	next := make(map[int32]int64, len(c.allocs)+len(c.adjs))
	reduce := func(item int32, units int64) bool {
		open, ok := next[item]
		if !ok {
			open = items[item].open
		}
		open -= units
		next[item] = open
		return withinAmount(open, items[item].amount)
	}
	for _, al := range c.allocs {
		if !reduce(al.item, al.units) {
			return exception(p, LowConfidence, "not applied: the allocation would take an invoice beyond zero")
		}
	}
	for _, adj := range c.adjs {
		if !reduce(adj.item, adj.units) {
			return exception(p, LowConfidence, "not applied: the adjustment would take an invoice beyond zero")
		}
	}
	for item, open := range next {
		items[item].open = open
		w.changed = append(w.changed, item)
	}
	a.applied = a.applied[:0]
	for _, al := range c.allocs {
		a.applied = append(a.applied, al.item)
	}
	d := Decision{
		Payment:     p.ID,
		Kind:        Auto,
		Customer:    w.m.book.custs[c.cust].c.ID,
		Allocations: w.allocations(p, c),
		Adjustments: w.adjustments(p, c),
		OnAccount:   FromMinor(c.onAcct, p.Amount.Currency),
		Unapplied:   Zero(p.Amount.Currency),
		Confidence:  c.conf,
		Reasons:     c.reasons,
	}
	return d
}

func exception(p *Payment, r Reason, why string) Decision {
	return Decision{
		Payment:   p.ID,
		Kind:      Exception,
		OnAccount: Zero(p.Amount.Currency),
		Unapplied: p.Amount,
		Exception: r,
		Reasons:   []string{why},
	}
}
