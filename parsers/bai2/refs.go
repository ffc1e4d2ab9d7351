package bai2

import (
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
	if !mayName(text) {
		return refs
	}
	if strings.Contains(text, "RMR*") {
		refs = rmrSegments(refs, text, cur)
	}
	w := words{s: text}
	for t, ok := w.next(); ok; t, ok = w.next() {
		if !refStart[t[0]] {
			continue
		}
		switch {
		case isOneOf(t, "INVOICE", "INVOICES", "INV", "INV#", "INVOICE#"):
			refs = numbersAfter(refs, &w, engine.RefInvoice, qual(qualifier, "INV"))
		case isOneOf(t, "PO", "PO#", "P.O", "P.O.#"):
			refs = numbersAfter(refs, &w, engine.RefPO, qual(qualifier, "PO"))
		case len(t) > 4 && equalFold(t[:3], "INV") && (t[3] == '-' || t[3] == '#') && hasDigit(t[4:]):
			v := t
			if t[3] == '#' {
				v = t[4:]
			}
			refs = addRef(refs, engine.Reference{Kind: engine.RefInvoice, Value: v,
				Qualifier: qual(qualifier, "INV")})
		case len(t) >= 5 && toUpper(t[0]) == 'R' && toUpper(t[1]) == 'F' && validRF(t):
			refs = addRef(refs, engine.Reference{Kind: engine.RefRF, Value: strings.ToUpper(t),
				Qualifier: qual(qualifier, "RF")})
		}
	}
	return refs
}

// mayName reports whether text holds a word that could start a reference:
// "INV", "PO", "P.O", "RF" followed by a digit, or "RMR*". It lets most
// text through without splitting it into words.
func mayName(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if !refStart[text[i]] || (i > 0 && !isSeparator(text[i-1]) && text[i-1] != '*') {
			continue
		}
		a, b, c := toUpper(text[i]), toUpper(text[i+1]), toUpper(text[i+2])
		switch {
		case a == 'I' && b == 'N' && c == 'V',
			a == 'P' && (b == 'O' || (b == '.' && c == 'O')),
			a == 'R' && b == 'F' && isDigit(c),
			a == 'R' && b == 'M' && c == 'R':
			return true
		}
	}
	return false
}

// refStart marks the letters a reference keyword starts with.
var refStart = [256]bool{'I': true, 'i': true, 'P': true, 'p': true, 'R': true, 'r': true}

// isOneOf reports whether t is one of words, ignoring ASCII case.
func isOneOf(t string, words ...string) bool {
	for _, w := range words {
		if equalFold(t, w) {
			return true
		}
	}
	return false
}

func qual(key, fallback string) string {
	if key != "" {
		return key
	}
	return fallback
}

// numbersAfter adds the document numbers that follow a keyword: words with
// a digit, after an optional "NO", "NR", "NUMBER" or "#", joined by commas,
// "AND" or "&". It leaves w after the last word it used.
func numbersAfter(refs []engine.Reference, w *words, kind engine.RefKind, q string) []engine.Reference {
	look := *w
	t, ok := look.next()
	for ok && isOneOf(t, "NO", "NR", "NUMBER", "#", "NOS", "NUMBERS") {
		*w = look
		t, ok = look.next()
	}
	for ; ok; t, ok = look.next() {
		if isOneOf(t, "AND", "&") {
			continue
		}
		if !hasDigit(t) {
			break
		}
		refs = addRef(refs, engine.Reference{Kind: kind, Value: t, Qualifier: q})
		*w = look
	}
	return refs
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

// words splits text into words at blanks, commas, semicolons, colons,
// quotes, equal signs and parentheses, dropping a trailing period.
type words struct {
	s string
	i int
}

func (w *words) next() (string, bool) {
	for w.i < len(w.s) && isSeparator(w.s[w.i]) {
		w.i++
	}
	start := w.i
	for w.i < len(w.s) && !isSeparator(w.s[w.i]) {
		w.i++
	}
	t := w.s[start:w.i]
	if len(t) > 1 && t[len(t)-1] == '.' {
		t = t[:len(t)-1]
	}
	return t, start < w.i
}

func isSeparator(c byte) bool {
	switch c {
	case ' ', '\t', ',', ';', ':', '(', ')', '"', '=':
		return true
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// validRF reports whether s is an ISO 11649 creditor reference: "RF", two
// check digits and up to 21 letters and digits, whose mod-97 check holds.
func validRF(s string) bool {
	if len(s) < 5 || len(s) > 25 || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	rem := 0
	for i := 4; i < len(s)+4; i++ {
		c := toUpper(s[i%len(s)])
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// rmrSegments adds the documents of X12 RMR segments ("RMR*IV*123**100.00")
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
