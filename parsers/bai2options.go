package parsers

import (
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
)

// BAI2Options are the settings only the BAI2 reader reads. The zero value
// reads amounts without a stated currency as USD and classifies the
// bank-defined type codes by their range.
type BAI2Options struct {
	// Currency is the currency of groups and accounts that state none; empty
	// means USD, the BAI2 default.
	Currency engine.Currency
	// CustomCodes gives the meaning of type codes that a bank defines in the
	// range 900-999, keyed by the three-digit code ("950"). A code not listed
	// is classified by its range: 900-919 status, 920-959 credit, 960-999
	// debit.
	CustomCodes map[string]BAI2Class
}

// BAI2Class is what a BAI2 type code reports: an account status (a
// balance), a summary of credits or debits, a credit or debit detail, or
// non-monetary information. The zero value means unknown.
type BAI2Class uint8

// The classes of the BAI type code list.
const (
	BAI2Unknown BAI2Class = iota
	BAI2Status
	BAI2CreditSummary
	BAI2CreditDetail
	BAI2DebitSummary
	BAI2DebitDetail
	BAI2NonMonetary
)

var bai2ClassNames = [...]string{"unknown", "status", "credit-summary", "credit-detail",
	"debit-summary", "debit-detail", "non-monetary"}

func (c BAI2Class) String() string {
	if int(c) < len(bai2ClassNames) {
		return bai2ClassNames[c]
	}
	return fmt.Sprintf("class(%d)", c)
}

// MarshalText encodes the class by name.
func (c BAI2Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes a class name such as "credit-detail".
func (c *BAI2Class) UnmarshalText(b []byte) error {
	for i, n := range bai2ClassNames {
		if i > 0 && n == string(b) {
			*c = BAI2Class(i)
			return nil
		}
	}
	return fmt.Errorf("unknown BAI2 type code class %q: want status, credit-summary, "+
		"credit-detail, debit-summary, debit-detail or non-monetary", b)
}

// Credit reports whether the class moves money into the account.
func (c BAI2Class) Credit() bool { return c == BAI2CreditSummary || c == BAI2CreditDetail }

// Debit reports whether the class moves money out of the account.
func (c BAI2Class) Debit() bool { return c == BAI2DebitSummary || c == BAI2DebitDetail }
