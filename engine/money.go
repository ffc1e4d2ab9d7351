package engine

import (
	"fmt"
	"strings"

	"github.com/moov-io/iso4217"
	"github.com/shopspring/decimal"
)

// Currency is an ISO 4217 alphabetic code such as "USD". The zero value means
// the currency is not known.
type Currency string

// ParseCurrency returns the currency named by an ISO 4217 alphabetic code,
// accepting any case and surrounding blanks. It returns an error for a code
// that ISO 4217 does not list.
func ParseCurrency(s string) (Currency, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if _, ok := iso4217.Lookup(code); !ok {
		return "", fmt.Errorf("unknown ISO 4217 currency %q", s)
	}
	return Currency(code), nil
}

// Digits returns the number of minor-unit digits of the currency: 2 for USD,
// 0 for JPY, 3 for BHD. An unknown or empty currency has 2.
func (c Currency) Digits() int32 {
	if d, ok := commonDigits[c]; ok {
		return d
	}
	if cc, ok := iso4217.Lookup(string(c)); ok {
		return int32(cc.DecimalPlaces)
	}
	return 2
}

// commonDigits holds the minor digits of the currencies met most, so that
// hot paths skip the general lookup (which normalizes its argument).
// TestCurrencyDigits_CommonAgreeWithISO4217 keeps it equal to ISO 4217.
var commonDigits = map[Currency]int32{
	"USD": 2, "EUR": 2, "GBP": 2, "CAD": 2, "AUD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2,
	"PLN": 2, "MXN": 2, "CNY": 2, "HKD": 2, "SGD": 2, "NZD": 2, "JPY": 0, "KRW": 0, "BHD": 3,
	"KWD": 3, "OMR": 3, "JOD": 3,
}

// Amount is a sum of money in one currency. Value is signed: money received
// is positive. The zero value is zero in an unknown currency.
//
// Arithmetic between two Amounts requires the same currency; the methods keep
// the receiver's currency and do not check it, so callers compare currencies
// first (see SameCurrency).
type Amount struct {
	Value    decimal.Decimal
	Currency Currency
}

// NewAmount returns the amount v in currency c.
func NewAmount(v decimal.Decimal, c Currency) Amount {
	return Amount{Value: v, Currency: c}
}

// Zero returns a zero amount in currency c.
func Zero(c Currency) Amount { return Amount{Currency: c} }

// ParseAmount parses a decimal string such as "1234.50" or "-12" in currency
// c. It refuses more fractional digits than the currency has, exponents and
// anything that is not a plain decimal number.
func ParseAmount(s string, c Currency) (Amount, error) {
	s = strings.TrimSpace(s)
	if !plainDecimal(s) {
		return Amount{}, fmt.Errorf("amount %q is not a decimal number", s)
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return Amount{}, fmt.Errorf("amount %q: %w", s, err)
	}
	if -v.Exponent() > c.Digits() {
		return Amount{}, fmt.Errorf("amount %q has more decimals than %s allows (%d)", s, c, c.Digits())
	}
	return Amount{Value: v, Currency: c}, nil
}

// plainDecimal reports whether s is an optional sign, digits and at most one
// decimal point with digits on at least one side.
func plainDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// FromMinor returns the amount of units minor units (cents for USD) of c.
func FromMinor(units int64, c Currency) Amount {
	return Amount{Value: decimal.New(units, -c.Digits()), Currency: c}
}

// Minor returns the amount in minor units of its currency. ok is false when
// the amount has more decimals than the currency or does not fit an int64.
func (a Amount) Minor() (units int64, ok bool) {
	scaled := a.Value.Shift(a.Currency.Digits())
	if !scaled.IsInteger() {
		return 0, false
	}
	big := scaled.BigInt()
	if !big.IsInt64() {
		return 0, false
	}
	return big.Int64(), true
}

// String formats the amount with exactly its currency's minor digits, without
// the currency code: "1234.50", "-3.00", "1500" for JPY.
func (a Amount) String() string {
	return a.Value.StringFixed(a.Currency.Digits())
}

// MarshalText encodes the amount as String does.
func (a Amount) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// IsZero reports whether the amount is zero, whatever its currency.
func (a Amount) IsZero() bool { return a.Value.IsZero() }

// Sign returns -1, 0 or +1.
func (a Amount) Sign() int { return a.Value.Sign() }

// SameCurrency reports whether a and b are in the same currency.
func (a Amount) SameCurrency(b Amount) bool { return a.Currency == b.Currency }

// Add returns a+b in a's currency. REQUIRES: a.SameCurrency(b).
func (a Amount) Add(b Amount) Amount { return Amount{a.Value.Add(b.Value), a.Currency} }

// Sub returns a-b in a's currency. REQUIRES: a.SameCurrency(b).
func (a Amount) Sub(b Amount) Amount { return Amount{a.Value.Sub(b.Value), a.Currency} }

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{a.Value.Neg(), a.Currency} }

// Abs returns |a|.
func (a Amount) Abs() Amount { return Amount{a.Value.Abs(), a.Currency} }

// Cmp compares the values of a and b: -1, 0 or +1. REQUIRES: a.SameCurrency(b).
func (a Amount) Cmp(b Amount) int { return a.Value.Cmp(b.Value) }

// Equal reports whether a and b are the same sum in the same currency.
func (a Amount) Equal(b Amount) bool {
	return a.Currency == b.Currency && a.Value.Equal(b.Value)
}
