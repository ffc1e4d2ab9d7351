package engine

import (
	"fmt"
	"slices"
	"strings"
)

// verdict says whether a payment is customer cash to match, and if not why.
type verdict uint8

const (
	receivable    verdict = iota
	skipDebit             // money out of the account
	skipPending           // not booked yet: decided when it is booked
	skipInfo              // moves no money
	returned              // an ACH return or a bank reversal
	notReceivable         // a credit that is not a customer paying (interest, transfers, refunds)
	duplicate             // a payment already seen, sent again
)

// classify sorts out what is not an incoming customer payment, by status,
// direction and bank type code. Credits that only their words reveal as
// not receivable are recognised later (see nonReceivableText), once it is
// known that no customer or invoice is named.
func classify(p *Payment, codes []string) (verdict, string) {
	switch p.Status {
	case Return:
		return returned, returnWhy(p, "return")
	case Reversal:
		return returned, returnWhy(p, "reversal")
	case Pending:
		return skipPending, "pending entry: not booked yet, decided when the bank books it"
	case Informational:
		return skipInfo, "informational record: moves no money"
	}
	if p.Direction == Debit {
		return skipDebit, "debit: money paid out of the account is not a customer payment"
	}
	if code, ok := nonReceivableCode(p.TypeCode, codes); ok {
		return notReceivable, fmt.Sprintf("bank type code %s marks a credit that is not a customer payment (%s)",
			code, codeMeaning(code))
	}
	return receivable, ""
}

func returnWhy(p *Payment, what string) string {
	var b strings.Builder
	b.WriteString(what)
	if p.ReturnReason != "" {
		fmt.Fprintf(&b, " %s", p.ReturnReason)
	}
	if p.OriginalRef != "" {
		fmt.Fprintf(&b, " of the entry with reference %s", p.OriginalRef)
	}
	return b.String()
}

// nonReceivableCode reports whether the type code, or one of its parts
// ("PMNT/RCDT/ESCT", "ACMT-MCOP-INTR"), is one of codes.
func nonReceivableCode(typeCode string, codes []string) (string, bool) {
	if typeCode == "" || len(codes) == 0 {
		return "", false
	}
	if slices.Contains(codes, typeCode) {
		return typeCode, true
	}
	for _, part := range strings.FieldsFunc(typeCode, func(r rune) bool {
		return r == '/' || r == '-' || r == ' ' || r == '.' || r == ':'
	}) {
		if slices.Contains(codes, strings.ToUpper(part)) {
			return part, true
		}
	}
	return "", false
}

func codeMeaning(code string) string {
	switch strings.ToUpper(code) {
	case "354", "355", "359", "INTR":
		return "interest"
	case "145":
		return "ACH concentration"
	case "201", "SWEP", "TOPG":
		return "transfer between own accounts"
	case "275", "276", "ZABA":
		return "zero-balance transfer"
	}
	return "configured as not receivable"
}

// nonReceivableWords are words and phrases of remittance text or payer
// names that mark a credit as something other than a customer paying.
var nonReceivableWords = []struct{ words, what string }{
	{"INTEREST", "interest"}, {"INT EARNED", "interest"}, {"INT CREDIT", "interest"},
	{"SWEEP", "sweep"}, {"ZBA", "zero-balance transfer"}, {"ZERO BALANCE", "zero-balance transfer"},
	{"BOOK TRANSFER", "transfer between own accounts"},
	{"INTERNAL TRANSFER", "transfer between own accounts"},
	{"OWN ACCOUNT", "transfer between own accounts"},
	{"CONCENTRATION", "cash concentration"}, {"REFUND", "refund"}, {"REBATE", "rebate"},
	{"DIVIDEND", "dividend"}, {"CASHBACK", "cashback"}, {"LOAN PROCEEDS", "loan proceeds"},
	{"LOAN DISBURSEMENT", "loan proceeds"}, {"TAX REFUND", "tax refund"},
}

// nonReceivableText returns what the text reveals the credit to be, when
// its words say it is not a customer payment.
func nonReceivableText(p *Payment) (string, bool) {
	words := splitWords(strings.ToUpper(p.Remittance.Text() + " " + p.PayerName))
	for _, w := range nonReceivableWords {
		phrase := strings.Fields(w.words)
		for i := 0; i+len(phrase) <= len(words); i++ {
			if slices.Equal(words[i:i+len(phrase)], phrase) {
				return fmt.Sprintf("the words %q mark the credit as %s, not a customer payment", w.words, w.what), true
			}
		}
	}
	return "", false
}
