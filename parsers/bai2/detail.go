package bai2

import (
	"bytes"
	"strconv"

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
// and builds their strings, with the payment's source, from one allocation.
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
	buf := strconv.AppendInt(append(r.strs[:0], r.src...), int64(r.rec.line), 10)
	ns := len(buf)
	buf = append(append(buf, bank...), cust...)
	offs := r.offs[:0]
	if t, ok := f.rest(); ok {
		buf, offs = appendLine(buf, offs, t)
	}
	for f.pi+1 < len(f.l.parts) {
		f.pi++
		pt := f.l.parts[f.pi]
		buf, offs = appendLine(buf, offs, f.l.arena[pt.start:pt.end])
	}
	r.strs, r.offs = buf, offs
	s := string(buf)
	nb, nc := ns+len(bank), ns+len(bank)+len(cust)
	p.Source, p.BankRef, p.CustomerRef = s[:ns], s[ns:nb], s[nb:nc]
	if len(offs) > 0 {
		lines := r.slabs.strings(len(offs) / 2)
		for i := range lines {
			lines[i] = s[offs[2*i]:offs[2*i+1]]
		}
		p.Remittance.Lines = lines
	}
	return nil
}

// appendLine appends a text line without surrounding blanks or a
// terminating slash, and records where it is; an empty line is dropped.
func appendLine(buf []byte, offs []int, t []byte) ([]byte, []int) {
	t = bytes.TrimSpace(t)
	for len(t) > 0 && t[len(t)-1] == '/' {
		t = bytes.TrimSpace(t[:len(t)-1])
	}
	if len(t) == 0 {
		return buf, offs
	}
	offs = append(offs, len(buf))
	buf = append(buf, t...)
	return buf, append(offs, len(buf))
}

func directionWord(c Class) string {
	if c.Debit() {
		return "debit"
	}
	return "credit"
}
