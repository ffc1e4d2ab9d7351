package bai2

import (
	"bytes"
	"unicode/utf8"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/shopspring/decimal"
)

// detail reads a 16 record and its continuations into a payment: type
// code, amount, funds type, bank reference, customer reference and text.
// The text is the last field; it may hold commas and slashes, and every
// continuation after it adds a line.
func (r *Reader) detail(p *engine.Payment) error {
	line := r.rec.line
	p.Format, p.Account = engine.FormatBAI2, r.acc.number
	p.BookingDate, p.ValueDate = r.grp.asOf, r.grp.asOf
	r.acct.records += 1 + r.rec.continuations()
	r.acct.conts += r.rec.continuations()
	if err := r.bareParts(p); err != nil {
		return err
	}
	f := newFields(&r.rec)

	// Type code and amount.
	code, _ := f.next()
	n, ok := parseCode(code)
	if !ok {
		return r.errAt(line, "16", "type code %q is not three digits", code)
	}
	p.TypeCode = codeNames[n]
	class, err := r.detailClass(p, line, n)
	if err != nil {
		return err
	}
	units, err := r.detailAmount(p, &f, line)
	if err != nil {
		return err
	}
	if err := r.acct.addDetail(units, class); err != nil {
		return r.errAt(line, "16", "%s: %v", r.accountLabel(), err)
	}
	p.Amount = engine.Amount{Value: decimal.New(units, -r.acc.digits), Currency: r.acc.currency}
	if class.Debit() {
		p.Direction = engine.Debit
	}

	// Funds type, then the references and the text.
	funds, ok := f.next()
	if !ok {
		if err := r.tolerate(p, line, "16", "", "transaction detail ends after its amount"); err != nil {
			return err
		}
	}
	var ft fundsType
	if err := r.fundsType(p, &f, line, "16", funds, &ft); err != nil {
		return err
	}
	if err := r.valueDate(p, line, &ft); err != nil {
		return err
	}
	if err := r.detailText(p, &f, line); err != nil {
		return err
	}
	r.describe(p, class)
	return nil
}

// detailClass classifies the type code of a detail and sets the payment's
// status from it.
func (r *Reader) detailClass(p *engine.Payment, line, n int) (Class, error) {
	class, listed := classOf(n, r.custom)
	p.Status = codes[n].status
	switch {
	case class == parsers.BAI2Unknown:
		err := r.tolerate(p, line, "16", "read as non-monetary information",
			"type code %s is in no range of the BAI code list", p.TypeCode)
		p.Status = engine.Informational
		return class, err
	case class == parsers.BAI2NonMonetary:
		p.Status = engine.Informational
	case class == parsers.BAI2Status:
		p.Status = engine.Informational
		return class, r.tolerate(p, line, "16", "read as non-monetary information",
			"type code %s is an account status code, not a transaction", p.TypeCode)
	case class == parsers.BAI2CreditSummary || class == parsers.BAI2DebitSummary:
		return class, r.tolerate(p, line, "16", "read as a "+directionWord(class)+" detail",
			"type code %s is a summary code, not a detail code", p.TypeCode)
	case n >= 900 && !listed:
		p.Warnings = append(p.Warnings, "type code "+p.TypeCode+" is bank-defined and not configured; "+
			"read as a "+directionWord(class)+" by its range")
	}
	switch r.grp.status {
	case '2', '4':
		p.Status = engine.Informational
		p.Warnings = append(p.Warnings, groupStatusWarnings[r.grp.status])
	case '3':
		p.Warnings = append(p.Warnings, groupStatusWarnings[r.grp.status])
	}
	return class, nil
}

var groupStatusWarnings = map[byte]string{
	'2': "the group deletes data reported earlier; its details are informational",
	'3': "the group corrects data reported earlier for the same as-of date",
	'4': "the group is test data; its details are informational",
}

// detailAmount reads the amount of a detail in minor units.
func (r *Reader) detailAmount(p *engine.Payment, f *fields, line int) (int64, error) {
	b, ok := f.next()
	if !ok {
		return 0, r.errAt(line, "16", "transaction detail ends before its amount")
	}
	if len(b) == 0 {
		return 0, r.tolerate(p, line, "16", "read as zero", "amount is blank")
	}
	if b[0] == '+' {
		if err := r.tolerate(p, line, "16", "", "amount %q has a sign; details are unsigned", b); err != nil {
			return 0, err
		}
		b = b[1:]
	}
	v, ok := parseUint(b)
	if !ok {
		return 0, r.errAt(line, "16", "amount %q is not a whole number of minor units", b)
	}
	return v, nil
}

// valueDate sets the payment's value date from a V funds type.
func (r *Reader) valueDate(p *engine.Payment, line int, ft *fundsType) error {
	if ft.kind != 'V' {
		return nil
	}
	if ft.dateErr != nil {
		return r.tolerate(p, line, "16", "the as-of date is used", "value date %q is not YYMMDD", ft.dateErr)
	}
	p.ValueDate = ft.valueDate
	if ft.timeErr != nil {
		return r.tolerate(p, line, "16", "", "value time %q is not HHMM", ft.timeErr)
	}
	return nil
}

// detailText reads the bank reference, the customer reference and the text,
// and makes their strings, with the payment's source, substrings of one
// string that shares its block with neighbouring payments.
func (r *Reader) detailText(p *engine.Payment, f *fields, line int) error {
	bank, _ := f.next()
	cust, _ := f.next()
	if bytes.IndexByte(bank, '/') >= 0 || bytes.IndexByte(cust, '/') >= 0 {
		err := r.tolerate(p, line, "16", "", "reference %q or %q contains \"/\", "+
			"which BAI2 allows only in text", bank, cust)
		if err != nil {
			return err
		}
	}

	// The references and the text lines, without blanks around them or a
	// terminating slash, as spans of the record.
	l := &r.rec
	spans := append(r.spans[:0], l.span(bank), l.span(cust))
	if t, ok := f.rest(); ok {
		spans = appendLine(spans, l, t)
	}
	for f.pi+1 < len(l.parts) {
		f.pi++
		pt := l.parts[f.pi]
		spans = appendLine(spans, l, l.arena[pt.start:pt.end])
	}
	r.spans = spans

	// One string holds the source and the spans: the record as read when
	// the spans make up most of it, else the spans one after the other.
	src := r.source(r.rec.line)
	first, last := l.parts[0].start, l.parts[len(l.parts)-1].end
	n := 0
	for _, sp := range spans {
		n += sp.end - sp.start
	}
	whole := last-first <= 2*n+64
	if whole {
		n = last - first
	}
	b := r.strs.builder(len(src) + n)
	start := b.Len()
	b.Write(src)
	if whole {
		b.Write(l.arena[first:last])
	} else {
		for _, sp := range spans {
			b.Write(l.arena[sp.start:sp.end])
		}
	}
	s := b.String()[start:]

	// Each span's string.
	at := len(src)
	str := func(sp span) string {
		if sp.start == sp.end {
			return ""
		}
		i := at
		if whole {
			i = len(src) + sp.start - first
		}
		at += sp.end - sp.start
		return s[i : i+sp.end-sp.start]
	}
	p.Source = s[:len(src)]
	p.BankRef = str(spans[0])
	p.CustomerRef = str(spans[1])
	if text := spans[2:]; len(text) > 0 {
		lines := r.slabs.strings(len(text))
		for i, sp := range text {
			lines[i] = str(sp)
		}
		p.Remittance.Lines = lines
	}
	return nil
}

// appendLine appends the span of a text line without surrounding blanks or
// a terminating slash; an empty line is dropped.
func appendLine(spans []span, l *logical, t []byte) []span {
	t = trimSpace(t)
	for len(t) > 0 && t[len(t)-1] == '/' {
		t = trimSpace(t[:len(t)-1])
	}
	if len(t) == 0 {
		return spans
	}
	return append(spans, l.span(t))
}

// source returns the source of a payment on line: the file's name, a colon
// and the line. Lines come in order, so it mostly counts up the digits of
// the line before.
func (r *Reader) source(line int) []byte {
	b := r.srcLine
	if d := line - r.srcAt; len(b) > len(r.src) && d >= 0 && d < 8 {
		for ; d > 0; d-- {
			i := len(b) - 1
			for i >= len(r.src) && b[i] == '9' {
				b[i] = '0'
				i--
			}
			if i < len(r.src) {
				b = appendDecimal(b[:len(r.src)], line)
				break
			}
			b[i]++
		}
	} else {
		b = appendDecimal(append(b[:0], r.src...), line)
	}
	r.srcLine, r.srcAt = b, line
	return b
}

// trimSpace is bytes.TrimSpace with a fast path for text that starts and
// ends with a printable ASCII character.
func trimSpace(b []byte) []byte {
	if len(b) > 0 && b[0] > ' ' && b[0] < utf8.RuneSelf && b[len(b)-1] > ' ' && b[len(b)-1] < utf8.RuneSelf {
		return b
	}
	return bytes.TrimSpace(b)
}

// appendDecimal appends the decimal digits of n >= 0, as
// strconv.AppendInt does, for less.
func appendDecimal(b []byte, n int) []byte {
	var d [20]byte
	i := len(d)
	for n >= 10 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	d[i] = byte('0' + n)
	return append(b, d[i:]...)
}

func directionWord(c Class) string {
	if c.Debit() {
		return "debit"
	}
	return "credit"
}
