package bench

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
)

// PaymentKind is what a generated payment is, from the payer's side: how it
// pays and how it wrote its remittance. truth.json names it for every payment
// so that quality can be reported by kind.
type PaymentKind uint8

// Payment kinds. The comment says what the payer did and what the correct
// decision is.
const (
	// Exact: one invoice, its number as the ERP writes it, the open amount.
	// Apply.
	Exact PaymentKind = iota
	// DroppedPrefix: the invoice number without its letters ("0012345").
	// Apply.
	DroppedPrefix
	// DroppedZeros: the prefix kept, leading zeros dropped ("INV-12345").
	// Apply.
	DroppedZeros
	// Typo: one digit of the number mistyped or two swapped. Apply.
	Typo
	// Wrapped: long free text over several lines. Apply.
	Wrapped
	// MultiInvoice: several invoices of one customer listed, their open
	// amounts paid in one sum. Apply each.
	MultiInvoice
	// CreditNetted: invoices less an open credit note, all listed. Apply
	// each, the credit note negative.
	CreditNetted
	// NoRemittance: no remittance at all; the payer's name and an amount
	// that only one of its invoices has. Apply.
	NoRemittance
	// Combined: two or three invoices paid in one sum without remittance;
	// no other invoice or pair of the customer has that sum. Apply each.
	Combined
	// Partial: part of one invoice, the remittance saying which and how
	// much. Apply the part; the rest stays open.
	Partial
	// ShortPay: an invoice paid a few percent short without a word of why.
	// Exception amount_mismatch.
	ShortPay
	// ShortPayFee: a wire whose bank took its fee from the amount. Apply the
	// cash and adjust the fee (bank_fee).
	ShortPayFee
	// Discount: paid within the discount days of the invoice's terms, less
	// the discount. Apply the cash and adjust the discount.
	Discount
	// Overpay: more than the invoice's open amount. Apply the open amount,
	// the rest on account.
	Overpay
	// Duplicate: a second copy of an earlier payment (same payer, amount
	// and remittance, new bank reference). Exception duplicate_suspect.
	Duplicate
	// AlreadyPaid: names an invoice that the ERP shows as paid. Exception
	// already_paid.
	AlreadyPaid
	// NonReceivable: interest, an internal transfer or a supplier refund.
	// Exception not_receivable.
	NonReceivable
	// UnknownPayer: a payer that is no customer, naming nothing the ERP
	// knows. Exception unidentified_payer.
	UnknownPayer
	// OnBehalf: a parent company pays a customer's invoice; the remittance
	// names the invoice (and camt names the customer as ultimate debtor).
	// Apply.
	OnBehalf
	// Return: an ACH return of an earlier ACH payment. Exception returned.
	Return
	// Advance: a customer pays while none of its invoices is open (or
	// every one is already being paid). Exception no_open_items. The
	// generator falls back to it when the open invoices run out.
	Advance
	numKinds
)

var kindNames = [numKinds]string{
	"exact", "dropped_prefix", "dropped_zeros", "typo", "wrapped", "multi_invoice",
	"credit_netted", "no_remittance", "combined", "partial", "short_pay",
	"short_pay_fee", "discount", "overpay", "duplicate", "already_paid",
	"non_receivable", "unknown_payer", "on_behalf", "return", "advance",
}

func (k PaymentKind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// MarshalText encodes the kind by name.
func (k PaymentKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind name.
func (k *PaymentKind) UnmarshalText(b []byte) error {
	i := slices.Index(kindNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown payment kind %q", b)
	}
	*k = PaymentKind(i)
	return nil
}

// Kinds lists every payment kind in a fixed order.
func Kinds() []PaymentKind {
	ks := make([]PaymentKind, numKinds)
	for i := range ks {
		ks[i] = PaymentKind(i)
	}
	return ks
}

// Mix weighs the kinds of payment: a kind is drawn with probability its
// weight over the sum of weights. A nil Mix is DefaultMix.
type Mix map[PaymentKind]int

// DefaultMix is a blend seen in business-to-business receivables: most
// payments name their invoices, one in five needs more than a lookup.
func DefaultMix() Mix {
	return Mix{
		Exact: 300, DroppedPrefix: 70, DroppedZeros: 50, Typo: 40, Wrapped: 50,
		MultiInvoice: 80, CreditNetted: 20, NoRemittance: 70, Combined: 20,
		Partial: 30, ShortPay: 20, ShortPayFee: 30, Discount: 50, Overpay: 20,
		Duplicate: 10, AlreadyPaid: 10, NonReceivable: 20, UnknownPayer: 20,
		OnBehalf: 20, Return: 10, Advance: 5,
	}
}

// GenConfig describes a statement set to generate. The zero value of every
// field but Out has a default (see EnsureDefaults).
type GenConfig struct {
	// Seed makes the set: the same seed and sizes give the same bytes.
	Seed uint64
	// Customers, Invoices and Payments are the sizes of the world. Zero
	// means 200 customers, 2,000 invoices and 1,000 payments.
	Customers int
	Invoices  int
	Payments  int
	// PaymentsPerDay is how many payments each statement day carries,
	// spread over its BAI2, camt.053 and NACHA files. Zero means 50,000.
	// It bounds the generator's memory.
	PaymentsPerDay int
	// Start is the first statement day. Zero means 2026-11-02.
	Start engine.Date
	// Mix weighs the kinds of payment. Nil means DefaultMix.
	Mix Mix
	// Out is the folder the set is written to; it is created if needed.
	Out string
	// Logger receives one record per file written. Nil discards.
	Logger *slog.Logger
}

// EnsureDefaults fills in the zero fields of c and returns it.
func (c *GenConfig) EnsureDefaults() *GenConfig {
	if c.Customers == 0 {
		c.Customers = 200
	}
	if c.Invoices == 0 {
		c.Invoices = 2000
	}
	if c.Payments == 0 {
		c.Payments = 1000
	}
	if c.PaymentsPerDay == 0 {
		c.PaymentsPerDay = 50_000
	}
	if c.Start.IsZero() {
		c.Start = engine.Date{Year: 2026, Month: 11, Day: 2}
	}
	if c.Mix == nil {
		c.Mix = DefaultMix()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate reports every inconsistent setting at once.
func (c *GenConfig) Validate() error {
	var errs []error
	if c.Out == "" {
		errs = append(errs, errors.New("no output folder"))
	}
	if c.Customers < 1 || c.Invoices < 1 || c.Payments < 1 || c.PaymentsPerDay < 1 {
		errs = append(errs, fmt.Errorf("customers %d, invoices %d, payments %d, payments per day %d: each must be at least 1",
			c.Customers, c.Invoices, c.Payments, c.PaymentsPerDay))
	}
	if c.Invoices < c.Customers {
		errs = append(errs, fmt.Errorf("%d invoices for %d customers: want at least one invoice per customer",
			c.Invoices, c.Customers))
	}
	total := 0
	for k, w := range c.Mix {
		if k >= numKinds || w < 0 {
			errs = append(errs, fmt.Errorf("mix: weight %d for %s", w, k))
		}
		total += w
	}
	if total <= 0 {
		errs = append(errs, errors.New("mix: no kind has a weight"))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid generator config: %w", errors.Join(errs...))
}
