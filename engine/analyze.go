package engine

import (
	"fmt"
	"slices"
	"strings"
)

// analysis is what step 1 reads from a payment and step 2 adds: whether it
// is customer cash, what it names, and who pays. It depends only on the
// payment and the parts of the book that matching never changes.
type analysis struct {
	verdict verdict
	why     string
	// original is the prior payment that this one returns, reverses or
	// repeats; prior is this payment's own entry. Both are -1 when none.
	original int32
	prior    int32
	// applied lists the items an automatic decision applied cash to.
	applied []int32
	// payerSim is how alike the payer's name is to the identified
	// customer's, when payerSimOK.
	payerSim      int
	payerSimAlias bool
	payerSimOK    bool

	day     int32
	units   int64 // the amount in minor units
	unitsOK bool
	cur     int32 // the payment currency's index in the book, -1 if none

	hits     []refHit
	words    []string // number-like words that named nothing, for a typo search
	custRefs []int32  // customers named by customer number
	accts    []int32  // customers that pay from the payer's account
	payer    nameForm
	// payerName is the payer's name as written: the reader's, or one found
	// in labelled free text.
	payerName string
	ultimate  nameForm
	// typos are invoices one digit off a number the remittance wrote, whose
	// open amount is the payment's.
	typos []refHit
	// dup fingerprints the payment to recognise it sent twice (dupOK false:
	// it cannot be told from another payment of the same amount).
	dup      uint64
	dupOK    bool
	names    []nameHit // customers resembling the payer name, when searched
	partial  bool      // the remittance says the payment is partial
	feeWords bool      // the remittance speaks of fees or charges deducted

	cust    int32 // the identified payer, -1 when unknown
	idBy    idSource
	idSim   int
	idAlias bool
	// partition is the customer whose group decides the payment in step 3,
	// or -1 for step 4.
	partition int32
}

// idSource says how the payer was identified.
type idSource uint8

const (
	idNone idSource = iota
	idByReferences
	idByUltimate
	idByCustomerRef
	idByAccount
	idByName
)

// Name similarities, in thousandths, that identify a payer alone.
const (
	identifyName   = 920
	nameMargin     = 30 // over the next customer
	suggestName    = 750
	shortNameChars = 4 // names this short must match exactly
)

// partialWords say that a payment pays only part of what it names.
var partialWords = []string{"PARTIAL", "INSTALMENT", "INSTALLMENT", "PARTPAY", "PARTPAYMENT",
	"ABSCHLAG", "ACOMPTE"}

// paymentWords follow "PART" in "PART PAYMENT".
var paymentWords = []string{"PAYMENT", "PMT", "PAY", "PYMT"}

// feeWords say that a payer deducted fees or charges.
var feeWords = []string{"FEE", "FEES", "CHARGE", "CHARGES", "CHGS", "CHG", "COMMISSION"}

// analyze is step 1 for one payment.
func (w *worker) analyze(p *Payment, a *analysis) {
	m := w.m
	*a = analysis{original: -1, prior: -1, cust: -1, partition: -1, cur: -1}
	a.day = paymentDay(p)
	a.units, a.unitsOK = p.Amount.Minor()
	if k := slices.Index(m.book.currencies, p.Amount.Currency); k >= 0 {
		a.cur = int32(k)
	}
	a.verdict, a.why = classify(p, m.opts.NonReceivableCodes)
	if a.verdict != receivable {
		return
	}

	// What the remittance names.
	ex := &w.ex
	a.hits = ex.structuredHits(nil, p.Remittance.References)
	a.hits = ex.textHits(a.hits, p.Remittance.Lines, -1)
	a.hits = ex.textRF(a.hits)
	a.words = ex.unmatchedNumbers(nil)
	a.custRefs = ex.customerRefs(nil, p.Remittance.References)
	for i := range ex.atoms {
		switch t := ex.atomText(i); {
		case isWord(t, partialWords):
			a.partial = true
		case isWord(t, []string{"PART"}) && i+1 < len(ex.atoms) && isWord(ex.atomText(i+1), paymentWords):
			a.partial = true
		case isWord(t, feeWords):
			a.feeWords = true
		}
	}

	// Who pays.
	if p.PayerAccount != "" {
		w.ex.key = accountKey(w.ex.key, p.PayerAccount)
		a.accts = m.accts.appendTo(nil, w.ex.key)
	}
	a.payerName = p.PayerName
	if a.payerName == "" {
		a.payerName = payerFromText(p.Remittance.Lines)
	}
	if a.payerName != "" {
		a.payer = newNameForm(a.payerName, true)
	}
	if p.UltimatePayer != "" {
		a.ultimate = newNameForm(p.UltimatePayer, true)
	}
	w.identify(a)
	if a.cust >= 0 && a.payer.compact != "" {
		a.payerSim, a.payerSimAlias = m.simTo(&a.payer, a.cust)
		a.payerSimOK = true
	}
	if a.needsTypos(m) {
		w.findTypos(p, a)
		for _, h := range a.typos {
			if m.book.items[h.item].cust != a.partition {
				a.partition = -1
			}
		}
	}
	a.dup, a.dupOK = w.fingerprint(p, a)

	// Credits that name no customer may be something else entirely.
	if a.cust < 0 && !a.strongHits() {
		if why, ok := nonReceivableText(p); ok {
			a.verdict, a.why = notReceivable, why
		}
	}
}

// strongHits reports whether the remittance names an invoice well enough to
// identify the payer.
func (a *analysis) strongHits() bool {
	for _, h := range a.hits {
		if h.how.strong() {
			return true
		}
	}
	return false
}

// identify finds the payer. The strongest evidence wins: invoices named by
// reference, then the ultimate debtor's name, a customer number, the payer's
// account, and last the payer's name. A payer named only by similarity
// needs a clear lead over every other customer.
func (w *worker) identify(a *analysis) {
	m := w.m
	var byRefs []int32
	for _, h := range a.hits {
		if h.how.strong() {
			byRefs = appendUnique(byRefs, m.book.items[h.item].cust)
		}
	}
	switch {
	case len(byRefs) == 1:
		a.cust, a.idBy = byRefs[0], idByReferences
	case len(byRefs) > 1:
		// Invoices of several customers: decided in step 4, for the payer
		// that other evidence points to, if any.
		for _, c := range append(slices.Clone(a.custRefs), a.accts...) {
			if slices.Contains(byRefs, c) {
				a.cust, a.idBy = c, idByReferences
				break
			}
		}
		return
	}
	if a.cust < 0 && a.ultimate.compact != "" {
		if c, s, alias, ok := w.byName(&a.ultimate, nil); ok {
			a.cust, a.idBy, a.idSim, a.idAlias = c, idByUltimate, s, alias
		}
	}
	if a.cust < 0 && len(a.custRefs) == 1 {
		a.cust, a.idBy = a.custRefs[0], idByCustomerRef
	}
	if a.cust < 0 && len(a.accts) == 1 {
		a.cust, a.idBy = a.accts[0], idByAccount
	}
	if a.cust < 0 && a.payer.compact != "" {
		if c, s, alias, ok := w.byName(&a.payer, &a.names); ok {
			a.cust, a.idBy, a.idSim, a.idAlias = c, idByName, s, alias
		}
	}
	if a.cust < 0 {
		return
	}

	// Step 3 may decide the payment with its customer's items only; weak
	// readings of other customers' invoices are dropped.
	a.partition = a.cust
	a.hits = slices.DeleteFunc(a.hits, func(h refHit) bool { return m.book.items[h.item].cust != a.cust })
}

// findTypos looks for invoices one digit off the numbers the remittance
// wrote whose open amount is the payment's, or, when nothing is named, any
// such invoices, of any customer.
func (w *worker) findTypos(p *Payment, a *analysis) {
	m := w.m
	var words []string
	words = append(words, a.words...)
	for _, h := range a.hits {
		switch {
		case !h.how.strong():
		case h.ref < 0:
			words = append(words, NormalizeNumber(h.text))
		default:
			words = append(words, NormalizeNumber(p.Remittance.References[h.ref].Value))
		}
	}
	if len(words) == 0 {
		return
	}
	typos := w.ex.typoHits(nil, words, func(item int32) bool {
		it := &m.book.items[item]
		return int32(it.cur) == a.cur && it.open == a.units
	})
	if len(typos) == 0 && len(a.hits) == 0 {
		// Without an exact amount, a near number is still worth a
		// suggestion.
		typos = w.ex.typoHits(nil, words, nil)
	}
	a.typos = typos
}

// needsTypos reports whether a typing error may explain the payment: the
// remittance wrote numbers that named nothing, or named invoices whose open
// amounts do not add up to the payment.
func (a *analysis) needsTypos(m *Matcher) bool {
	if a.cur < 0 || !a.unitsOK {
		return false
	}
	if !a.strongHits() {
		return len(a.words) > 0
	}
	// A payer whose name does not fit the customer of the invoices named
	// may have mistyped the number of its own.
	if a.payerSimOK && a.idBy == idByReferences && a.payerSim < 800 {
		return true
	}
	var named int64
	for _, h := range a.hits {
		if it := &m.book.items[h.item]; int32(it.cur) == a.cur {
			named += it.open
		}
	}
	// Differences that a partial payment, a discount, a fee or a modest
	// over payment explain need no search.
	diff := named - a.units
	switch {
	case diff == 0:
		return false
	case diff > 0 && (a.partial || diff*20 <= named):
		return false
	case diff < 0 && -diff*10 <= named:
		return false
	}
	return true
}

// byName searches customers by name and reports the one the name
// identifies. The hits are stored in *keep when keep is not nil.
func (w *worker) byName(q *nameForm, keep *[]nameHit) (cust int32, sim int, alias, ok bool) {
	hits := w.m.searchName(q, &w.ns)
	if keep != nil {
		*keep = hits
	}
	if len(hits) == 0 {
		return -1, 0, false, false
	}
	best := hits[0]
	if best.sim < identifyName || (len(q.compact) < shortNameChars && best.sim < 1000) {
		return -1, 0, false, false
	}
	if len(hits) > 1 && hits[1].sim > best.sim-nameMargin {
		return -1, 0, false, false
	}
	return best.cust, best.sim, best.alias, true
}

// maxCachedNames bounds the payer names whose search results a Matcher
// keeps.
const maxCachedNames = 200_000

// searchName returns the customers whose names resemble q. The same payers
// pay again and again under the same name, so results are kept by name;
// the index does not change while a Matcher lives, so a kept result is the
// result.
func (m *Matcher) searchName(q *nameForm, s *nameScratch) []nameHit {
	key := q.compact + "\x00" + strings.Join(q.words, " ")
	if hits, ok := m.nameCache.Load(key); ok {
		return hits.([]nameHit)
	}
	hits := m.names.search(q, s, suggestName, 5)
	if m.nameCached.Add(1) <= maxCachedNames {
		m.nameCache.Store(key, hits)
	}
	return hits
}

// simTo returns how alike name q is to customer c's name or aliases.
func (m *Matcher) simTo(q *nameForm, c int32) (best int, alias bool) {
	if q.compact == "" {
		return 0, false
	}
	for k, e := range m.custNames[c] {
		if s := nameSimilarity(q, &m.names.entries[e].form); s > best {
			best, alias = s, k > 0
		}
	}
	return best, alias
}

// screen is step 2 for one payment, in the fixed order: it finds what a
// return undoes and recognises a payment sent twice, and remembers the
// payment for those to come.
func (m *Matcher) screen(p *Payment, a *analysis) {
	pp := &m.book.prior
	switch a.verdict {
	case returned:
		if i, ok := pp.original(p); ok {
			a.original = i
		}
	case receivable:
		if i, ok := pp.duplicateOf(p, a.payerName, a.dup, a.dupOK, m.opts.DuplicateWindow); ok {
			a.verdict, a.original = duplicate, i
			return
		}
		a.prior = pp.add(p, a.dup, a.dupOK)
		pp.list[a.prior].payer = a.payerName
	}
}

// predecided returns the decision for a payment that step 1 or 2 settled:
// debits, pending and informational entries are skipped; returns, credits
// that are not receivables and duplicates are exceptions.
func (m *Matcher) predecided(p *Payment, a *analysis) Decision {
	d := Decision{
		Payment:   p.ID,
		Kind:      Exception,
		OnAccount: Zero(p.Amount.Currency),
		Unapplied: p.Amount,
		Reasons:   []string{a.why},
	}
	switch a.verdict {
	case skipDebit, skipPending, skipInfo:
		d.Kind = Skipped
	case notReceivable:
		d.Exception = NotReceivable
	case returned:
		d.Exception = Returned
		if a.original < 0 {
			d.Reasons = append(d.Reasons, "the payment it undoes was not found among the payments decided")
			break
		}
		pp := &m.book.prior
		o := &pp.list[a.original]
		d.Original = o.id
		if o.cust >= 0 {
			d.Customer = m.book.custs[o.cust].c.ID
		}
		if o.invLen > 0 {
			var ids []InvoiceID
			for _, item := range pp.invoices[o.inv : o.inv+o.invLen] {
				ids = append(ids, m.book.invoiceID(item))
			}
			d.Reasons = append(d.Reasons, fmt.Sprintf("undoes payment %s, applied to %s: reverse that application",
				o.id, joinIDs(ids)))
		} else {
			d.Reasons = append(d.Reasons, fmt.Sprintf("undoes payment %s, which was not applied", o.id))
		}
	case duplicate:
		o := &m.book.prior.list[a.original]
		d.Exception, d.Original = DuplicateSuspect, o.id
		if a.cust >= 0 {
			d.Customer = m.book.custs[a.cust].c.ID
		}
		d.Reasons = []string{fmt.Sprintf("repeats payment %s of %s: same payer, amount and remittance within %d days",
			o.id, dateOfDay(o.day), m.opts.DuplicateWindow)}
	}
	return d
}

func joinIDs(ids []InvoiceID) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		s += string(id)
	}
	return s
}
