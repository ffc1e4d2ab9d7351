package bai2

import (
	"strings"
	"unicode/utf8"

	"github.com/cashmatch/cashmatch/engine"
)

// describe fills in what the text of a detail makes clear: the payer's name,
// account and bank, the end-to-end id, a return reason and the documents
// paid. It reads the keyed text banks send (Fedwire "ORG:=", "OBI:=";
// Goldman Sachs style "DBNM:", "REMI:", "EREF:"; ACH "ORIG CO NAME:") and
// invoice, purchase-order and RF references named as such. Payer fields
// are set for credits only: on a debit the payer is the account owner.
// Keyed lines win over keys inside free text, which name the parties less
// reliably.
func (r *Reader) describe(p *engine.Payment, class Class) {
	payer := !class.Debit()
	var in inlineFacts
	refs := r.refs[:0]
	for _, l := range p.Remittance.Lines {
		key, val, kind := keyed(l)
		switch {
		case kind == keyShort && key == "REMI", kind == keyWire && equalFold(key, "OBI"):
			refs = references(refs, val, key, p.Amount.Currency)
			continue
		case kind == keyShort:
			shortKey(p, key, val, payer)
			continue
		case kind == keyWire && (equalFold(key, "ORG") || equalFold(key, "ORIGINATOR")):
			setOnce(&p.PayerName, val, payer)
			continue
		}
		refs = references(refs, l, "", p.Amount.Currency)
		if kind == keyNone && (payer || p.Status == engine.Return) && strings.IndexByte(l, ':') >= 0 {
			inline(&in, l, payer, p.Status == engine.Return)
		}
	}
	if len(refs) > 0 {
		p.Remittance.References = r.slabs.references(refs)
	}
	r.refs = refs
	setOnce(&p.PayerName, in.PayerName, true)
	setOnce(&p.PayerID, in.PayerID, true)
	setOnce(&p.ReturnReason, in.ReturnReason, true)
	setOnce(&p.OriginalRef, in.OriginalRef, true)
}

// shortKey applies one "KEY: value" line of the four-letter keys some banks
// (Goldman Sachs among them) send.
func shortKey(p *engine.Payment, key, val string, payer bool) {
	switch key {
	case "DBNM":
		setOnce(&p.PayerName, val, payer)
	case "DACT":
		setOnce(&p.PayerAccount, val, payer)
	case "DABA", "DBIC":
		setOnce(&p.PayerBank, val, payer)
	case "EREF":
		setOnce(&p.EndToEndID, val, true)
	}
}

// inline reads the keys that appear inside a line of free text, each ended
// by a colon: ACH company name and id, a "From:" name, and for returns the
// reason and the reference of the entry returned.
func inline(p *inlineFacts, l string, payer, returned bool) {
	for i := 0; i < len(l); i++ {
		j := strings.IndexByte(l[i:], ':')
		if j < 0 {
			return
		}
		i += j
		key := keyBefore(l, i)
		if key == "" {
			continue
		}
		switch {
		case payer && (key == "ORIG CO NAME" || key == "COMPANY NAME" || key == "CO NAME"):
			setOnce(&p.PayerName, valueAt(l, i+1, true), true)
		case payer && (key == "ORIG ID" || key == "CO ID" || key == "COMPANY ID"):
			setOnce(&p.PayerID, valueAt(l, i+1, true), true)
		case payer && key == "FROM":
			setOnce(&p.PayerName, valueAt(l, i+1, false), true)
		case returned && key == "REASON":
			setOnce(&p.ReturnReason, strings.Trim(valueAt(l, i+1, false), `"`), true)
		case returned && key == "RETURN OF CLIENT REF ID":
			setOnce(&p.OriginalRef, valueAt(l, i+1, false), true)
		}
	}
}

// inlineFacts is what keys inside free text say.
type inlineFacts struct {
	PayerName, PayerID, ReturnReason, OriginalRef string
}

// inlineKeys are the keys ACH, wire and Goldman Sachs details put inside a
// line, each followed by a colon; a value read up to the next key stops at
// any of them.
var inlineKeys = []string{"ORIG CO NAME", "COMPANY NAME", "CO NAME", "ORIG ID", "CO ID", "COMPANY ID",
	"FROM", "REASON", "RETURN OF CLIENT REF ID", "DESC DATE", "CO ENTRY DESCR", "ENTRY DESCR", "SEC",
	"TRACE#", "EED", "IND ID", "IND NAME", "TRN"}

// keysByLast indexes inlineKeys by their last character, so that a colon
// is compared with the few keys that can end before it.
var keysByLast = func() (m [256][]string) {
	for _, k := range inlineKeys {
		c := k[len(k)-1]
		m[c] = append(m[c], k)
		if c >= 'A' && c <= 'Z' {
			m[c-'A'+'a'] = append(m[c-'A'+'a'], k)
		}
	}
	return m
}()

// keyBefore returns the inline key (in upper case) that ends just before the
// colon at l[i], or "".
func keyBefore(l string, i int) string {
	if i == 0 {
		return ""
	}
	for _, k := range keysByLast[l[i-1]] {
		n := len(k)
		if i >= n && (i == n || !isWordByte(l[i-n-1])) && equalFold(l[i-n:i], k) {
			return k
		}
	}
	return ""
}

// valueAt returns the value that starts at l[i]. In a list of keys
// (untilKey) it ends at two blanks or at the next inline key; otherwise it
// ends at a comma.
func valueAt(l string, i int, untilKey bool) string {
	v := l[i:]
	end := len(v)
	if untilKey {
		if j := strings.Index(v, "  "); j >= 0 {
			end = j
		}
		for j := 0; j < end; j++ {
			c := strings.IndexByte(v[j:end], ':')
			if c < 0 {
				break
			}
			j += c
			if k := keyBefore(v, j); k != "" {
				end = j - len(k)
				break
			}
		}
	} else if j := strings.IndexByte(v, ','); j >= 0 {
		end = j
	}
	return trimSpaceString(v[:end])
}

func setOnce(dst *string, v string, allowed bool) {
	if allowed && *dst == "" && v != "" {
		*dst = v
	}
}

// Kinds of keyed lines.
const (
	keyNone  = iota
	keyWire  // "KEY:=value", as Fedwire details are reported
	keyShort // "ABCD: value", four capital letters
)

// keyed splits a line of the form "KEY:=value" or "ABCD: value".
func keyed(l string) (key, val string, kind int) {
	i := strings.IndexByte(l, ':')
	switch {
	case i < 0:
	case i+1 < len(l) && l[i+1] == '=' && i <= 20:
		return trimSpaceString(l[:i]), trimSpaceString(l[i+2:]), keyWire
	case i == 4 && isUpper(l[:4]):
		return l[:4], trimSpaceString(l[5:]), keyShort
	}
	return "", "", keyNone
}

// equalFold reports whether s is upper, an upper-case ASCII word, ignoring
// the case of s's ASCII letters. It agrees with strings.EqualFold whenever
// s has the length of upper, and for any s when upper holds no K or S (the
// only ASCII letters with a non-ASCII case equivalent, the Kelvin sign and
// the long s, which take more bytes).
func equalFold(s, upper string) bool {
	if len(s) != len(upper) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if toUpper(s[i]) != upper[i] {
			return false
		}
	}
	return true
}

// trimSpaceString is strings.TrimSpace with a fast path for text that
// starts and ends with a printable ASCII character.
func trimSpaceString(s string) string {
	if len(s) > 0 && s[0] > ' ' && s[0] < utf8.RuneSelf && s[len(s)-1] > ' ' && s[len(s)-1] < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func toUpper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func isWordByte(c byte) bool {
	c = toUpper(c)
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}
