package x12

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Amount is an X12 monetary amount (data type R): an integer number of
// units of 10^-scale. The zero value is an absent amount.
type Amount struct {
	units int64
	scale int32
	valid bool
}

// maxAmountDigits is the longest R value X12 allows, not counting the sign
// and the decimal point; it also keeps the digits within an int64.
const maxAmountDigits = 18

// ParseAmount parses an X12 decimal number such as "1170.36", "-25", ".5".
// An empty or blank element is an absent amount, not an error.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Amount{}, nil
	}
	neg := s[0] == '-'
	digits := s
	if neg {
		digits = s[1:]
	}
	var a Amount
	n, dot := 0, false
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case c >= '0' && c <= '9':
			n++
			if n > maxAmountDigits {
				return Amount{}, fmt.Errorf("amount %q has more than %d digits", s, maxAmountDigits)
			}
			a.units = a.units*10 + int64(c-'0')
			if dot {
				a.scale++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return Amount{}, fmt.Errorf("amount %q is not a decimal number", s)
		}
	}
	if n == 0 {
		return Amount{}, fmt.Errorf("amount %q has no digits", s)
	}
	if neg {
		a.units = -a.units
	}
	a.valid = true
	return a, nil
}

// Valid reports whether the amount was present.
func (a Amount) Valid() bool { return a.valid }

// Decimal returns the amount as a decimal; zero when it is absent.
func (a Amount) Decimal() decimal.Decimal { return decimal.New(a.units, -a.scale) }

// Minor returns the amount in units of 10^-digits (cents for 2), and false
// when it has more decimals than that or does not fit an int64.
func (a Amount) Minor(digits int32) (int64, bool) {
	if a.scale > digits {
		return 0, false
	}
	v := a.units
	for s := a.scale; s < digits; s++ {
		if v > 1<<62/5 || v < -(1<<62/5) {
			return 0, false
		}
		v *= 10
	}
	return v, true
}

// String formats the amount as a decimal number, "" when absent.
func (a Amount) String() string {
	if !a.valid {
		return ""
	}
	return a.Decimal().String()
}
