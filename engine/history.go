package engine

import (
	"hash/fnv"
	"slices"
	"strings"
)

// priorPayments remembers payments decided earlier: to recognise one sent
// twice and to find the payment that a return undoes.
type priorPayments struct {
	list []priorPayment
	// byDup finds payments by their duplicate fingerprint.
	byDup map[uint64][]int32
	// byRef finds payments by bank reference and end-to-end ID, normalized.
	byRef map[string]int32
}

type priorPayment struct {
	id       PaymentID
	day      int32
	customer CustomerID
	amount   Amount
	invoices []InvoiceID // where its cash was applied
}

// Remember records a decided payment in the book, so that a matcher over
// this book recognises a later copy of it as a duplicate and finds it when
// it is returned or reversed. A store calls it with the recent payments it
// loads with the book; a Matcher calls it for every payment it decides.
func (b *Book) Remember(p Payment, d Decision) {
	pp := &b.prior
	if pp.byDup == nil {
		pp.byDup = make(map[uint64][]int32)
		pp.byRef = make(map[string]int32)
	}
	i := pp.add(p)
	pp.settle(i, d)
}

func (pp *priorPayments) add(p Payment) int32 {
	if pp.byDup == nil {
		pp.byDup = make(map[uint64][]int32)
		pp.byRef = make(map[string]int32)
	}
	i := int32(len(pp.list))
	pp.list = append(pp.list, priorPayment{id: p.ID, day: paymentDay(&p), amount: p.Amount})
	if k, ok := dupKey(&p); ok {
		pp.byDup[k] = append(pp.byDup[k], i)
	}
	for _, r := range [...]string{p.BankRef, p.EndToEndID} {
		if k := refKey(r); k != "" {
			if _, taken := pp.byRef[k]; !taken {
				pp.byRef[k] = i
			}
		}
	}
	return i
}

// settle records what was decided for prior payment i.
func (pp *priorPayments) settle(i int32, d Decision) {
	e := &pp.list[i]
	e.customer = d.Customer
	e.invoices = e.invoices[:0]
	for _, a := range d.Allocations {
		e.invoices = append(e.invoices, a.Invoice)
	}
}

// duplicateOf returns the earlier payment that p repeats: the same payer,
// amount and remittance within window days. ok is false when there is none.
func (pp *priorPayments) duplicateOf(p *Payment, window int) (int32, bool) {
	if window < 0 {
		return 0, false
	}
	k, ok := dupKey(p)
	if !ok {
		return 0, false
	}
	day := paymentDay(p)
	for _, i := range pp.byDup[k] {
		e := &pp.list[i]
		if e.id == p.ID || !e.amount.Equal(p.Amount) {
			continue
		}
		if day == noDay || e.day == noDay || abs32(day-e.day) <= int32(window) {
			return i, true
		}
	}
	return 0, false
}

// original returns the earlier payment that return or reversal p undoes.
func (pp *priorPayments) original(p *Payment) (int32, bool) {
	for _, r := range [...]string{p.OriginalRef, p.EndToEndID} {
		if k := refKey(r); k != "" {
			if i, ok := pp.byRef[k]; ok && pp.list[i].id != p.ID {
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

// dupKey fingerprints what a payment sent twice has twice: the payer
// (account, else name), currency, amount and remittance. ok is false when
// the payment has neither payer nor remittance to tell it from an
// unrelated payment of the same amount.
func dupKey(p *Payment) (uint64, bool) {
	h := fnv.New64a()
	var buf []byte
	payer := appendNormalized(buf, p.PayerAccount)
	if len(payer) == 0 {
		payer = appendNormalized(payer, p.PayerName)
	}
	text := 0
	for _, l := range p.Remittance.Lines {
		buf = appendNormalized(buf[:0], l)
		text += len(buf)
		h.Write(buf)
	}
	h.Write([]byte{0})
	if len(payer) == 0 && text == 0 {
		return 0, false
	}
	var refs []string
	for _, r := range p.Remittance.References {
		refs = append(refs, NormalizeNumber(r.Value)+"="+r.Amount.String())
	}
	if text == 0 && len(refs) == 0 {
		return 0, false
	}
	slices.Sort(refs)
	for _, r := range refs {
		h.Write([]byte(r))
		h.Write([]byte{0})
	}
	h.Write(payer)
	h.Write([]byte{0})
	h.Write([]byte(p.Amount.Currency))
	units, _ := p.Amount.Minor()
	var n [8]byte
	for i := range n {
		n[i] = byte(units >> (8 * i))
	}
	h.Write(n[:])
	return h.Sum64(), true
}
