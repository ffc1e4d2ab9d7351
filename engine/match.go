package engine

import (
	"fmt"
	"slices"
)

// Matcher decides what payments pay against a Book, in the order they are
// given, and applies each decision to the book before deciding the next. A
// Matcher is not safe for concurrent use.
type Matcher struct {
	book *Book
	opts *Options
	// byNumber indexes invoices by NormalizeNumber of their ID.
	byNumber map[string]InvoiceID
}

// NewMatcher returns a matcher over book. opts may be nil.
func NewMatcher(book *Book, opts *Options) (*Matcher, error) {
	opts = opts.EnsureDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	m := &Matcher{book: book, opts: opts, byNumber: make(map[string]InvoiceID, book.Len())}
	book.EachInvoice(func(inv *Invoice) {
		m.byNumber[NormalizeNumber(string(inv.ID))] = inv.ID
	})
	return m, nil
}

// Decide decides one payment and, when the decision applies cash, applies it
// to the book. The returned decision always conserves the payment's money.
func (m *Matcher) Decide(p Payment) Decision {
	d := m.decide(p)
	d.Payment = p.ID
	if d.Kind == Auto {
		if err := m.book.Apply(d); err != nil {
			d = exception(p, LowConfidence, "could not apply: "+err.Error())
		}
	}
	return d
}

func (m *Matcher) decide(p Payment) Decision {
	if p.Direction != Credit || p.Status != Booked {
		return exception(p, NotReceivable, fmt.Sprintf("%s %s is not an incoming customer payment", p.Status, p.Direction))
	}

	// Find the open invoices the remittance names.
	found := m.findInvoices(p)
	if len(found) == 0 {
		return exception(p, UnidentifiedPayer, "no invoice number found in the remittance")
	}

	// Allocate when the open amounts add up exactly.
	d := Decision{Kind: Auto, Confidence: Certain, Unapplied: Zero(p.Amount.Currency), OnAccount: Zero(p.Amount.Currency)}
	sum := Zero(p.Amount.Currency)
	for _, inv := range found {
		if inv.Open.Currency != p.Amount.Currency {
			return exception(p, CurrencyMismatch, fmt.Sprintf("invoice %s is in %s, payment in %s",
				inv.ID, inv.Open.Currency, p.Amount.Currency))
		}
		if inv.Open.IsZero() {
			return exception(p, AlreadyPaid, fmt.Sprintf("invoice %s is already paid", inv.ID))
		}
		sum = sum.Add(inv.Open)
		d.Customer = inv.Customer
		d.Allocations = append(d.Allocations, Allocation{Invoice: inv.ID, Amount: inv.Open})
		d.Reasons = append(d.Reasons, fmt.Sprintf("invoice %s found in remittance", inv.ID))
	}
	if !sum.Value.Equal(p.Amount.Value) {
		e := exception(p, AmountMismatch, fmt.Sprintf("payment %s, open amount of the invoices found %s", p.Amount, sum))
		e.Customer = d.Customer
		return e
	}
	d.Reasons = append(d.Reasons, "amount equals the open amount")
	return d
}

// findInvoices returns the distinct invoices named by the payment's
// references and remittance text, in the order first found.
func (m *Matcher) findInvoices(p Payment) []Invoice {
	var out []Invoice
	add := func(s string) {
		id, ok := m.byNumber[NormalizeNumber(s)]
		if !ok || slices.ContainsFunc(out, func(inv Invoice) bool { return inv.ID == id }) {
			return
		}
		inv, _ := m.book.Invoice(id)
		out = append(out, inv)
	}
	for _, r := range p.Remittance.References {
		add(r.Value)
	}
	for _, l := range p.Remittance.Lines {
		for _, t := range tokens(l) {
			add(t)
		}
	}
	return out
}

func exception(p Payment, r Reason, why string) Decision {
	return Decision{
		Payment:   p.ID,
		Kind:      Exception,
		OnAccount: Zero(p.Amount.Currency),
		Unapplied: p.Amount,
		Exception: r,
		Reasons:   []string{why},
	}
}
