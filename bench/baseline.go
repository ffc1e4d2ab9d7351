package bench

import (
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// erpRule is the matching rule most ERPs ship: a payment is applied when its
// remittance holds the exact numbers of open invoices whose open amounts add
// up to exactly the payment; anything else is an exception. It runs on the
// same parsed payments as the engine and is scored the same way.
type erpRule struct {
	open map[string]erpItem
}

type erpItem struct {
	currency engine.Currency
	open     engine.Amount
	paid     bool
}

func newERPRule(invs []engine.Invoice) *erpRule {
	r := &erpRule{open: make(map[string]erpItem, len(invs))}
	for _, inv := range invs {
		if inv.Open.Sign() > 0 {
			r.open[string(inv.ID)] = erpItem{currency: inv.Open.Currency, open: inv.Open}
		}
	}
	return r
}

// decide returns the rule's decision for p and consumes what it applies.
func (r *erpRule) decide(p engine.Payment) engine.Decision {
	d := engine.Decision{Payment: p.ID, Kind: engine.Exception, Exception: engine.LowConfidence,
		Unapplied: p.Amount}
	if p.Direction != engine.Credit || p.Status != engine.Booked {
		d.Exception = engine.NotReceivable
		return d
	}
	var found []string
	add := func(tok string) {
		item, ok := r.open[tok]
		if !ok || item.paid || item.currency != p.Amount.Currency {
			return
		}
		for _, f := range found {
			if f == tok {
				return
			}
		}
		found = append(found, tok)
	}
	for _, ref := range p.Remittance.References {
		add(ref.Value)
	}
	for _, l := range p.Remittance.Lines {
		for _, tok := range strings.FieldsFunc(l, erpSeparator) {
			add(tok)
		}
	}
	if len(found) == 0 {
		d.Exception = engine.UnidentifiedPayer
		return d
	}
	sum := engine.Zero(p.Amount.Currency)
	for _, id := range found {
		sum = sum.Add(r.open[id].open)
	}
	if !sum.Value.Equal(p.Amount.Value) {
		d.Exception = engine.AmountMismatch
		return d
	}
	d = engine.Decision{Payment: p.ID, Kind: engine.Auto, Unapplied: engine.Zero(p.Amount.Currency)}
	for _, id := range found {
		item := r.open[id]
		d.Allocations = append(d.Allocations, engine.Allocation{Invoice: engine.InvoiceID(id), Amount: item.open})
		item.paid = true
		r.open[id] = item
	}
	return d
}

func erpSeparator(c rune) bool {
	switch c {
	case ' ', ',', ';', ':', '/', '(', ')', '\t':
		return true
	}
	return false
}
