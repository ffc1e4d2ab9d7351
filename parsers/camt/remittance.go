package camt

import (
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// structured collects one RmtInf/Strd block: the documents it refers to,
// the amounts stated for them and the creditor reference.
type structured struct {
	docs []engine.Reference

	remitted, due, creditNote engine.Amount
	discount, adjustment      engine.Amount
	hasAmounts                bool

	creditorRef     string
	creditorRefType string
	hasCreditorRef  bool

	// amountType is the type code of the RfrdDocAmt/RmtAmtAndTp being read
	// (001.12 on).
	amountType string
}

// typedAmount returns the total that an amount of the current
// RmtAmtAndTp type adds to (ExternalDocumentAmountType1Code), or nil for
// types the references do not carry (taxes, fees, balances).
func (s *structured) typedAmount() *engine.Amount {
	switch s.amountType {
	case "REMI":
		return &s.remitted
	case "DUPA":
		return &s.due
	case "CREN":
		return &s.creditNote
	case "APDS", "STDS", "TMDS":
		return &s.discount
	}
	return nil
}

// doc returns the document being read, the last one begun.
func (s *structured) doc() *engine.Reference {
	if len(s.docs) == 0 {
		s.docs = append(s.docs, engine.Reference{})
	}
	return &s.docs[len(s.docs)-1]
}

// addAmount adds a to *sum, keeping a's currency when *sum has none. It
// reports false when the currencies differ.
func addAmount(sum *engine.Amount, a engine.Amount) bool {
	if sum.Currency == "" {
		*sum = a
		return true
	}
	if sum.Currency != a.Currency {
		return false
	}
	*sum = sum.Add(a)
	return true
}

// references turns the block into references in the order the payer wrote
// them: each referred document, then the creditor reference. The block's
// amounts belong to its only document, or to the creditor reference when
// the block names no document; a block that names several documents gives
// its amounts to none of them and says so in the returned warning.
func (s *structured) references(refs []engine.Reference) ([]engine.Reference, string) {
	start := len(refs)
	for _, d := range s.docs {
		if d.Value == "" && d.Qualifier == "" {
			continue
		}
		refs = append(refs, d)
	}
	nDocs := len(refs) - start
	if s.hasCreditorRef {
		refs = append(refs, creditorReference(s.creditorRef, s.creditorRefType))
	}
	if !s.hasAmounts {
		return refs, ""
	}
	switch {
	case nDocs == 1:
		s.applyAmounts(&refs[start])
	case nDocs == 0 && s.hasCreditorRef:
		s.applyAmounts(&refs[len(refs)-1])
	case nDocs > 1:
		return refs, "RfrdDocAmt of a Strd block that names several documents is not assigned to any of them"
	default:
		return refs, "RfrdDocAmt without a document or creditor reference is not kept"
	}
	return refs, ""
}

// applyAmounts sets the stated amounts on ref. A credit note amount is what
// the payer deducts, so it counts as a negative amount paid when the block
// states no remitted amount.
func (s *structured) applyAmounts(ref *engine.Reference) {
	ref.Amount = s.remitted
	if ref.Amount.Currency == "" && s.creditNote.Currency != "" {
		ref.Amount = s.creditNote.Neg()
		if ref.Kind == engine.RefOther || ref.Kind == engine.RefInvoice {
			ref.Kind = engine.RefCreditNote
		}
	}
	ref.Due = s.due
	ref.Discount = s.discount
	ref.Adjustment = s.adjustment
}

// documentKind classifies a referred document type code
// (DocumentType6Code and its predecessors).
func documentKind(code string) engine.RefKind {
	switch code {
	case "CINV", "HIRI", "SBIN", "MSIN", "AROI", "DEBN", "DNFA":
		return engine.RefInvoice
	case "CREN", "CNFA":
		return engine.RefCreditNote
	case "PUOR":
		return engine.RefPO
	}
	return engine.RefOther
}

// creditorReference makes the reference of a CdtrRefInf. An ISO 11649
// creditor reference is of kind rf only when its check digits verify; any
// other scheme (the Swiss QR reference, the Finnish and Belgian national
// references...) is kept as given, with its type as qualifier.
func creditorReference(value, typ string) engine.Reference {
	ref := engine.Reference{Kind: engine.RefOther, Value: value, Qualifier: typ}
	if ValidRF(value) {
		ref.Kind = engine.RefRF
	}
	return ref
}

// ValidRF reports whether s is an ISO 11649 creditor reference with valid
// check digits: "RF", two check digits and up to 21 letters or digits,
// blanks ignored and letters in either case.
func ValidRF(s string) bool {
	var b [25]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
		if n == len(b) {
			return false
		}
		b[n] = c
		n++
	}
	if n < 5 || b[0] != 'R' || b[1] != 'F' || !isDigit(b[2]) || !isDigit(b[3]) {
		return false
	}
	// Move "RFkk" to the end, read letters as 10..35 and take mod 97.
	rem := 0
	for i := 0; i < n; i++ {
		c := b[(i+4)%n]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			v := int(c-'A') + 10
			rem = (rem*100 + v) % 97
		}
	}
	return rem == 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// notProvided reports whether an identifier is the placeholder that SEPA
// rules prescribe when the payer gave none.
func notProvided(s string) bool { return strings.EqualFold(s, "NOTPROVIDED") }
