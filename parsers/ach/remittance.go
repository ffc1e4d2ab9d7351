package ach

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/x12"
	"github.com/shopspring/decimal"
)

// addenda05 reads the payment-related information of an entry's addenda 05
// records (CCD+, PPD+, CTX and the other SEC codes that carry them) into its
// remittance.
func (bl *builder) addenda05(p *engine.Payment, b *batch, e entryFields) error {
	info := bl.info[:0]
	defer func() { bl.info = info[:0] }()
	for _, a := range bl.add {
		if a.addendaType() != "05" {
			if err := bl.entryDeparture(p, e, fmt.Errorf("addenda type %s does not belong to a %s entry", a.addendaType(), bl.b.sec)); err != nil {
				return err
			}
			continue
		}
		info = append(info, a)
	}
	if len(info) == 0 {
		return nil
	}
	if err := bl.sequence(p, e, info); err != nil {
		return err
	}
	text := bl.join(info)
	return bl.remittance(p, b, e, text, info)
}

// sequence puts the addenda in the order of their sequence numbers
// (positions 84-87) and notes numbers that are not 1, 2, 3...
func (bl *builder) sequence(p *engine.Payment, e entryFields, info []line) error {
	seq := func(l line) int64 {
		n, err := number(l.raw(84, 87))
		if err != nil {
			return -1
		}
		return n
	}
	inOrder := true
	for i, l := range info {
		if seq(l) != int64(i+1) {
			inOrder = false
			break
		}
	}
	if inOrder {
		return nil
	}
	msg := "addenda sequence numbers are not 1 to %d"
	if !slices.IsSortedFunc(info, func(a, b line) int { return cmp.Compare(seq(a), seq(b)) }) {
		slices.SortStableFunc(info, func(a, b line) int { return cmp.Compare(seq(a), seq(b)) })
		msg += "; the payment-related information was joined in sequence order"
	}
	return bl.entryDeparture(p, e, fmt.Errorf(msg, len(info)))
}

// join concatenates the payment-related information (positions 4-83) of the
// addenda as written, blanks included: an X12 segment, an element or a
// number may be cut anywhere between two addenda.
func (bl *builder) join(info []line) string {
	bl.buf = bl.buf[:0]
	for _, l := range info {
		bl.buf = append(bl.buf, l.raw(4, 83)...)
	}
	return bl.text.add(bytes.TrimRight(bl.buf, " "))
}

// remittance reads the joined payment-related information: X12 segments
// become references, anything else stays free text (one line per addenda).
func (bl *builder) remittance(p *engine.Payment, b *batch, e entryFields, text string, info []line) error {
	if strings.HasPrefix(strings.TrimSpace(text), "<") {
		// XML (an ISO 20022 remittance) cut into addenda: one text.
		p.Remittance.Lines = append(p.Remittance.Lines, strings.TrimSpace(text))
		return bl.isoRemittance(p, b, e, text)
	}
	adv, err := bl.x12.Parse(text)
	if errors.Is(err, x12.ErrNotX12) {
		for _, l := range info {
			if t := l.get(4, 83); t != "" {
				p.Remittance.Lines = append(p.Remittance.Lines, t)
			}
		}
		return nil
	}
	if adv == nil {
		// Not X12 after all (a cut ISA): keep the text.
		p.Remittance.Lines = append(p.Remittance.Lines, text)
		return bl.entryDeparture(p, e, fmt.Errorf("remittance: %v", err))
	}
	p.Remittance.Lines = bl.cloneLines(adv.Lines)
	if len(adv.Lines) == 0 {
		p.Remittance.Lines = append(bl.lines.take(1)[:0], text)
	}
	if err != nil {
		for _, msg := range strings.Split(err.Error(), "\n") {
			if derr := bl.entryDeparture(p, e, fmt.Errorf("remittance %s", msg)); derr != nil {
				return derr
			}
		}
	}
	bl.advice(p, b, e, adv)
	return nil
}

// cloneLines copies the lines of an advice, which are only valid until the
// next parse; none stays nil.
func (bl *builder) cloneLines(lines []string) []string {
	if len(lines) == 0 {
		return slices.Clone(lines)
	}
	return append(bl.lines.take(len(lines))[:0], lines...)
}

// advice turns an X12 advice into references and payer details, and checks
// that it adds up to the entry.
func (bl *builder) advice(p *engine.Payment, b *batch, e entryFields, adv *x12.Advice) {
	cur := p.Amount.Currency
	if adv.Currency != "" && adv.Currency != string(cur) {
		if c, err := engine.ParseCurrency(adv.Currency); err == nil {
			cur = c
		}
	}
	n := len(p.Remittance.References) + len(adv.References) + len(adv.Items) + len(adv.Adjustments)
	for _, it := range adv.Items {
		n += len(it.References)
	}
	refs := append(bl.refs.take(n)[:0], p.Remittance.References...)
	for _, ref := range adv.References {
		refs = append(refs, reference(ref))
	}
	for _, it := range adv.Items {
		refs = append(refs, item(it, cur))
		for _, ref := range it.References {
			refs = append(refs, reference(ref))
		}
	}
	for _, adj := range adv.Adjustments {
		refs = append(refs, engine.Reference{
			Kind: engine.RefOther, Value: adj.Reason, Qualifier: "ADX",
			Adjustment: amount(adj.Amount, cur),
		})
	}
	p.Remittance.References = refs

	// The BPR names the payer's bank account where the entry cannot.
	if bpr := adv.Payment; bpr.PayerAccount != "" {
		p.PayerAccount = bpr.PayerAccount
		if bpr.PayerBank != "" {
			p.PayerBank = bpr.PayerBank
		}
	}
	if cur == b.currency {
		checkSums(p, adv, e.amount, b.digits)
	}
}

// checkSums warns when the advice does not add up to the entry amount: the
// BPR total, or the amounts paid of the RMR segments plus the adjustments
// to the payment as a whole. Both the entry and the remittance are kept. An
// entry that moves no money (a zero-dollar remittance) is not compared.
// entry is the entry amount in minor units with digits decimals.
func checkSums(p *engine.Payment, adv *x12.Advice, entry int64, digits int32) {
	if p.Status == engine.Informational {
		return
	}
	cur := p.Amount.Currency
	if bpr := adv.Payment.Amount; bpr.Valid() {
		if v, ok := bpr.Minor(digits); !ok || v != entry {
			p.Warnings = append(p.Warnings, fmt.Sprintf("remittance does not add up: BPR02 pays %s, the entry is %s",
				amount(bpr, cur), p.Amount))
		}
	}
	var sum int64
	paid, exact := false, true
	add := func(a x12.Amount) {
		v, ok := a.Minor(digits)
		exact = exact && ok
		sum += v
	}
	for _, it := range adv.Items {
		if it.Paid.Valid() {
			add(it.Paid)
			paid = true
		}
	}
	if !paid {
		return
	}
	for _, adj := range adv.Adjustments {
		add(adj.Amount)
	}
	if !exact || sum != entry {
		total := decimal.Zero
		for _, it := range adv.Items {
			total = total.Add(it.Paid.Decimal())
		}
		for _, adj := range adv.Adjustments {
			total = total.Add(adj.Amount.Decimal())
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("remittance does not add up: the RMR amounts paid%s come to %s, the entry is %s",
			adjustmentNote(adv), engine.NewAmount(total, cur), p.Amount))
	}
}

func adjustmentNote(adv *x12.Advice) string {
	if len(adv.Adjustments) == 0 {
		return ""
	}
	return " and adjustments"
}

// item turns an RMR loop into a reference with its amounts.
func item(it x12.Item, cur engine.Currency) engine.Reference {
	ref := engine.Reference{
		Kind:      refKind(it.Qualifier),
		Value:     strings.TrimSpace(it.Number),
		Qualifier: it.Qualifier,
		Amount:    amount(it.Paid, cur),
		Due:       amount(it.Total, cur),
		Discount:  amount(it.Discount, cur),
	}
	for _, adj := range it.Adjustments {
		if !adj.Amount.Valid() {
			continue
		}
		if ref.Adjustment.Currency == "" {
			ref.Adjustment = engine.Zero(cur)
		}
		ref.Adjustment = ref.Adjustment.Add(amount(adj.Amount, cur))
	}
	for _, d := range it.Dates {
		if date, ok := ccyymmdd(d.Date); ok {
			ref.Date = date
			break
		}
	}
	return ref
}

func reference(ref x12.Ref) engine.Reference {
	return engine.Reference{Kind: refKind(ref.Qualifier), Value: strings.TrimSpace(ref.Value), Qualifier: ref.Qualifier}
}

// amount converts an X12 amount; an absent one stays the zero Amount with
// no currency, as engine.Reference expects.
func amount(a x12.Amount, cur engine.Currency) engine.Amount {
	if !a.Valid() {
		return engine.Amount{}
	}
	return engine.NewAmount(a.Decimal(), cur)
}

// refKind classifies an X12 reference identification qualifier (data
// element 128) as used in RMR01 and REF01.
func refKind(q string) engine.RefKind {
	switch q {
	case "IV", "OI", "IK", "R7":
		return engine.RefInvoice
	case "PO":
		return engine.RefPO
	case "CM":
		return engine.RefCreditNote
	case "12", "AP":
		return engine.RefCustomer
	}
	return engine.RefOther
}
