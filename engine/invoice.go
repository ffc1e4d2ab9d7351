package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// EntityID names a legal entity (tenant): the company whose receivables and
// bank accounts a store holds. The zero value is the default entity.
type EntityID string

// DefaultEntity is used when no entity is given.
const DefaultEntity EntityID = "default"

// InvoiceID is the ERP's document number of an invoice or credit note, as the
// ERP writes it ("INV-0012345").
type InvoiceID string

// CustomerID is the ERP's customer number.
type CustomerID string

// Invoice is an open item from the ERP: an invoice (positive amount) or a
// credit note (negative amount). Open is what remains to be paid, never beyond
// zero and never of a different sign than Amount.
type Invoice struct {
	ID           InvoiceID
	Customer     CustomerID
	CustomerName string
	Amount       Amount // original amount
	Open         Amount // open amount
	IssueDate    Date
	DueDate      Date
	Terms        Terms
	PONumber     string
	// CustomerAccounts are bank accounts the ERP knows the customer pays
	// from.
	CustomerAccounts []string
}

// IsCreditNote reports whether the item is a credit (negative amount).
func (inv Invoice) IsCreditNote() bool { return inv.Amount.Sign() < 0 }

// Terms are payment terms such as "2/10 net 30": a discount of DiscountPercent
// when paid within DiscountDays of the issue date, otherwise due in NetDays.
// The zero value means no discount and no stated net days.
type Terms struct {
	DiscountPercent decimal.Decimal
	DiscountDays    int
	NetDays         int
}

var termsPattern = regexp.MustCompile(`^(?:(\d+(?:\.\d+)?)\s*%?\s*/\s*(\d+)\s*,?\s*)?(?:n(?:et)?\s*/?\s*(\d+))?$`)

// ParseTerms parses terms written as "2/10 net 30", "2/10 n/30", "1.5% 15
// net 45" style variants, or "net 30". An empty string is the zero Terms.
func ParseTerms(s string) (Terms, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return Terms{}, nil
	}
	t = strings.ReplaceAll(t, "% ", "%/")
	m := termsPattern.FindStringSubmatch(t)
	if m == nil || (m[1] == "" && m[3] == "") {
		return Terms{}, fmt.Errorf("terms %q are not of the form \"2/10 net 30\"", s)
	}
	var terms Terms
	if m[1] != "" {
		terms.DiscountPercent, _ = decimal.NewFromString(m[1])
		terms.DiscountDays, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		terms.NetDays, _ = strconv.Atoi(m[3])
	}
	return terms, nil
}

// String formats the terms as "2/10 net 30".
func (t Terms) String() string {
	var b strings.Builder
	if t.DiscountDays > 0 {
		fmt.Fprintf(&b, "%s/%d", t.DiscountPercent.String(), t.DiscountDays)
	}
	if t.NetDays > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "net %d", t.NetDays)
	}
	return b.String()
}

// Customer is a payer the receivables know, with what the engine has learned
// about how it appears on bank files.
type Customer struct {
	ID   CustomerID
	Name string
	// Aliases are other names the customer pays under, learned from
	// specialists' resolutions.
	Aliases []string
	// Accounts are bank accounts the customer pays from, from the invoice
	// file or learned.
	Accounts []string
}
