package bai2

import (
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// describe fills in what the text of a detail makes clear: the payer's name,
// account and bank, the end-to-end id, a return reason and the documents
// paid. It reads the keyed text banks send (Fedwire "ORG:=", "OBI:=";
// Goldman Sachs style "DBNM:", "REMI:", "EREF:"; ACH "ORIG CO NAME:") and
// invoice, purchase-order and RF references named as such. Payer fields
// are set for credits only: on a debit the payer is the account owner.
func (r *Reader) describe(p *engine.Payment, class Class) {
	payer := !class.Debit()
	lines := p.Remittance.Lines
	free := 0 // lines that are not keyed
	for _, l := range lines {
		key, val, kind := keyed(l)
		switch {
		case kind == keyWire && (key == "ORG" || key == "ORIGINATOR"):
			setOnce(&p.PayerName, val, payer)
		case kind == keyWire && key == "OBI", kind == keyShort && key == "REMI":
			p.Remittance.References = references(p.Remittance.References, val, key, p.Amount.Currency)
		case kind == keyShort:
			r.shortKey(p, key, val, payer)
		default:
			free++
			p.Remittance.References = references(p.Remittance.References, l, "", p.Amount.Currency)
		}
	}
	// Keys inside free text come second: the keyed lines name the parties
	// more reliably.
	if free == 0 {
		return
	}
	for _, l := range lines {
		if _, _, kind := keyed(l); kind == keyNone || kind == keyWire {
			r.inline(p, l, payer)
		}
	}
}

// shortKey applies one "KEY: value" line of the four-letter keys some banks
// (Goldman Sachs among them) send.
func (r *Reader) shortKey(p *engine.Payment, key, val string, payer bool) {
	switch key {
	case "DBNM":
		if payer && val != "" {
			p.PayerName = val // the debtor's own name wins over a "From:" in the text
		}
	case "DACT":
		setOnce(&p.PayerAccount, val, payer)
	case "DABA", "DBIC":
		setOnce(&p.PayerBank, val, payer)
	case "EREF":
		setOnce(&p.EndToEndID, val, true)
	}
}

// inline reads keys that appear inside a line of free text.
func (r *Reader) inline(p *engine.Payment, l string, payer bool) {
	if payer {
		for _, k := range []string{"ORIG CO NAME:", "COMPANY NAME:", "CO NAME:"} {
			if v, ok := valueAfter(l, k, true); ok {
				setOnce(&p.PayerName, v, true)
				break
			}
		}
		for _, k := range []string{"ORIG ID:", "CO ID:", "COMPANY ID:"} {
			if v, ok := valueAfter(l, k, true); ok {
				setOnce(&p.PayerID, v, true)
				break
			}
		}
		if v, ok := valueAfter(l, "FROM:", false); ok {
			setOnce(&p.PayerName, v, true)
		}
	}
	if p.Status == engine.Return {
		if v, ok := valueAfter(l, "REASON:", false); ok {
			setOnce(&p.ReturnReason, strings.Trim(v, `"`), true)
		}
		if v, ok := valueAfter(l, "RETURN OF CLIENT REF ID:", false); ok {
			setOnce(&p.OriginalRef, v, true)
		}
	}
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
	if i := strings.Index(l, ":="); i > 0 && i <= 20 {
		return strings.ToUpper(strings.TrimSpace(l[:i])), strings.TrimSpace(l[i+2:]), keyWire
	}
	if len(l) >= 5 && l[4] == ':' && isUpper(l[:4]) {
		return l[:4], strings.TrimSpace(l[5:]), keyShort
	}
	return "", "", keyNone
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// inlineKeys end the value of an inline key: the keys that ACH and wire
// details put on the same line.
var inlineKeys = []string{"ORIG CO NAME:", "ORIG ID:", "DESC DATE:", "CO ENTRY DESCR:", "ENTRY DESCR:",
	"SEC:", "TRACE#:", "EED:", "IND ID:", "IND NAME:", "TRN:", "CO ID:", "COMPANY ID:", "COMPANY NAME:"}

// valueAfter returns the value that follows key (ASCII case-insensitive) in
// l. In a list of keys (untilKey) the value ends at the next known key or
// at two blanks; otherwise it ends at a comma.
func valueAfter(l, key string, untilKey bool) (string, bool) {
	i := indexFold(l, key)
	if i < 0 || (i > 0 && isWordByte(l[i-1])) {
		return "", false
	}
	v := l[i+len(key):]
	end := len(v)
	if untilKey {
		if j := strings.Index(v, "  "); j >= 0 {
			end = j
		}
		for _, k := range inlineKeys {
			if j := indexFold(v, k); j >= 0 && j < end {
				end = j
			}
		}
	} else if j := strings.IndexByte(v, ','); j >= 0 {
		end = j
	}
	v = strings.TrimSpace(v[:end])
	return v, v != ""
}

// indexFold is strings.Index for an upper-case ASCII needle, ignoring case.
func indexFold(s, upper string) int {
	n := len(upper)
	for i := 0; i+n <= len(s); i++ {
		j := 0
		for j < n && toUpper(s[i+j]) == upper[j] {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
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
