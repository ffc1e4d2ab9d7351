package bench

import (
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// The planners of each kind of payment. Each returns nil when the world has
// nothing left for the kind; the caller then falls back to another.

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
