package engine

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// candidate is one possible answer for a payment: what it would allocate,
// adjust and leave on account, how confident the engine is, and why.
type candidate struct {
	cust    int32
	allocs  []allocUnits
	adjs    []adjUnits
	onAcct  int64
	points  int
	conf    Confidence
	reasons []string
	// flaw is why the candidate cannot be applied as it stands (an amount
	// that does not fit, a currency that differs), with its explanation.
	flaw    Reason
	flawWhy string
	// noAuto forbids applying the candidate without a person, whatever its
	// confidence: a typing error, a search cut short, an unknown payer.
	noAuto    bool
	noAutoWhy string
}

type allocUnits struct {
	item  int32
	units int64
}

type adjUnits struct {
	item   int32
	units  int64
	reason AdjustmentReason
}

func (c *candidate) add(points int, reason string) {
	c.points += points
	c.reasons = append(c.reasons, reason)
}

func (c *candidate) forbidAuto(why string) {
	if !c.noAuto {
		c.noAuto, c.noAutoWhy = true, why
	}
}

func (c *candidate) setFlaw(r Reason, why string) {
	if c.flaw == NoReason {
		c.flaw, c.flawWhy = r, why
	}
}

// allocated returns the cash the candidate allocates.
func (c *candidate) allocated() int64 {
	var sum int64
	for _, a := range c.allocs {
		sum += a.units
	}
	return sum
}

// decide is steps 3 and 4 for one payment: gather the candidates, score
// them, decide and, when the decision is automatic, apply it. seq is true
// in step 4, where any customer's open items may be taken.
func (w *worker) decide(p *Payment, a *analysis, seq bool) Decision {
	if !a.unitsOK {
		return exception(p, LowConfidence, fmt.Sprintf("amount %s has more decimals than %s allows",
			p.Amount.Value, p.Amount.Currency))
	}
	w.cands = w.cands[:0]
	switch {
	case len(a.hits) > 0 && a.cur >= 0:
		w.referenceCandidates(p, a, a.hits)
	case len(a.hits) > 0:
		w.currencyCandidate(p, a, a.hits)
	}
	if !w.hasAuto(a) && a.cur >= 0 {
		switch {
		case a.cust >= 0:
			pts, why := w.identityPoints(p, a)
			w.amountCandidates(p, a, a.cust, pts, why, false)
		case seq:
			w.unknownPayerCandidates(p, a)
		}
	}
	if len(a.typos) > 0 && a.cur >= 0 {
		w.referenceCandidates(p, a, a.typos)
	}
	if a.cust >= 0 && a.cur >= 0 {
		w.onAccountCandidate(p, a)
	}
	return w.conclude(p, a, seq)
}

// hasAuto reports whether some candidate may already be applied.
func (w *worker) hasAuto(a *analysis) bool {
	t := w.m.autoThreshold(a.cust)
	for k := range w.cands {
		if c := &w.cands[k]; c.conf >= t && !c.noAuto && c.flaw == NoReason {
			return true
		}
	}
	return false
}

// referenceCandidates adds the candidates that follow the invoices the
// remittance names: all of them as listed, and, when their total does not
// fit, the subsets of them that do.
func (w *worker) referenceCandidates(p *Payment, a *analysis, hits []refHit) {
	m := w.m
	var open, paid, foreign []refHit
	for _, h := range hits {
		it := &m.book.items[h.item]
		switch {
		case int32(it.cur) != a.cur:
			foreign = append(foreign, h)
		case it.open == 0:
			paid = append(paid, h)
		default:
			open = append(open, h)
		}
	}
	if len(open) == 0 {
		if len(foreign) > 0 {
			w.currencyCandidate(p, a, foreign)
		} else if len(paid) > 0 {
			w.paidCandidate(p, a, paid)
		}
		return
	}
	c := w.listedCandidate(p, a, open, nil)
	for _, h := range paid {
		c.reasons = append(c.reasons, fmt.Sprintf("invoice %s, also named, is already paid", m.book.invoiceID(h.item)))
	}
	for _, h := range foreign {
		it := &m.book.items[h.item]
		c.reasons = append(c.reasons, fmt.Sprintf("invoice %s, also named, is in %s", m.book.invoiceID(h.item), m.book.currencies[it.cur]))
	}
	w.cands = append(w.cands, c)
	if c.flaw != AmountMismatch || len(open) < 2 || len(open) > 16 {
		return
	}
	values := make([]int64, len(open))
	for k, h := range open {
		values[k] = w.due(p, h)
	}
	sols, _ := w.ss.find(values, a.units, 3)
	for _, sol := range sols {
		if len(sol) == len(open) {
			continue
		}
		var sub, left []refHit
		for k, h := range open {
			if slices.Contains(sol, k) {
				sub = append(sub, h)
			} else {
				left = append(left, h)
			}
		}
		w.cands = append(w.cands, w.listedCandidate(p, a, sub, left))
	}
}

// due returns what the payer means to pay on the invoice of hit h: the
// amount the remittance states for it, or its open amount.
func (w *worker) due(p *Payment, h refHit) int64 {
	it := &w.m.book.items[h.item]
	if u, ok := statedAmount(p, h); ok && (u <= it.open) == (it.open > 0) {
		return u
	}
	return it.open
}

// statedAmount returns the amount paid that a structured reference states
// for the invoice of hit h, in minor units of the payment's currency.
func statedAmount(p *Payment, h refHit) (int64, bool) {
	if h.ref < 0 || int(h.ref) >= len(p.Remittance.References) {
		return 0, false
	}
	r := &p.Remittance.References[h.ref]
	if !r.HasAmount() || r.Amount.Currency != p.Amount.Currency {
		return 0, false
	}
	return r.Amount.Minor()
}

// listedCandidate pays the invoices of hits; excluded are invoices the
// remittance also names that this candidate leaves out.
func (w *worker) listedCandidate(p *Payment, a *analysis, hits, excluded []refHit) candidate {
	m := w.m
	var c candidate
	c.cust = m.book.items[hits[0].item].cust
	several := 0
	for _, h := range hits {
		if cu := m.book.items[h.item].cust; cu != c.cust {
			several++
			if cu == a.cust {
				c.cust = a.cust
			}
		}
	}

	// What the remittance names.
	weakest := hits[0].how
	for _, h := range hits {
		if howPoints[h.how] < howPoints[weakest] {
			weakest = h.how
		}
		c.reasons = append(c.reasons, fmt.Sprintf("invoice %s found %s: %q", m.book.invoiceID(h.item), howWords[h.how], h.text))
	}
	c.points += howPoints[weakest]
	if several > 0 {
		c.add(ptsSeveralCustomers, "the invoices named belong to different customers")
	}
	for k, h := range excluded {
		if k < 3 && h.how.strong() {
			c.add(ptsUnpaidListed, fmt.Sprintf("invoice %s is named too but does not fit the amount", m.book.invoiceID(h.item)))
		}
	}

	w.fitListed(&c, p, a, hits)
	w.payerEvidence(&c, p, a)
	w.dateEvidence(&c, a, true)
	c.conf = confidenceOf(c.points)
	return c
}

// fitListed allocates the payment to the invoices of hits and scores how
// the amount fits: as stated per invoice, exactly, short within a
// tolerance (rounding, early-payment discount, bank fee), partially, or
// over with the excess on account.
func (w *worker) fitListed(c *candidate, p *Payment, a *analysis, hits []refHit) {
	m := w.m
	cur := p.Amount.Currency
	tol := m.tolerance(c.cust, uint16(a.cur))
	total, stated := int64(0), false
	var overstated []string
	for _, h := range hits {
		d := w.due(p, h)
		if u, ok := statedAmount(p, h); ok {
			stated = true
			if u != d {
				overstated = append(overstated, fmt.Sprintf("%s for %s, of which %s is open",
					money(u, cur), m.book.invoiceID(h.item), money(d, cur)))
			}
		}
		c.allocs = append(c.allocs, allocUnits{h.item, d})
		total += d
	}
	if len(overstated) > 0 {
		why := "the remittance states " + strings.Join(overstated, "; ")
		c.add(ptsAmountMismatch, why)
		c.setFlaw(AmountMismatch, why)
	}
	pay := a.units
	names := w.itemList(c.allocs)

	if stated {
		w.statedDiscounts(c, p, a, hits, tol)
		settles := true
		for k, al := range c.allocs {
			if al.units+w.adjusted(c, al.item) != m.book.items[hits[k].item].open {
				settles = false
			}
		}
		switch {
		case total == pay && settles:
			c.add(ptsAmountAsStated, fmt.Sprintf("amounts paid per invoice as the remittance states them, adding up to the payment of %s",
				money(pay, cur)))
		case total == pay:
			c.add(ptsPartialStated, fmt.Sprintf("amounts paid per invoice as the remittance states them, adding up to the payment of %s; %s stay partly open",
				money(pay, cur), names))
		case total < pay && (pay-total)*10 <= total:
			c.onAcct = pay - total
			c.add(ptsOverOnAccount, fmt.Sprintf("the payment exceeds the amounts stated per invoice by %s: left on account",
				money(pay-total, cur)))
		case total < pay:
			c.onAcct = pay - total
			why := fmt.Sprintf("the payment exceeds the amounts stated per invoice by %s, more than a tenth of them",
				money(pay-total, cur))
			c.add(ptsAmountMismatch, why)
			c.setFlaw(AmountMismatch, why)
		default:
			w.spread(c, pay)
			why := fmt.Sprintf("the remittance states %s for %s but the payment is %s", money(total, cur), names, money(pay, cur))
			c.add(ptsAmountMismatch, why)
			c.setFlaw(AmountMismatch, why)
		}
		return
	}

	diff := total - pay
	switch {
	case diff == 0:
		c.add(ptsAmountExact, fmt.Sprintf("amount %s equals the open amount of %s", money(pay, cur), names))
	case diff < 0 && -diff*10 <= total:
		c.onAcct = -diff
		c.add(ptsOverOnAccount, fmt.Sprintf("amount %s exceeds the open amount of %s by %s: the excess is left on account",
			money(pay, cur), names, money(-diff, cur)))
	case diff < 0:
		c.onAcct = -diff
		why := fmt.Sprintf("amount %s exceeds the open amount of %s by %s, more than a tenth of it",
			money(pay, cur), names, money(-diff, cur))
		c.add(ptsAmountMismatch, why)
		c.setFlaw(AmountMismatch, why)
	case tol.rounding >= 0 && diff <= tol.rounding && !a.partial:
		w.adjustLargest(c, diff, Rounding)
		c.add(ptsRounding, fmt.Sprintf("short by %s, within the rounding tolerance of %s: written off as rounding",
			money(diff, cur), money(tol.rounding, cur)))
	case w.discounts(c, a, diff, tol):
		c.add(ptsDiscount, fmt.Sprintf("short by %s: the early-payment discount of %s by its terms", money(diff, cur), names))
	case a.partial:
		w.spread(c, pay)
		c.add(ptsPartialStated, fmt.Sprintf("partial payment, as the remittance says: %s of %s open on %s",
			money(pay, cur), money(total, cur), names))
	case tol.fee >= 0 && diff <= tol.fee && diff*2 <= total:
		w.adjustLargest(c, diff, BankFee)
		c.add(ptsBankFee, fmt.Sprintf("short by %s, within the bank fee tolerance of %s: written off as a bank fee",
			money(diff, cur), money(tol.fee, cur)))
	case tol.fee >= 0 && a.feeWords && diff <= 2*tol.fee && diff*2 <= total:
		w.adjustLargest(c, diff, BankFee)
		c.add(ptsBankFee-2, fmt.Sprintf("short by %s, which the remittance calls a fee, within twice the bank fee tolerance of %s: written off as a bank fee",
			money(diff, cur), money(tol.fee, cur)))
	default:
		w.spread(c, pay)
		why := fmt.Sprintf("short by %s: %s paid against %s open on %s, beyond the tolerances",
			money(diff, cur), money(pay, cur), money(total, cur), names)
		c.add(ptsAmountMismatch, why)
		c.setFlaw(AmountMismatch, why)
	}
}

// adjusted returns what the candidate adjusts on item.
func (w *worker) adjusted(c *candidate, item int32) int64 {
	var sum int64
	for _, adj := range c.adjs {
		if adj.item == item {
			sum += adj.units
		}
	}
	return sum
}

// statedDiscounts turns a discount that the remittance states for an
// invoice into an adjustment, when the invoice's terms grant it.
func (w *worker) statedDiscounts(c *candidate, p *Payment, a *analysis, hits []refHit, tol tolerance) {
	m := w.m
	for k, h := range hits {
		if h.ref < 0 {
			continue
		}
		r := &p.Remittance.References[h.ref]
		if r.Discount.Currency != p.Amount.Currency || r.Discount.Sign() <= 0 {
			continue
		}
		units, ok := r.Discount.Minor()
		it := &m.book.items[h.item]
		if !ok || c.allocs[k].units+units > it.open {
			continue
		}
		allowed, earned := m.discount(it, a.day, tol)
		slack := max(tol.rounding, 0)
		if !earned || units > allowed+slack {
			c.reasons = append(c.reasons, fmt.Sprintf("discount of %s taken on %s is not granted by its terms: left open",
				money(units, p.Amount.Currency), m.book.invoiceID(h.item)))
			continue
		}
		c.adjs = append(c.adjs, adjUnits{h.item, units, EarlyPaymentDiscount})
	}
}

// discounts explains a shortfall diff as the early-payment discounts that
// the invoices' terms grant at the payment's date, up to rounding, and
// records them as adjustments.
func (w *worker) discounts(c *candidate, a *analysis, diff int64, tol tolerance) bool {
	m := w.m
	var total int64
	var adjs []adjUnits
	for _, al := range c.allocs {
		it := &m.book.items[al.item]
		if d, ok := m.discount(it, a.day, tol); ok && d > 0 {
			adjs = append(adjs, adjUnits{al.item, d, EarlyPaymentDiscount})
			total += d
		}
	}
	rest := diff - total
	if len(adjs) == 0 || max(rest, -rest) > max(tol.rounding, 0) {
		return false
	}
	if rest < 0 {
		adjs[len(adjs)-1].units += rest
	}
	for _, adj := range adjs {
		w.adjust(c, adj)
	}
	if rest > 0 {
		w.adjustLargest(c, rest, Rounding)
	}
	return true
}

// discount returns the early-payment discount that item's terms grant for
// a payment on day, and whether it is earned.
func (m *Matcher) discount(it *openItem, day int32, tol tolerance) (int64, bool) {
	t := &m.book.terms[it.terms]
	if t.pctNum <= 0 || it.amount <= 0 || it.issue == noDay || day == noDay || tol.grace < 0 {
		return 0, false
	}
	if day > it.issue+int32(t.t.DiscountDays)+tol.grace {
		return 0, false
	}
	den := 100 * t.pctDen
	if it.amount > (1<<62)/t.pctNum {
		return 0, false
	}
	d := (it.amount*t.pctNum + den/2) / den
	return min(d, it.open), true
}

// adjust moves adj.units of an allocation into an adjustment.
func (w *worker) adjust(c *candidate, adj adjUnits) {
	for k := range c.allocs {
		if c.allocs[k].item == adj.item {
			c.allocs[k].units -= adj.units
		}
	}
	c.adjs = append(c.adjs, adj)
}

// adjustLargest records a difference against the largest allocation.
func (w *worker) adjustLargest(c *candidate, units int64, r AdjustmentReason) {
	best := 0
	for k := range c.allocs {
		if c.allocs[k].units > c.allocs[best].units {
			best = k
		}
	}
	w.adjust(c, adjUnits{c.allocs[best].item, units, r})
}

// spread allocates pay over the candidate's invoices: credit notes first,
// then invoices by due date, each in full until the money runs out.
func (w *worker) spread(c *candidate, pay int64) {
	items := w.m.book.items
	slices.SortStableFunc(c.allocs, func(x, y allocUnits) int {
		a, b := &items[x.item], &items[y.item]
		if (a.amount < 0) != (b.amount < 0) {
			if a.amount < 0 {
				return -1
			}
			return 1
		}
		if d := cmp.Compare(a.due, b.due); d != 0 {
			return d
		}
		return bytes.Compare(w.m.book.id(x.item), w.m.book.id(y.item))
	})
	rest := pay
	kept := c.allocs[:0]
	for _, al := range c.allocs {
		if al.units > rest {
			al.units = rest
		}
		rest -= al.units
		if al.units != 0 {
			kept = append(kept, al)
		}
	}
	c.allocs = kept
	c.adjs = c.adjs[:0]
}

// payerEvidence scores whether the payer is the candidate's customer.
func (w *worker) payerEvidence(c *candidate, p *Payment, a *analysis) {
	m := w.m
	label := m.custLabel(c.cust)
	ultimate := 0
	if a.ultimate.compact != "" {
		ultimate, _ = m.simTo(&a.ultimate, c.cust)
	}
	switch {
	case slices.Contains(a.accts, c.cust):
		c.add(ptsPayerAccount, fmt.Sprintf("payer account %s is on file for customer %s", maskAccount(p.PayerAccount), label))
	case len(a.accts) > 0 && ultimate < 900:
		c.add(ptsAccountOfOther, fmt.Sprintf("payer account %s is on file for customer %s, not %s",
			maskAccount(p.PayerAccount), m.custLabel(a.accts[0]), label))
	}
	if slices.Contains(a.custRefs, c.cust) {
		c.add(ptsPayerCustomerRef, fmt.Sprintf("the remittance names the customer number of %s", label))
	}
	if a.payer.compact != "" {
		s, alias := w.payerSim(a, c.cust)
		// A name that fits another customer clearly better speaks against
		// this one, however alike the two customers' names are.
		var other nameHit
		if s < 950 && ultimate < 900 {
			if hits := m.searchName(&a.payer, &w.ns); len(hits) > 0 && hits[0].cust != c.cust &&
				hits[0].sim >= identifyName && hits[0].sim >= s+50 {
				other = hits[0]
			}
		}
		switch pts := nameRefPoints(s); {
		case other.sim > 0:
			c.add(ptsNameOfOther, fmt.Sprintf("payer name %q matches customer %s (%s), not %s (%s)",
				a.payerName, m.custLabel(other.cust), sim(other.sim), label, sim(s)))
		case pts > 0:
			c.add(pts, fmt.Sprintf("payer name %q is %s similar to customer %s%s", a.payerName, sim(s), label, aliasNote(alias)))
		}
	}
	if ultimate >= 900 {
		c.add(ptsUltimatePayer, fmt.Sprintf("paid on behalf of %q, %s similar to customer %s", p.UltimatePayer, sim(ultimate), label))
	}
}

// payerSim returns how alike the payer's name is to customer c's names,
// from what step 1 found when c is the identified payer.
func (w *worker) payerSim(a *analysis, c int32) (int, bool) {
	if c == a.cust && a.payerSimOK {
		return a.payerSim, a.payerSimAlias
	}
	return w.m.simTo(&a.payer, c)
}

func aliasNote(alias bool) string {
	if alias {
		return " (a learned name)"
	}
	return ""
}

// dateEvidence notes an invoice paid days before it was issued: against a
// candidate resting on the amount it counts, for one named by reference it
// is only reported.
func (w *worker) dateEvidence(c *candidate, a *analysis, named bool) {
	if a.day == noDay {
		return
	}
	for _, al := range c.allocs {
		it := &w.m.book.items[al.item]
		if it.issue != noDay && a.day < it.issue-3 {
			pts := ptsBeforeIssue
			if named {
				pts = 0
			}
			c.add(pts, fmt.Sprintf("paid on %s, before invoice %s was issued on %s",
				dateOfDay(a.day), w.m.book.invoiceID(al.item), dateOfDay(it.issue)))
			return
		}
	}
}

// identityPoints scores how the payer was identified, for candidates that
// rest on the payer and the amount alone.
func (w *worker) identityPoints(p *Payment, a *analysis) (int, string) {
	m := w.m
	label := m.custLabel(a.cust)
	switch a.idBy {
	case idByReferences:
		return idReferences, fmt.Sprintf("the remittance names invoices of customer %s", label)
	case idByAccount:
		return idAccount, fmt.Sprintf("payer account %s is on file for customer %s", maskAccount(p.PayerAccount), label)
	case idByCustomerRef:
		return idCustomerRef, fmt.Sprintf("the remittance names the customer number of %s", label)
	case idByName:
		return nameIDPoints(a.idSim), fmt.Sprintf("payer name %q is %s similar to customer %s%s",
			a.payerName, sim(a.idSim), label, aliasNote(a.idAlias))
	case idByUltimate:
		return nameIDPoints(a.idSim), fmt.Sprintf("paid on behalf of %q, %s similar to customer %s",
			p.UltimatePayer, sim(a.idSim), label)
	}
	return 0, "payer not identified"
}

// amountCandidates adds the candidates that rest on the payer and the
// amount: one open item of customer cust with exactly the amount (or the
// amount less its early-payment discount), or several whose open amounts
// add up to it.
func (w *worker) amountCandidates(p *Payment, a *analysis, cust int32, idPts int, idWhy string, guess bool) {
	m := w.m
	cur := p.Amount.Currency
	pay := a.units
	w.items = w.items[:0]
	for _, i := range m.book.custs[cust].items {
		if it := &m.book.items[i]; int32(it.cur) == a.cur && it.open != 0 {
			w.items = append(w.items, i)
		}
	}
	if len(w.items) == 0 {
		return
	}
	tol := m.tolerance(cust, uint16(a.cur))
	base := func() candidate {
		c := candidate{cust: cust}
		c.add(idPts, idWhy)
		if guess {
			c.forbidAuto("the payer is not identified")
		}
		if a.strongHits() {
			c.add(ptsOtherInvoicesNamed, "the remittance names other invoices")
		}
		return c
	}

	// One open item with the amount, or with the amount less its discount.
	singles := 0
	for _, i := range w.items {
		if m.book.items[i].open == pay {
			singles++
		}
	}
	for _, i := range w.items {
		it := &m.book.items[i]
		switch {
		case it.open == pay:
			c := base()
			c.allocs = []allocUnits{{i, pay}}
			c.add(ptsSingleOpen, fmt.Sprintf("amount %s equals the open amount of %s, %s", money(pay, cur), m.book.invoiceID(i),
				countWords(singles, "the customer's only open item with that amount", "open items of the customer with that amount")))
			w.finishAmount(&c, a)
		case it.open > pay:
			if d, ok := m.discount(it, a.day, tol); ok && d > 0 && it.open-d == pay {
				c := base()
				c.allocs = []allocUnits{{i, pay}}
				c.adjs = []adjUnits{{i, d, EarlyPaymentDiscount}}
				c.add(ptsDiscounted, fmt.Sprintf("amount %s equals the open amount of %s less its early-payment discount of %s",
					money(pay, cur), m.book.invoiceID(i), money(d, cur)))
				w.finishAmount(&c, a)
			}
		}
	}

	// Several open items adding up to the amount.
	if len(w.items) < 2 {
		return
	}
	values := make([]int64, len(w.items))
	for k, i := range w.items {
		values[k] = m.book.items[i].open
	}
	sols, exhaustive := w.ss.find(values, pay, 3)
	for _, sol := range sols {
		if len(sol) < 2 {
			continue
		}
		c := base()
		for _, k := range sol {
			c.allocs = append(c.allocs, allocUnits{w.items[k], values[k]})
		}
		pts := ptsSubsetBase
		if len(sol) == maxSubset {
			pts -= 2
		}
		c.add(pts, fmt.Sprintf("amount %s equals the open amounts of %s together, %s", money(pay, cur),
			w.itemList(c.allocs), countWords(len(sols), "the only such combination of the customer's open items",
				"combinations of the customer's open items that add up to it")))
		if len(sol) == len(w.items) {
			c.add(ptsWholeOpen, "together they are the customer's whole open balance")
		}
		if !exhaustive || len(w.items) > manyItems {
			c.forbidAuto(fmt.Sprintf("the customer has %d open items: too many combinations for one to prove much", len(w.items)))
		}
		w.finishAmount(&c, a)
	}
}

// manyItems is the number of open items beyond which a combination that adds
// up to a payment is only a suggestion: 40 items have over 100,000
// combinations of up to four.
const manyItems = 40

func (w *worker) finishAmount(c *candidate, a *analysis) {
	w.dateEvidence(c, a, false)
	c.conf = confidenceOf(c.points)
	w.cands = append(w.cands, *c)
}

func countWords(n int, one, many string) string {
	if n == 1 {
		return one
	}
	if n >= 3 {
		return "one of at least 3 " + many
	}
	return fmt.Sprintf("one of %d %s", n, many)
}

// unknownPayerCandidates adds, for a payer nobody identified, the open items
// of any customer with exactly the amount and the open items of customers
// with a similar name. None may be applied without a person.
func (w *worker) unknownPayerCandidates(p *Payment, a *analysis) {
	m := w.m
	cur := p.Amount.Currency
	found := m.amounts.appendTo(nil, amountKey{a.units, uint16(a.cur)})
	found = slices.DeleteFunc(found, func(i int32) bool { return m.book.items[i].open != a.units })
	slices.Sort(found)
	found = slices.Compact(found)
	if len(found) <= 5 {
		for _, i := range found {
			it := &m.book.items[i]
			c := candidate{cust: it.cust, allocs: []allocUnits{{i, a.units}}}
			c.forbidAuto("the payer is not identified")
			c.add(ptsSingleOpen, fmt.Sprintf("amount %s equals the open amount of %s of customer %s, %s", money(a.units, cur),
				m.book.invoiceID(i), m.custLabel(it.cust), countWords(len(found), "the only open item with that amount", "open items with that amount")))
			if a.payer.compact != "" {
				s, alias := m.simTo(&a.payer, it.cust)
				if pts := nameIDPoints(s); pts > 0 {
					c.add(pts, fmt.Sprintf("payer name %q is %s similar to customer %s%s", a.payerName, sim(s), m.custLabel(it.cust), aliasNote(alias)))
				}
			}
			w.finishAmount(&c, a)
		}
	}
	// Customers whose names resemble the payer's closely but not uniquely:
	// the amount may tell them apart. A candidate of one of them is applied
	// only when no other scores alike, which the ranking checks.
	for k, h := range a.names {
		if k == 3 {
			break
		}
		why := fmt.Sprintf("payer name %q is %s similar to customer %s%s, and to other customers", a.payerName,
			sim(h.sim), m.custLabel(h.cust), aliasNote(h.alias))
		w.amountCandidates(p, a, h.cust, nameIDPoints(h.sim), why, h.sim < 950)
	}
}

// onAccountCandidate offers to hold the cash on the identified customer's
// account when nothing else fits.
func (w *worker) onAccountCandidate(p *Payment, a *analysis) {
	m := w.m
	pts, why := w.identityPoints(p, a)
	c := candidate{cust: a.cust, onAcct: a.units}
	c.add(pts-36, why)
	open := false
	for _, i := range m.book.custs[a.cust].items {
		if it := &m.book.items[i]; int32(it.cur) == a.cur && it.open != 0 {
			open = true
			break
		}
	}
	if open {
		c.setFlaw(AmountMismatch, "no open item of the customer, nor any combination of them, matches the amount")
	} else {
		c.setFlaw(NoOpenItems, fmt.Sprintf("customer %s has no open item in %s", m.custLabel(a.cust), p.Amount.Currency))
	}
	c.reasons = append(c.reasons, "hold the payment on account of the customer until it is explained")
	c.forbidAuto("cash is put on account only by a person")
	c.conf = confidenceOf(c.points)
	w.cands = append(w.cands, c)
}

// currencyCandidate explains invoices named in another currency.
func (w *worker) currencyCandidate(p *Payment, a *analysis, hits []refHit) {
	m := w.m
	c := candidate{cust: m.book.items[hits[0].item].cust}
	c.points = howPoints[hits[0].how] - 12
	for _, h := range hits {
		it := &m.book.items[h.item]
		c.reasons = append(c.reasons, fmt.Sprintf("invoice %s found %s, open %s", m.book.invoiceID(h.item), howWords[h.how],
			money(it.open, m.book.currencies[it.cur])))
	}
	c.setFlaw(CurrencyMismatch, fmt.Sprintf("the invoices named are in %s, the payment in %s",
		m.book.currencies[m.book.items[hits[0].item].cur], p.Amount.Currency))
	c.forbidAuto("a currency difference needs a person")
	c.conf = confidenceOf(c.points)
	w.cands = append(w.cands, c)
}

// paidCandidate explains invoices named that are already paid.
func (w *worker) paidCandidate(p *Payment, a *analysis, hits []refHit) {
	m := w.m
	c := candidate{cust: m.book.items[hits[0].item].cust, onAcct: a.units}
	c.points = howPoints[hits[0].how] - 24
	var ids []InvoiceID
	for _, h := range hits {
		ids = append(ids, m.book.invoiceID(h.item))
		c.reasons = append(c.reasons, fmt.Sprintf("invoice %s found %s: %q", m.book.invoiceID(h.item), howWords[h.how], h.text))
	}
	c.setFlaw(AlreadyPaid, fmt.Sprintf("invoice %s is already paid", joinIDs(ids)))
	c.reasons = append(c.reasons, "hold the payment on account of the customer, or refund it")
	c.forbidAuto("cash is put on account only by a person")
	c.conf = confidenceOf(c.points)
	w.cands = append(w.cands, c)
}

// itemList names the invoices of allocations: "INV-1", "INV-1 and INV-2",
// "INV-1, INV-2 and INV-3".
func (w *worker) itemList(allocs []allocUnits) string {
	var b strings.Builder
	for k, al := range allocs {
		switch {
		case k == 0:
		case k == len(allocs)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(string(w.m.book.invoiceID(al.item)))
	}
	return b.String()
}

// custLabel names a customer for a reason: "C1001 (Acme Corp)".
func (m *Matcher) custLabel(c int32) string {
	if c < 0 {
		return "unknown"
	}
	cu := &m.book.custs[c].c
	if cu.Name == "" {
		return string(cu.ID)
	}
	return string(cu.ID) + " (" + cu.Name + ")"
}

// maskAccount shows only the last four characters of an account number.
func maskAccount(s string) string {
	k := NormalizeNumber(s)
	if len(k) <= 4 {
		return "ending " + k
	}
	return "ending " + k[len(k)-4:]
}
