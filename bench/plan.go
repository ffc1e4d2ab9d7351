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

// single pays one invoice exactly, its number written as kind k says.
func (p *planner) single(k PaymentKind, d int) *payment {
	i := p.drawOpen(d)
	if i < 0 {
		return nil
	}
	kind := k
	if k == Duplicate {
		kind = Exact
	}
	pm := p.fromCustomer(kind, p.w.invoices[i].cust)
	p.payInFull(pm, i)
	num := p.writeNumber(kind, i)
	pm.docs = []docRef{{number: num, paid: pm.amount, stated: p.g.chance(500)}}
	pm.text = p.phrase() + num
	if k == Wrapped {
		pm.text = wrappedText(p.g, num, p.w.customers[pm.cust].name)
		pm.wrap = 20 + p.g.intn(20)
		if pm.format == inACH {
			pm.format = inBAI2 // a CCD+ addenda holds 80 characters
		}
	}
	return pm
}

// payInFull adds invoice i, paid at its open amount, to pm.
func (p *planner) payInFull(pm *payment, i int32) {
	inv := &p.w.invoices[i]
	pm.amount += inv.open
	pm.allocations = append(pm.allocations, alloc{i, inv.open})
	p.use(i)
}

// several pays two to four invoices of one customer, less a credit note for
// CreditNetted, all listed.
func (p *planner) several(k PaymentKind, d int) *payment {
	first := p.drawOpen(d)
	if first < 0 {
		return nil
	}
	c := p.w.invoices[first].cust
	cu := &p.w.customers[c]
	credit := int32(-1)
	if k == CreditNetted {
		if credit = p.openCredit(cu); credit < 0 {
			return nil
		}
	}
	pm := p.fromCustomer(k, c)
	ids := []int32{first}
	want := 2 + p.g.pick([]int{55, 30, 15})
	for _, i := range cu.all {
		if len(ids) >= want {
			break
		}
		if i != first && p.isOpen(i) && p.w.invoices[i].issue <= p.dayOffset[d] {
			ids = append(ids, i)
		}
	}
	if k == MultiInvoice && len(ids) < 2 {
		return nil
	}
	var words []string
	for _, i := range ids {
		p.payInFull(pm, i)
		num := p.writeNumber(Exact, i)
		pm.docs = append(pm.docs, docRef{number: num, paid: p.w.invoices[i].open, stated: true})
		words = append(words, num)
	}
	if credit >= 0 {
		cn := &p.w.invoices[credit]
		if pm.amount+cn.open <= 0 {
			return nil
		}
		pm.amount += cn.open
		pm.allocations = append(pm.allocations, alloc{credit, cn.open})
		p.useCredit(cu, credit)
		num := p.w.invoiceID(credit)
		pm.docs = append(pm.docs, docRef{number: num, paid: cn.open, stated: true, credit: true})
		words = append(words, "LESS "+num)
	}
	pm.text = p.phrase() + strings.Join(words, " ")
	return pm
}

func (p *planner) openCredit(cu *customer) int32 {
	if len(cu.credits) == 0 {
		return -1
	}
	return cu.credits[p.g.intn(len(cu.credits))]
}

func (p *planner) useCredit(cu *customer, i int32) {
	for j, c := range cu.credits {
		if c == i {
			cu.credits = append(cu.credits[:j], cu.credits[j+1:]...)
			return
		}
	}
}

// silent pays one invoice (NoRemittance) or two or three (Combined) with no
// remittance, choosing invoices whose sum no other invoice or pair of the
// customer's open items has.
func (p *planner) silent(k PaymentKind, d int) *payment {
	for range 8 {
		first := p.drawOpen(d)
		if first < 0 {
			return nil
		}
		c := p.w.invoices[first].cust
		ids := []int32{first}
		if k == Combined {
			n := 2 + p.g.pick([]int{70, 30})
			for _, i := range p.w.customers[c].all {
				if len(ids) < n && i != first && p.isOpen(i) && p.w.invoices[i].issue <= p.dayOffset[d] {
					ids = append(ids, i)
				}
			}
			if len(ids) < 2 {
				continue
			}
		}
		if !p.uniqueSum(c, ids) {
			continue
		}
		pm := p.fromCustomer(k, c)
		for _, i := range ids {
			p.payInFull(pm, i)
		}
		return pm
	}
	return nil
}

// uniqueSum reports whether the open amounts of ids add up to a sum that no
// single open item or pair of the customer's items at the start has, other
// than ids themselves.
func (p *planner) uniqueSum(c int32, ids []int32) bool {
	var sum int64
	for _, i := range ids {
		sum += p.w.invoices[i].open
	}
	all := p.w.customers[c].all
	chosen := func(i int32) bool {
		for _, j := range ids {
			if i == j {
				return true
			}
		}
		return false
	}
	for a, i := range all {
		ai := p.w.invoices[i].open
		if ai == sum && !(len(ids) == 1 && chosen(i)) {
			return false
		}
		for _, j := range all[a+1:] {
			if ai+p.w.invoices[j].open == sum && !(len(ids) == 2 && chosen(i) && chosen(j)) {
				return false
			}
		}
	}
	return true
}

// offAmount pays one invoice at another amount than open: a stated partial,
// an unexplained short pay, a wire less the bank's fee, an over pay.
func (p *planner) offAmount(k PaymentKind, d int) *payment {
	i := p.drawOpen(d)
	if i < 0 {
		return nil
	}
	inv := &p.w.invoices[i]
	pm := p.fromCustomer(k, inv.cust)
	open := inv.open
	num := p.writeNumber(Exact, i)
	unit := minorUnit(pm.currency)
	switch k {
	case Partial:
		pm.amount = open * p.g.between(30, 70) / 100
		pm.allocations = []alloc{{i, pm.amount}}
		pm.docs = []docRef{{number: num, paid: pm.amount, due: open, stated: true}}
		pm.text = fmt.Sprintf("PARTIAL PAYMENT %s AMT %s", num, decimalString(pm.amount, pm.currency))
	case ShortPay:
		pm.amount = open - max(open*p.g.between(3, 8)/100, 50*unit)
		if pm.amount <= 0 {
			return nil
		}
		pm.expect, pm.exception = ExpectException, engine.AmountMismatch
		pm.docs = []docRef{{number: num}}
		pm.text = p.phrase() + num
	case ShortPayFee:
		// Fees stay within the engine's default tolerance, 25 in major
		// units of any currency.
		fee := [...]int64{10, 12, 15, 20, 25}[p.g.intn(5)] * unit
		if open <= 4*fee {
			return nil
		}
		if pm.format == inACH {
			pm.format = inBAI2 // fees are taken from wires
		}
		pm.amount = open - fee
		pm.allocations = []alloc{{i, pm.amount}}
		pm.adjustments = []adjust{{i, fee, engine.BankFee}}
		pm.docs = []docRef{{number: num}}
		pm.text = "WIRE " + p.phrase() + num
	case Overpay:
		extra := max(open*p.g.between(1, 10)/100, unit)
		pm.amount = open + extra
		pm.allocations = []alloc{{i, open}}
		pm.onAccount = extra
		pm.docs = []docRef{{number: num}}
		pm.text = p.phrase() + num
	}
	p.use(i)
	return pm
}

// discount pays an invoice with discount terms within its discount days,
// less the discount, and says so.
func (p *planner) discount(d int) *payment {
	today := p.dayOffset[d]
	for range 64 {
		i := p.drawOpen(d)
		if i < 0 {
			return nil
		}
		inv := &p.w.invoices[i]
		t := termsTable[inv.terms]
		if t.pctBasis == 0 || inv.open != inv.amount || today-inv.issue > t.discDays {
			continue
		}
		pm := p.fromCustomer(Discount, inv.cust)
		disc := roundHalfUp(inv.amount*t.pctBasis, 10_000)
		num := p.writeNumber(Exact, i)
		p.use(i)
		pm.amount = inv.open - disc
		pm.allocations = []alloc{{i, pm.amount}}
		pm.adjustments = []adjust{{i, disc, engine.EarlyPaymentDiscount}}
		pm.docs = []docRef{{number: num, paid: pm.amount, due: inv.amount, discount: disc, stated: true}}
		pm.text = fmt.Sprintf("%s LESS %d%% DISC", num, t.pctBasis/100)
		return pm
	}
	return nil
}

// alreadyPaid pays an invoice the ERP shows as paid, again.
func (p *planner) alreadyPaid(d int) *payment {
	if len(p.closed) == 0 {
		return nil
	}
	i := p.closed[p.g.intn(len(p.closed))]
	inv := &p.w.invoices[i]
	pm := p.fromCustomer(AlreadyPaid, inv.cust)
	pm.amount = inv.amount
	pm.expect, pm.exception = ExpectException, engine.AlreadyPaid
	num := p.writeNumber(Exact, i)
	pm.docs = []docRef{{number: num}}
	pm.text = p.phrase() + num
	return pm
}

// nonReceivable is interest or an internal transfer credited to one of our
// accounts.
func (p *planner) nonReceivable(d int) *payment {
	c := currencyMix[p.g.pick([]int{780, 100, 50, 40, 30})].c
	pm := &payment{kind: NonReceivable, cust: -1, currency: c, expect: ExpectException,
		exception: engine.NotReceivable}
	pm.format = p.drawFormat(c)
	if pm.format == inACH {
		pm.format = inBAI2
	}
	if p.g.chance(500) {
		pm.nonReceipt, pm.payerName, pm.text = "interest", "CASHMATCH BANK NA", "INTEREST CREDIT"
		pm.amount = p.g.between(100, 50_000)
	} else {
		pm.nonReceipt, pm.payerName, pm.text = "transfer", ourName, "ZBA TRANSFER FROM CONCENTRATION ACCOUNT"
		pm.amount = p.g.between(1_000_000, 90_000_000)
	}
	return pm
}

// unknownTexts carry no number that could be taken for an invoice's.
var unknownTexts = []string{"", "PAYMENT", "SEE ATTACHED", "THANK YOU", "CONTRIBUTION", "DEPOSIT", "SETTLEMENT"}

// unknownPayer is money from someone who is no customer.
func (p *planner) unknownPayer(d int) *payment {
	c := currencyMix[p.g.pick([]int{780, 100, 50, 40, 30})].c
	pm := &payment{kind: UnknownPayer, cust: -1, currency: c, expect: ExpectException,
		exception: engine.UnidentifiedPayer, amount: drawAmount(p.g)}
	pm.format = p.drawFormat(c)
	p.unknowns++
	if p.g.chance(300) {
		pm.payerName = givenNames[p.g.intn(len(givenNames))] + " " + familyNames[p.g.intn(len(familyNames))]
	} else {
		pm.payerName = companyName(len(p.w.customers) + 2*p.unknowns)
	}
	pm.payerAcct, pm.payerBank = payerAccount(p.g, c)
	pm.payerID = fmt.Sprintf("9%09d", p.unknowns%1_000_000_000)
	pm.text = unknownTexts[p.g.intn(len(unknownTexts))]
	return pm
}

// onBehalf is a parent company paying a customer's invoice.
func (p *planner) onBehalf(d int) *payment {
	i := p.drawOpen(d)
	if i < 0 {
		return nil
	}
	inv := &p.w.invoices[i]
	pm := p.fromCustomer(OnBehalf, inv.cust)
	pm.ultimate = pm.payerName
	pm.payerName = companyName(len(p.w.customers) + 2*int(inv.cust) + 1)
	pm.payerAcct, pm.payerBank = payerAccount(p.g, pm.currency)
	pm.payerID = fmt.Sprintf("8%09d", inv.cust)
	p.payInFull(pm, i)
	num := p.writeNumber(Exact, i)
	pm.docs = []docRef{{number: num, paid: pm.amount, stated: true}}
	pm.text = fmt.Sprintf("%s ON BEHALF OF %s", num, strings.ToUpper(pm.ultimate))
	return pm
}

// achReturn returns an ACH payment of an earlier day.
func (p *planner) achReturn() *payment {
	if len(p.achSent) == 0 {
		return nil
	}
	j := p.g.intn(len(p.achSent))
	orig := p.achSent[j]
	p.achSent = append(p.achSent[:j], p.achSent[j+1:]...)
	pm := &payment{kind: Return, format: inACH, cust: orig.cust, currency: orig.currency,
		amount: orig.amount, payerName: orig.payerName, payerID: orig.payerID,
		payerBank: orig.payerBank, original: orig, expect: ExpectException, exception: engine.Returned}
	pm.returnCode = [...]string{"R01", "R02", "R03", "R08", "R10", "R16", "R29"}[p.g.intn(7)]
	return pm
}

// advance is a customer paying when nothing of its is open to pay.
func (p *planner) advance(d int, c int32) *payment {
	pm := p.fromCustomer(Advance, c)
	pm.amount = drawAmount(p.g)
	pm.expect, pm.exception = ExpectException, engine.NoOpenItems
	pm.text = "ADVANCE PAYMENT"
	return pm
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
