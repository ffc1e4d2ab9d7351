package engine

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"

	"github.com/shopspring/decimal"
)

// Options configure a Matcher. The zero value works: EnsureDefaults fills in
// every field left at zero.
type Options struct {
	// Logger receives debug records of candidate scoring. Nil discards.
	Logger *slog.Logger
	// AutoThreshold is the confidence at or above which a decision is
	// applied without a person. Zero means 0.900.
	AutoThreshold Confidence
	// SuggestThreshold is the confidence at or above which a candidate is
	// offered as a suggestion. Zero means 0.300.
	SuggestThreshold Confidence
	// AmbiguityMargin is how far the best candidate must score above the
	// next different one to be applied; closer candidates make the payment
	// an ambiguous exception. Zero means 0.050.
	AmbiguityMargin Confidence
	// Workers is the number of goroutines that decide payments. Zero means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Tolerances are the differences accepted without a person, for every
	// customer without its own.
	Tolerances Tolerances
	// Customers holds per-customer settings that override the ones above.
	Customers map[CustomerID]CustomerOptions
	// DuplicateWindow is how many days apart two payments with the same
	// payer, amount and remittance are taken for one payment sent twice.
	// Zero means 5; negative turns the check off.
	DuplicateWindow int
	// NonReceivableCodes are bank type codes of credits that are not
	// customer payments (interest, sweeps, transfers between own accounts).
	// Nil means DefaultNonReceivableCodes; an empty non-nil slice means none.
	NonReceivableCodes []string
	// CommitSize is how many decided payments Ingest writes per synced
	// commit. Zero means DefaultCommitSize.
	CommitSize int
	// Decided, when set, is called by Ingest and DecidePending for every
	// payment once its decision is committed, in sequence order, from one
	// goroutine at a time.
	Decided func(Payment, Decision)
}

// CustomerOptions override the matcher's settings for one customer. Zero
// fields keep the matcher's setting.
type CustomerOptions struct {
	AutoThreshold Confidence
	Tolerances    Tolerances
}

// Tolerances bound the short payments applied in full, with the difference
// recorded as an adjustment. Amounts are in major units of the payment's
// currency ("25" is 25.00 USD or 25 JPY). For each field, zero means the
// default and a negative value means no tolerance.
type Tolerances struct {
	// BankFee is the largest shortfall taken as a fee that a bank deducted
	// in transit. Zero means 40.
	BankFee decimal.Decimal
	// Rounding is the largest difference, short or over, taken as rounding.
	// Zero means 0.05.
	Rounding decimal.Decimal
	// DiscountGraceDays is how many days after the discount period of the
	// invoice's terms a payment still earns the early-payment discount,
	// to allow for the time the money travels. Zero means 5.
	DiscountGraceDays int
}

// DefaultNonReceivableCodes are BAI2 type codes of credits that are never
// customer payments: 145 ACH concentration, 201 automatic transfer, 275 and
// 276 zero-balance transfers, 354 interest, 355 investment interest, 359
// interest adjustment; and ISO 20022 bank transaction sub-family codes for
// interest (INTR), sweeping (SWEP), topping (TOPG) and zero balancing
// (ZABA).
var DefaultNonReceivableCodes = []string{
	"145", "201", "275", "276", "354", "355", "359",
	"INTR", "SWEP", "TOPG", "ZABA",
}

// EnsureDefaults fills in the zero fields of o and returns it. A nil o is
// allocated.
func (o *Options) EnsureDefaults() *Options {
	if o == nil {
		o = &Options{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.AutoThreshold == 0 {
		o.AutoThreshold = 900
	}
	if o.SuggestThreshold == 0 {
		o.SuggestThreshold = 300
	}
	if o.CommitSize == 0 {
		o.CommitSize = DefaultCommitSize
	}
	if o.AmbiguityMargin == 0 {
		o.AmbiguityMargin = 50
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	o.Tolerances = o.Tolerances.withDefaults()
	if o.DuplicateWindow == 0 {
		o.DuplicateWindow = 5
	}
	if o.NonReceivableCodes == nil {
		o.NonReceivableCodes = DefaultNonReceivableCodes
	}
	return o
}

func (t Tolerances) withDefaults() Tolerances {
	if t.BankFee.IsZero() {
		t.BankFee = decimal.NewFromInt(40)
	}
	if t.Rounding.IsZero() {
		t.Rounding = decimal.New(5, -2)
	}
	if t.DiscountGraceDays == 0 {
		t.DiscountGraceDays = 5
	}
	return t
}

// Validate reports every inconsistent setting at once.
func (o *Options) Validate() error {
	var errs []error
	check := func(where string, auto Confidence) {
		if auto > Certain {
			errs = append(errs, fmt.Errorf("%sauto threshold %s is above 1", where, auto))
		}
		if auto != 0 && o.SuggestThreshold > auto {
			errs = append(errs, fmt.Errorf("%ssuggest threshold %s is above the auto threshold %s",
				where, o.SuggestThreshold, auto))
		}
	}
	check("", o.AutoThreshold)
	if o.AmbiguityMargin > Certain {
		errs = append(errs, fmt.Errorf("ambiguity margin %s is above 1", o.AmbiguityMargin))
	}
	if o.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d is negative", o.Workers))
	}
	ids := make([]CustomerID, 0, len(o.Customers))
	for id := range o.Customers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		check(fmt.Sprintf("customer %s: ", id), o.Customers[id].AutoThreshold)
	}
	if o.CommitSize < 0 {
		errs = append(errs, fmt.Errorf("commit size %d is negative", o.CommitSize))
	}
	return joinErrors(errs)
}

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid options: %w", errors.Join(errs...))
}

// tolerance is a Tolerances resolved for one currency, in minor units; a
// negative field means none.
type tolerance struct {
	fee, rounding int64
	grace         int32
}

func (t Tolerances) resolve(c Currency) tolerance {
	minor := func(d decimal.Decimal) int64 {
		if d.Sign() < 0 {
			return -1
		}
		a := Amount{Value: d.Truncate(c.Digits()), Currency: c}
		units, ok := a.Minor()
		if !ok {
			return -1
		}
		return units
	}
	r := tolerance{fee: minor(t.BankFee), rounding: minor(t.Rounding), grace: int32(t.DiscountGraceDays)}
	if t.DiscountGraceDays < 0 {
		r.grace = -1
	}
	return r
}
