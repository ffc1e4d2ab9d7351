package bai2

import (
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// accountHeader reads a 03 record: the account number, its currency and a
// list of status and summary entries (type code, amount, item count, funds
// type), which the 88 records that follow may continue.
func (r *Reader) accountHeader() error {
	r.acct = tally{records: 1 + r.rec.continuations(), conts: r.rec.continuations()}
	r.expect = expectDetail
	if err := r.bareParts(nil); err != nil {
		return err
	}
	f := newFields(&r.rec)
	line := r.rec.line
	num, _ := f.next()
	if len(num) == 0 {
		return r.errAt(line, "03", "account identifier has no account number")
	}
	r.acc = accountInfo{number: string(num), currency: r.grp.currency, line: line}
	if cur, _ := f.next(); len(cur) > 0 {
		c, err := engine.ParseCurrency(string(cur))
		if err != nil {
			return r.errAt(line, "03", "account %s: currency code %q is not an ISO 4217 code", num, cur)
		}
		r.acc.currency = c
	}
	r.acc.digits = r.acc.currency.Digits()
	return r.summaries(&f)
}

// summaries reads the status and summary entries of a 03 record. Their
// amounts count towards the account's control total.
func (r *Reader) summaries(f *fields) error {
	for {
		// A part that ends with empty fields where an entry would start
		// has a superfluous trailing comma.
		for f.restBlank() {
			f.skipPart()
		}
		code, ok := f.next()
		if !ok {
			return nil
		}
		line := f.line()
		amount, _ := f.next()
		count, _ := f.next()
		funds, _ := f.next()
		if len(code) == 0 && len(amount) == 0 && len(count) == 0 && len(funds) == 0 {
			continue // a defaulted entry
		}
		if err := r.summary(f, line, code, amount, count, funds); err != nil {
			return err
		}
	}
}

// summary checks one status or summary entry and adds its amount to the
// account's tally.
func (r *Reader) summary(f *fields, line int, code, amount, count, funds []byte) error {
	n, ok := parseCode(code)
	if !ok {
		return r.errAt(line, "03", "account %s: type code %q is not three digits", r.acc.number, code)
	}
	class, listed := classOf(n, r.custom)
	if listed && (class == parsers.BAI2CreditDetail || class == parsers.BAI2DebitDetail) {
		err := r.tolerate(nil, line, "03", "", "account %s: type code %s is a detail code; "+
			"a 03 record reports status and summaries", r.acc.number, code)
		if err != nil {
			return err
		}
	}
	if len(amount) > 0 {
		v, ok := parseSigned(amount)
		if !ok {
			return r.errAt(line, "03", "account %s: amount %q of type code %s is not a whole number of minor units",
				r.acc.number, amount, code)
		}
		if err := r.acct.addSummary(v, class == parsers.BAI2Status); err != nil {
			return r.errAt(line, "03", "account %s: %v", r.acc.number, err)
		}
	}
	if _, ok := parseUint(count); len(count) > 0 && !ok {
		return r.errAt(line, "03", "account %s: item count %q of type code %s is not a number",
			r.acc.number, count, code)
	}
	var ft fundsType
	return r.fundsType(nil, f, line, "03", funds, &ft)
}

// fundsType reads the funds type of an amount and the fields that its kind
// adds: V a value date and time, S three availability amounts, D a count of
// day and amount pairs. They do not count towards control totals.
//
// p is the payment of a 16 record, which tolerated departures are noted on;
// nil for a 03 record.
func (r *Reader) fundsType(p *engine.Payment, f *fields, line int, record string, code []byte,
	ft *fundsType) error {
	if len(code) == 1 && code[0] >= 'a' && code[0] <= 'z' {
		err := r.tolerate(p, line, record, "", "funds type %q is lower case", code)
		if err != nil {
			return err
		}
		code = []byte{code[0] - 'a' + 'A'}
	}
	ft.kind = 'Z'
	if len(code) == 1 {
		ft.kind = code[0]
	}
	switch {
	case len(code) == 0:
	case len(code) > 1:
		return r.errAt(line, record, "funds type %q is not one of 0, 1, 2, S, V, D and Z", code)
	case ft.kind == '0', ft.kind == '1', ft.kind == '2', ft.kind == 'Z':
	case ft.kind == 'V':
		return r.valueDated(f, line, record, ft)
	case ft.kind == 'S':
		for range 3 {
			b, _ := f.next()
			if _, ok := parseSigned(b); len(b) > 0 && !ok {
				return r.errAt(line, record, "funds type S availability amount %q is not a number", b)
			}
		}
	case ft.kind == 'D':
		return r.distribution(f, line, record)
	default:
		return r.errAt(line, record, "funds type %q is not one of 0, 1, 2, S, V, D and Z", code)
	}
	return nil
}

// fundsType is what a detail's funds type says about its value date.
type fundsType struct {
	kind      byte
	valueDate engine.Date
	dateErr   []byte // a V value date that is not a date
	timeErr   []byte
}

func (r *Reader) valueDated(f *fields, line int, record string, ft *fundsType) error {
	d, _ := f.next()
	t, _ := f.next()
	v, ok := parseDate(d)
	if !ok {
		ft.dateErr = d
		if len(d) == 0 {
			ft.dateErr = []byte{}
		}
	}
	ft.valueDate = v
	if !validTime(t, true) {
		ft.timeErr = t
	}
	if record == "03" && (ft.dateErr != nil || ft.timeErr != nil) {
		return r.tolerate(nil, line, record, "", "funds type V value date %q and time %q "+
			"are not YYMMDD and HHMM", d, t)
	}
	return nil
}

func (r *Reader) distribution(f *fields, line int, record string) error {
	b, _ := f.next()
	n, ok := parseUint(b)
	if !ok {
		return r.errAt(line, record, "funds type D distribution count %q is not a number", b)
	}
	for i := int64(0); i < n; i++ {
		days, ok1 := f.next()
		amt, ok2 := f.next()
		if !ok1 || !ok2 {
			return r.errAt(line, record, "funds type D announces %d distributions; the record ends after %d", n, i)
		}
		if _, ok := parseUint(days); !ok {
			return r.errAt(line, record, "funds type D availability days %q is not a number", days)
		}
		if _, ok := parseSigned(amt); !ok {
			return r.errAt(line, record, "funds type D distribution amount %q is not a number", amt)
		}
	}
	return nil
}

// accountLabel names the current account in messages.
func (r *Reader) accountLabel() string {
	return "account " + strings.TrimSpace(r.acc.number)
}
