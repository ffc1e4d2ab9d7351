package engine

import (
	"hash/maphash"
	"slices"
	"strings"
)

// priorPayments remembers payments decided earlier: to recognise one sent
// twice and to find the payment that a return undoes. It holds few
// pointers, as it grows with every payment decided.
type priorPayments struct {
	list []priorPayment
	// byDup finds the latest payment of a duplicate fingerprint; next
	// chains to the earlier ones of the same fingerprint.
	byDup map[uint64]int32
	next  []int32
	// byRef finds payments by the hash of a bank reference or end-to-end
	// ID, normalized.
	byRef map[uint64]int32
	// invoices holds, for each payment, the items its cash was applied to.
	invoices []int32
}

type priorPayment struct {
	id       PaymentID
	day      int32
	cust     int32 // -1 when no customer was identified
	units    int64
	currency Currency
	// The items its cash was applied to are invoices[inv:inv+invLen].
	inv    uint32
	invLen uint32
	// payer and account are the payer's name and bank account, as written,
	// to tell a copy from another payer's payment of the same invoice.
	payer, account string
	// unread holds a payment remembered through Book.Remember until a
	// Matcher reads its remittance to fingerprint it.
	unread *Payment
}

// Remember records a decided payment in the book, so that a matcher over
// this book recognises a later copy of it as a duplicate and finds it when
// it is returned or reversed. A store calls it with the recent payments it
// loads with the book; a Matcher remembers every payment it decides.
func (b *Book) Remember(p Payment, d Decision) {
	// As a Matcher does, remember customer payments only, and not a copy
	// of one already remembered.
	switch {
	case d.Kind == Skipped, p.Direction != Credit, p.Status != Booked:
		return
	case d.Exception == DuplicateSuspect, d.Exception == Returned, d.Exception == NotReceivable:
		return
	}
	i := b.prior.add(&p, 0, false)
	b.settle(i, d)
	cp := p
	b.prior.list[i].unread = &cp
}

// fingerprintUnread fingerprints the payments remembered since the last
// Matcher, reading their remittance as a payment of the run would be read.
func (m *Matcher) fingerprintUnread() {
	pp := &m.book.prior
	var w *worker
	for i := range pp.list {
		e := &pp.list[i]
		if e.unread == nil {
			continue
		}
		if w == nil {
			w = m.newWorkers(1)[0]
		}
		var a analysis
		w.analyze(e.unread, &a)
		if a.verdict == receivable && a.dupOK {
			pp.link(a.dup, int32(i))
		}
		e.payer = a.payerName
		e.unread = nil
	}
}

// add remembers payment p, with its duplicate fingerprint k when ok.
func (pp *priorPayments) add(p *Payment, k uint64, ok bool) int32 {
	if pp.byDup == nil {
		pp.byDup = make(map[uint64]int32)
		pp.byRef = make(map[uint64]int32)
	}
	i := int32(len(pp.list))
	units, _ := p.Amount.Minor()
	pp.list = append(pp.list, priorPayment{id: p.ID, day: paymentDay(p), cust: -1, units: units,
		currency: p.Amount.Currency, payer: p.PayerName, account: p.PayerAccount})
	pp.next = append(pp.next, -1)
	if ok {
		pp.link(k, i)
	}
	for _, r := range [...]string{p.BankRef, p.EndToEndID} {
		if k := refKey(r); k != "" {
			h := hashKey([]byte(k))
			if j, taken := pp.byRef[h]; !taken || pp.earlier(i, j) {
				pp.byRef[h] = i
			}
		}
	}
	return i
}

// earlier reports whether prior payment i comes before j in the order of
// decision (value date, then payment ID), whatever order they were
// remembered in: a store may reload them in another order than a run
// decided them.
func (pp *priorPayments) earlier(i, j int32) bool {
	a, b := &pp.list[i], &pp.list[j]
	if a.day != b.day {
		return a.day < b.day
	}
	return a.id < b.id
}

// link files payment i under duplicate fingerprint k.
func (pp *priorPayments) link(k uint64, i int32) {
	if head, ok := pp.byDup[k]; ok {
		pp.next[i] = head
	}
	pp.byDup[k] = i
}

// settle records what was decided for prior payment i.
func (b *Book) settle(i int32, d Decision) {
	items := make([]int32, 0, len(d.Allocations))
	for _, a := range d.Allocations {
		if item, ok := b.lookup([]byte(a.Invoice)); ok {
			items = append(items, item)
		}
	}
	cust := int32(-1)
	if c, ok := b.custByID[d.Customer]; ok && d.Customer != "" {
		cust = c
	}
	b.prior.settle(i, cust, items)
}

// settle records that prior payment i was decided for customer cust (or
// -1), applying cash to items.
func (pp *priorPayments) settle(i, cust int32, items []int32) {
	e := &pp.list[i]
	e.cust = cust
	e.inv, e.invLen = uint32(len(pp.invoices)), uint32(len(items))
	pp.invoices = append(pp.invoices, items...)
}

// duplicateOf returns the earlier payment that p, of duplicate fingerprint
// k (when ok), repeats: the same payer, amount and remittance within window
// days; the first such payment when there are several. Payers whose
// accounts differ, or whose names are not alike (0.95), are different
// payers. The second result is false when there is none.
func (pp *priorPayments) duplicateOf(p *Payment, payer string, k uint64, ok bool, window int) (int32, bool) {
	if window < 0 || !ok {
		return 0, false
	}
	day := paymentDay(p)
	units, _ := p.Amount.Minor()
	best := int32(-1)
	head, found := pp.byDup[k]
	for i := head; found && i >= 0; i = pp.next[i] {
		e := &pp.list[i]
		if e.id == p.ID || e.units != units || e.currency != p.Amount.Currency {
			continue
		}
		if e.account != "" && p.PayerAccount != "" &&
			string(accountKey(nil, e.account)) != string(accountKey(nil, p.PayerAccount)) {
			continue
		}
		if e.payer != "" && payer != "" && e.payer != payer {
			a, b := newNameForm(payer, true), newNameForm(e.payer, true)
			if max(nameSimilarity(&a, &b), nameSimilarity(&b, &a)) < 950 {
				continue
			}
		}
		if (day == noDay || e.day == noDay || abs32(day-e.day) <= int32(window)) && (best < 0 || pp.earlier(i, best)) {
			best = i
		}
	}
	return best, best >= 0
}

// original returns the earlier payment that return or reversal p undoes.
func (pp *priorPayments) original(p *Payment) (int32, bool) {
	for _, r := range [...]string{p.OriginalRef, p.EndToEndID} {
		if k := refKey(r); k != "" {
			if i, ok := pp.byRef[hashKey([]byte(k))]; ok && pp.list[i].id != p.ID {
				return i, true
			}
		}
	}
	return 0, false
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// paymentDay is the value date of a payment, or its booking date.
func paymentDay(p *Payment) int32 {
	if !p.ValueDate.IsZero() {
		return dayNumber(p.ValueDate)
	}
	return dayNumber(p.BookingDate)
}

// refKey normalizes a bank or end-to-end reference; references that say
// nothing ("NOTPROVIDED", all zeros) give "".
func refKey(s string) string {
	k := NormalizeNumber(s)
	if len(k) < 4 || k == "NOTPROVIDED" || k == "NONREF" || strings.Trim(k, "0") == "" {
		return ""
	}
	return k
}

// fingerprint returns what a payment sent twice has twice, however the
// bank presented each copy (a lockbox line, a wire, an ACH entry): the payer
// (the customer identified, else the payer's account or name), currency,
// amount and the documents it names (the invoices found, else the numbers
// written). ok is false when nothing but the amount could tell it from an
// unrelated payment.
func (w *worker) fingerprint(p *Payment, a *analysis) (uint64, bool) {
	var docs []string
	for _, h := range a.hits {
		if h.how.strong() {
			docs = append(docs, string(w.m.book.id(h.item)))
		}
	}
	if len(docs) == 0 {
		docs = append(docs, a.words...)
	}
	if len(docs) == 0 {
		return 0, false
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	var h maphash.Hash
	h.SetSeed(hashSeed)
	switch {
	case a.cust >= 0:
		h.WriteString(string(w.m.book.custs[a.cust].c.ID))
	case p.PayerAccount != "":
		h.Write(accountKey(nil, p.PayerAccount))
	default:
		h.WriteString(a.payer.compact)
	}
	h.WriteByte(0)
	h.WriteString(string(p.Amount.Currency))
	var n [8]byte
	for i := range n {
		n[i] = byte(a.units >> (8 * i))
	}
	h.Write(n[:])
	for _, d := range docs {
		h.WriteString(d)
		h.WriteByte(0)
	}
	return h.Sum64(), true
}
