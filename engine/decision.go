package engine

import (
	"fmt"
	"strconv"
)

// Kind is what the engine decided for a payment.
type Kind uint8

// Decision kinds.
const (
	// Exception: the payment waits for a specialist; nothing was applied.
	Exception Kind = iota
	// Suggested: the engine has a likely answer but is not sure enough to
	// apply it; a specialist confirms it.
	Suggested
	// Auto: the engine applied the payment without a person.
	Auto
	// Skipped: the entry is not an incoming customer payment to decide (a
	// debit, a pending or an informational entry); nothing was applied and
	// nobody needs to act.
	Skipped
)

var kindNames = [...]string{"exception", "suggested", "auto", "skipped"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// MarshalText encodes the kind by name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind name.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown decision %q", b)
}

// Reason says why a payment is an exception.
type Reason uint8

// Exception reasons.
const (
	NoReason Reason = iota
	UnidentifiedPayer
	NoOpenItems
	AmountMismatch // short or over paid outside tolerance
	Ambiguous      // two candidates score alike
	LowConfidence
	DuplicateSuspect
	CurrencyMismatch
	AlreadyPaid
	Returned      // an ACH return or a bank reversal of a payment
	NotReceivable // interest, transfers, supplier refunds: not customer cash
)

var reasonNames = [...]string{
	"", "unidentified_payer", "no_open_items", "amount_mismatch", "ambiguous",
	"low_confidence", "duplicate_suspect", "currency_mismatch", "already_paid",
	"returned", "not_receivable",
}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", r)
}

// Reasons lists every exception reason, in a fixed order.
func Reasons() []Reason {
	rs := make([]Reason, 0, len(reasonNames)-1)
	for i := 1; i < len(reasonNames); i++ {
		rs = append(rs, Reason(i))
	}
	return rs
}

// MarshalText encodes the reason by name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes a reason name.
func (r *Reason) UnmarshalText(b []byte) error {
	for i, n := range reasonNames {
		if n == string(b) {
			*r = Reason(i)
			return nil
		}
	}
	return fmt.Errorf("unknown exception reason %q", b)
}

// Confidence is a score from 0 to 1 in steps of a thousandth, held as an
// integer number of thousandths.
type Confidence uint16

// Certain is the highest confidence.
const Certain Confidence = 1000

// String formats the confidence as a decimal fraction, "0.973".
func (c Confidence) String() string {
	if c >= Certain {
		return "1"
	}
	s := strconv.Itoa(int(c) + 1000)
	return "0." + s[1:]
}

// MarshalJSON encodes the confidence as a JSON number such as 0.973.
func (c Confidence) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// Allocation applies part of a payment to one invoice. Amount is the cash
// applied: it reduces the invoice's open amount and is part of the payment.
// It is negative only against a credit note that the payer netted.
type Allocation struct {
	Invoice InvoiceID
	Amount  Amount
}

// AdjustmentReason says why an invoice was reduced by more than the cash
// applied to it.
type AdjustmentReason uint8

// Adjustment reasons.
const (
	BankFee AdjustmentReason = iota
	EarlyPaymentDiscount
	Rounding
	WriteOff
)

var adjustmentNames = [...]string{"bank_fee", "discount", "rounding", "write_off"}

func (a AdjustmentReason) String() string {
	if int(a) < len(adjustmentNames) {
		return adjustmentNames[a]
	}
	return fmt.Sprintf("adjustment(%d)", a)
}

// MarshalText encodes the reason by name.
func (a AdjustmentReason) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText decodes a reason name.
func (a *AdjustmentReason) UnmarshalText(b []byte) error {
	for i, n := range adjustmentNames {
		if n == string(b) {
			*a = AdjustmentReason(i)
			return nil
		}
	}
	return fmt.Errorf("unknown adjustment reason %q", b)
}

// Adjustment reduces an invoice's open amount without cash: the difference of
// a short payment that the tolerances allow, or a specialist's write-off.
// Amount is positive and is not part of the payment's money.
type Adjustment struct {
	Invoice InvoiceID
	Amount  Amount
	Reason  AdjustmentReason
	// Code is the specialist's reason code for a write-off.
	Code string
}

// Suggestion is a candidate answer for an exception, ranked by confidence.
type Suggestion struct {
	Customer    CustomerID
	Allocations []Allocation
	Adjustments []Adjustment
	OnAccount   Amount
	Confidence  Confidence
	Reasons     []string
	// Lost says why the candidate was not applied, for every candidate but
	// the best.
	Lost string
}

// Decision is what the engine (or a specialist) decided for one payment.
//
// Money is conserved: the allocations plus OnAccount plus Unapplied equal the
// payment amount. Adjustments reduce invoices beyond the cash and are not part
// of that sum.
type Decision struct {
	Payment     PaymentID
	Kind        Kind
	Customer    CustomerID // the identified payer, if any
	Allocations []Allocation
	Adjustments []Adjustment
	OnAccount   Amount
	Unapplied   Amount // cash not applied nor on account: an exception's amount
	Confidence  Confidence
	// Reasons explain the decision in words a specialist reads.
	Reasons []string
	// Exception is the reason for an exception or a suggestion; NoReason
	// for an auto decision.
	Exception   Reason
	Suggestions []Suggestion
	// Alternatives are the candidates the engine weighed and did not
	// choose, for an automatic decision, each saying why it lost.
	Alternatives []Suggestion
	// Original is the earlier payment that this one returns, reverses or
	// repeats, when it was found.
	Original PaymentID
}

// Allocated returns the sum of the allocations in currency c.
func (d Decision) Allocated(c Currency) Amount {
	sum := Zero(c)
	for _, a := range d.Allocations {
		sum = sum.Add(a.Amount)
	}
	return sum
}

// Check verifies that the decision conserves the payment's money: every
// amount is in the payment's currency, only allocations (to credit notes) are
// negative, and the
// allocations, on-account and unapplied amounts add up to the payment.
func (d Decision) Check(p Payment) error {
	c := p.Amount.Currency
	sum := Zero(c)
	add := func(what string, a Amount, signed bool) error {
		if a.Currency != c && !a.IsZero() {
			return fmt.Errorf("payment %s: %s in %s, payment in %s", p.ID, what, a.Currency, c)
		}
		if a.Sign() < 0 && !signed {
			return fmt.Errorf("payment %s: %s is negative (%s)", p.ID, what, a)
		}
		sum = sum.Add(a)
		return nil
	}
	for _, a := range d.Allocations {
		if err := add("allocation to "+string(a.Invoice), a.Amount, true); err != nil {
			return err
		}
	}
	if err := add("on account", d.OnAccount, false); err != nil {
		return err
	}
	if err := add("unapplied", d.Unapplied, false); err != nil {
		return err
	}
	if !sum.Value.Equal(p.Amount.Value) {
		return fmt.Errorf("payment %s: allocations, on account and unapplied add up to %s, payment is %s",
			p.ID, sum, p.Amount)
	}
	return nil
}
