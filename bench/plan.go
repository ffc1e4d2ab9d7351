package bench

import (
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// format is the bank-file format a payment arrives in.
type format uint8

const (
	inBAI2 format = iota
	inCamt
	inACH
)

// docRef is one document as the payer's remittance names it.
type docRef struct {
	number string // as the payer wrote it
	// paid, due and discount are minor units; stated says whether the
	// payer wrote paid (and due and discount, where not zero).
	paid, due, discount int64
	stated              bool
	credit              bool
}

// payment is one planned payment: what the bank file will say and what the
// correct decision is.
type payment struct {
	kind     PaymentKind
	format   format
	currency engine.Currency
	amount   int64 // minor units, positive
	day      int

	cust        int32 // -1: no customer
	payerName   string
	payerAcct   string
	payerBank   string
	payerID     string // ACH company identification
	ultimate    string
	text        string // free text as the payer wrote it, one line
	docs        []docRef
	wrap        int    // wrap the text at this width (0: format default)
	nonReceipt  string // "interest" or "transfer" for non-receivables
	returnCode  string
	original    *payment // the payment a return undoes or a duplicate copies
	ref         string   // identity in the file, set by its writer
	bankRef     string   // camt AcctSvcrRef, set by its writer
	file        string   // set by its writer
	expect      string
	exception   engine.Reason
	allocations []alloc
	adjustments []adjust
	onAccount   int64
}

type alloc struct {
	inv    int32
	amount int64
}

type adjust struct {
	inv    int32
	amount int64
	reason engine.AdjustmentReason
}

// planner draws payments against the world, using each open item at most
// once.
type planner struct {
	g     *rng
	w     *world
	kinds []PaymentKind
	wts   []int
	// pool holds the open invoices not yet used, pos each one's place in
	// it (-1 once used).
	pool   []int32
	pos    []int32
	closed []int32
	// achSent are recent ACH payments of earlier days that a return may
	// undo.
	achSent  []*payment
	achToday []*payment
	unknowns int
	// dayOffset is the calendar offset of each statement day from the
	// start.
	dayOffset []int32
}

func newPlanner(g *rng, w *world, mix Mix, dayOffset []int32) *planner {
	p := &planner{g: g, w: w, pos: make([]int32, len(w.invoices)), dayOffset: dayOffset}
	for _, k := range Kinds() {
		if mix[k] > 0 {
			p.kinds = append(p.kinds, k)
			p.wts = append(p.wts, mix[k])
		}
	}
	for i, inv := range w.invoices {
		p.pos[i] = -1
		switch {
		case inv.open == 0:
			p.closed = append(p.closed, int32(i))
		case !inv.credit:
			p.pos[i] = int32(len(p.pool))
			p.pool = append(p.pool, int32(i))
		}
	}
	return p
}

// businessDays returns the offsets from start of the first n weekdays.
func businessDays(start engine.Date, n int) []int32 {
	var out []int32
	for off := int32(0); len(out) < n; off++ {
		if wd := start.AddDays(int(off)).Time().Weekday(); wd != 0 && wd != 6 {
			out = append(out, off)
		}
	}
	return out
}

// use takes invoice i out of the open pool.
func (p *planner) use(i int32) {
	at := p.pos[i]
	if at < 0 {
		return
	}
	last := p.pool[len(p.pool)-1]
	p.pool[at] = last
	p.pos[last] = at
	p.pool = p.pool[:len(p.pool)-1]
	p.pos[i] = -1
}

func (p *planner) isOpen(i int32) bool { return p.pos[i] >= 0 }

// endDay makes the day's ACH payments available to later returns.
func (p *planner) endDay() {
	p.achSent = append(p.achSent, p.achToday...)
	if n := len(p.achSent); n > 4096 {
		p.achSent = append(p.achSent[:0], p.achSent[n-4096:]...)
	}
	p.achToday = p.achToday[:0]
}

// next plans the next payments of day d: one, or two for a duplicate (the
// original, then its copy) when pair allows.
func (p *planner) next(d int, pair bool) []*payment {
	k := p.kinds[p.g.pick(p.wts)]
	if k == Duplicate && !pair {
		k = Exact
	}
	pm := p.plan(k, d)
	if pm == nil {
		pm = p.plan(Exact, d)
	}
	if pm == nil {
		pm = p.advance(d, int32(p.g.intn(len(p.w.customers))))
	}
	pm.day = d
	if pm.format == inACH && pm.kind != Return && achSEC(pm) == "CCD" {
		p.achToday = append(p.achToday, pm)
	}
	if k != Duplicate || pm.kind != Exact {
		return []*payment{pm}
	}
	dup := *pm
	dup.kind = Duplicate
	dup.original = pm
	dup.expect, dup.exception = ExpectException, engine.DuplicateSuspect
	dup.allocations, dup.adjustments, dup.onAccount = nil, nil, 0
	return []*payment{pm, &dup}
}

// plan draws a payment of kind k, or returns nil when the world has nothing
// for it.
func (p *planner) plan(k PaymentKind, d int) *payment {
	switch k {
	case Exact, DroppedPrefix, DroppedZeros, Typo, Wrapped, Duplicate:
		return p.single(k, d)
	case MultiInvoice, CreditNetted:
		return p.several(k, d)
	case NoRemittance, Combined:
		return p.silent(k, d)
	case Partial, ShortPay, ShortPayFee, Overpay:
		return p.offAmount(k, d)
	case Discount:
		return p.discount(d)
	case AlreadyPaid:
		return p.alreadyPaid(d)
	case NonReceivable:
		return p.nonReceivable(d)
	case UnknownPayer:
		return p.unknownPayer(d)
	case OnBehalf:
		return p.onBehalf(d)
	case Return:
		return p.achReturn()
	case Advance:
		return p.advance(d, int32(p.g.intn(len(p.w.customers))))
	}
	return nil
}

// drawOpen draws an open invoice issued by day d, or -1 when none is found.
func (p *planner) drawOpen(d int) int32 {
	for range 16 {
		if len(p.pool) == 0 {
			return -1
		}
		i := p.pool[p.g.intn(len(p.pool))]
		if p.w.invoices[i].issue <= p.dayOffset[d] {
			return i
		}
	}
	return -1
}

// fromCustomer starts a payment by customer c in its currency and usual
// format.
func (p *planner) fromCustomer(k PaymentKind, c int32) *payment {
	cu := &p.w.customers[c]
	pm := &payment{kind: k, cust: c, currency: cu.currency, payerName: cu.name,
		payerAcct: cu.account, payerBank: cu.bank, payerID: cu.companyID, expect: ExpectApply}
	pm.format = p.drawFormat(cu.currency)
	return pm
}

func (p *planner) drawFormat(c engine.Currency) format {
	switch c {
	case "USD":
		return [...]format{inBAI2, inACH, inCamt}[p.g.pick([]int{40, 35, 25})]
	case "CAD":
		return inBAI2
	}
	return inCamt
}

// phrases lead an invoice number in free text.
var phrases = []string{"", "", "", "PAYMENT ", "PMT ", "INV ", "INVOICE ", "RE ", "REF ", "PAYMENT FOR INVOICE ", "PAY "}

func (p *planner) phrase() string { return phrases[p.g.intn(len(phrases))] }

// writeNumber writes invoice i's number as a payer of kind k does.
func (p *planner) writeNumber(k PaymentKind, i int32) string {
	id := p.w.invoiceID(i)
	prefix, digits, _ := strings.Cut(id, "-")
	switch k {
	case DroppedPrefix:
		return digits
	case DroppedZeros:
		return prefix + [...]string{"-", "", " "}[p.g.intn(3)] + strings.TrimLeft(digits, "0")
	case Typo:
		return prefix + "-" + typo(p.g, digits)
	}
	switch p.g.intn(10) {
	case 0:
		return prefix + digits
	case 1:
		return strings.ToLower(id)
	case 2:
		return prefix + " " + digits
	}
	return id
}

// typo swaps two different neighbouring digits or changes one digit.
func typo(g *rng, digits string) string {
	b := []byte(digits)
	lead := len(b) - len(strings.TrimLeft(digits, "0"))
	if g.chance(500) {
		for range 8 {
			j := lead + g.intn(len(b)-lead-1)
			if b[j] != b[j+1] {
				b[j], b[j+1] = b[j+1], b[j]
				return string(b)
			}
		}
	}
	j := lead + g.intn(len(b)-lead)
	b[j] = '0' + byte((int(b[j]-'0')+1+g.intn(9))%10)
	return string(b)
}

// wrappedText is a long remittance note with the number inside it.
func wrappedText(g *rng, num, customer string) string {
	notes := []string{
		"PLEASE APPLY THIS PAYMENT TO INVOICE %s FROM %s WITH THANKS ACCOUNTS PAYABLE DEPARTMENT",
		"REMITTANCE ADVICE %s PAYMENT OF INVOICE %s AS AGREED WITH YOUR CREDIT CONTROL TEAM",
		"%s SETTLEMENT OF OUTSTANDING BALANCE FOR INVOICE NUMBER %s PER STATEMENT OF ACCOUNT",
	}
	n := strings.ToUpper(customer)
	switch j := g.intn(len(notes)); j {
	case 0:
		return fmt.Sprintf(notes[0], num, n)
	case 1:
		return fmt.Sprintf(notes[1], n, num)
	default:
		return fmt.Sprintf(notes[2], n, num)
	}
}

// minorUnit is one unit of the currency in minor units: 100 for USD, 1 for
// JPY.
func minorUnit(c engine.Currency) int64 {
	u := int64(1)
	for range c.Digits() {
		u *= 10
	}
	return u
}

// roundHalfUp divides a positive n by d, rounding halves up.
func roundHalfUp(n, d int64) int64 { return (n + d/2) / d }

// decimalString formats minor units of c as a decimal string.
func decimalString(units int64, c engine.Currency) string {
	return engine.FromMinor(units, c).String()
}
