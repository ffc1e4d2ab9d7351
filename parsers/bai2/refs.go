package bai2

import (
	"math/big"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// references appends to refs the documents that text names as such:
// invoice numbers after "INVOICE", "INV" or "INV#" (or written "INV-123"),
// purchase orders after "PO" or "P.O.", ISO 11649 RF creditor references
// with valid check digits, and X12 RMR segments with their amounts.
// qualifier is the text key the text came from ("OBI", "REMI"), or "" for
// free text.
func references(refs []engine.Reference, text, qualifier string, cur engine.Currency) []engine.Reference {
	if strings.Contains(text, "RMR*") {
		refs = rmrSegments(refs, text, cur)
	}
	toks := words(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		u := strings.ToUpper(t)
		switch {
		case u == "INVOICE" || u == "INVOICES" || u == "INV" || u == "INV#" || u == "INVOICE#":
			i = numbersAfter(&refs, toks, i+1, engine.RefInvoice, qual(qualifier, "INV"))
		case u == "PO" || u == "PO#" || u == "P.O." || u == "P.O.#":
			i = numbersAfter(&refs, toks, i+1, engine.RefPO, qual(qualifier, "PO"))
		case len(u) > 4 && strings.HasPrefix(u, "INV") && (u[3] == '-' || u[3] == '#') && hasDigit(u):
			refs = addRef(refs, engine.Reference{Kind: engine.RefInvoice, Value: strings.TrimPrefix(t, t[:4]),
				Qualifier: qual(qualifier, "INV")})
			if u[3] == '-' {
				refs[len(refs)-1].Value = t
			}
		case len(u) >= 5 && len(u) <= 25 && strings.HasPrefix(u, "RF") && validRF(u):
			refs = addRef(refs, engine.Reference{Kind: engine.RefRF, Value: u, Qualifier: qual(qualifier, "RF")})
		}
	}
	return refs
}

func qual(key, fallback string) string {
	if key != "" {
		return key
	}
	return fallback
}

// numbersAfter adds the document numbers that follow a keyword: words with
// a digit, after optional "NO", "NR", "NUMBER" or "#", joined by commas,
// "AND" or "&". It returns the index of the last word it used.
func numbersAfter(refs *[]engine.Reference, toks []string, i int, kind engine.RefKind, q string) int {
	for i < len(toks) {
		switch strings.ToUpper(toks[i]) {
		case "NO", "NO.", "NR", "NR.", "NUMBER", "#", "NOS", "NUMBERS":
			i++
			continue
		}
		break
	}
	last := i - 1
	for ; i < len(toks); i++ {
		t := toks[i]
		u := strings.ToUpper(t)
		if u == "AND" || u == "&" {
			continue
		}
		if !hasDigit(t) {
			break
		}
		*refs = addRef(*refs, engine.Reference{Kind: kind, Value: t, Qualifier: q})
		last = i
	}
	return last
}

// addRef appends ref unless a reference of its kind and value is there.
func addRef(refs []engine.Reference, ref engine.Reference) []engine.Reference {
	for _, r := range refs {
		if r.Kind == ref.Kind && r.Value == ref.Value {
			return refs
		}
	}
	return append(refs, ref)
}

// words splits text at blanks, commas, semicolons, colons and parentheses,
// and drops a trailing period from each word.
func words(text string) []string {
	ws := strings.FieldsFunc(text, func(c rune) bool {
		switch c {
		case ' ', '\t', ',', ';', ':', '(', ')', '"', '=':
			return true
		}
		return false
	})
	for i, w := range ws {
		if len(w) > 1 && w[len(w)-1] == '.' && !strings.EqualFold(w, "P.O.") {
			ws[i] = w[:len(w)-1]
		}
	}
	return ws
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}

// validRF reports whether s is an ISO 11649 creditor reference: "RF", two
// check digits and up to 21 letters and digits, whose mod-97 check holds.
func validRF(s string) bool {
	if len(s) < 5 || len(s) > 25 || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' {
		return false
	}
	var b strings.Builder
	for _, c := range s[4:] + s[:4] {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteString(big.NewInt(int64(c-'A') + 10).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// rmrSegments adds the invoices of X12 RMR segments ("RMR*IV*123**100.00")
// found in text, with the amounts paid.
func rmrSegments(refs []engine.Reference, text string, cur engine.Currency) []engine.Reference {
	for {
		i := strings.Index(text, "RMR*")
		if i < 0 {
			return refs
		}
		text = text[i+4:]
		seg := text
		if j := strings.IndexAny(seg, "~\\"); j >= 0 {
			seg = seg[:j]
		}
		el := strings.Split(seg, "*")
		if len(el) < 2 || el[1] == "" {
			continue
		}
		kind := engine.RefOther
		switch el[0] {
		case "IV":
			kind = engine.RefInvoice
		case "PO":
			kind = engine.RefPO
		case "CR":
			kind = engine.RefCreditNote
		}
		ref := engine.Reference{Kind: kind, Value: el[1], Qualifier: "RMR*" + el[0]}
		if len(el) > 3 {
			if a, err := engine.ParseAmount(el[3], cur); err == nil {
				ref.Amount = a
			}
		}
		refs = addRef(refs, ref)
	}
}
