package camt

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// xmlSpace is the white space XML allows around a value.
const xmlSpace = " \t\r\n"

// currency is a known ISO 4217 currency with its minor digits.
type currency struct {
	code   engine.Currency
	digits int
}

// maxCurrencies bounds the Ccy values the reader remembers.
const maxCurrencies = 256

// currencyOf returns the currency named by a Ccy attribute.
func (r *Reader) currencyOf(ccy []byte) (currency, error) {
	if c, ok := r.ccys[string(ccy)]; ok {
		return c, nil
	}
	if len(ccy) == 0 {
		return currency{}, fmt.Errorf("amount has no Ccy attribute")
	}
	code, err := engine.ParseCurrency(string(ccy))
	if err != nil {
		return currency{}, err
	}
	c := currency{code, int(code.Digits())}
	if len(r.ccys) < maxCurrencies {
		r.ccys[string(ccy)] = c
	}
	return c, nil
}

// money reads the amount in text in the currency of the element's Ccy
// attribute. The schema allows up to five fraction digits; digits beyond
// the currency's minor unit are accepted when they are zeros ("8.850" EUR)
// and refused otherwise, since the amount could not be represented
// exactly.
func (r *Reader) money(text []byte) (engine.Amount, error) {
	a, _, err := r.moneyUnits(text)
	return a, err
}

// moneyUnits is money that also returns the amount as fixed-point units
// when it fits, for the statement totals.
func (r *Reader) moneyUnits(text []byte) (engine.Amount, fixed, error) {
	c, err := r.currencyOf(r.ccy)
	if err != nil {
		return engine.Amount{}, fixed{}, err
	}
	f, ok := parseUnits(bytes.Trim(text, xmlSpace), c)
	if ok {
		return engine.Amount{Value: decimal.New(f.units, int32(-f.frac)), Currency: c.code}, f, nil
	}
	a, err := moneySlow(string(bytes.Trim(text, xmlSpace)), c)
	return a, fixed{}, err
}

// fixed is an amount as units of 10^-frac; ok is false when it is not
// known in this form.
type fixed struct {
	units int64
	frac  int
	ok    bool
}

// parseUnits is the fast path of money: a plain decimal of at most 18
// digits, read into int64 units. It reports false for anything else,
// which moneySlow then reads or refuses with a reason.
func parseUnits(s []byte, c currency) (fixed, bool) {
	if len(s) > 0 && s[0] == '+' {
		s = s[1:]
	}
	var units int64
	digits, frac, dot := 0, 0, false
	for _, ch := range s {
		switch {
		case ch >= '0' && ch <= '9':
			if dot {
				frac++
			}
			if digits > 0 || ch != '0' {
				digits++
			}
			units = units*10 + int64(ch-'0')
		case ch == '.' && !dot:
			dot = true
		default:
			return fixed{}, false
		}
		if digits > 18 {
			return fixed{}, false
		}
	}
	if len(s) == 0 || (dot && len(s) == 1) {
		return fixed{}, false
	}
	for frac > c.digits && units%10 == 0 {
		units /= 10
		frac--
	}
	if frac > c.digits {
		return fixed{}, false
	}
	return fixed{units, frac, true}, true
}

// moneySlow reads what parseUnits does not: long numbers, or explains why
// the text is no amount.
func moneySlow(s string, c currency) (engine.Amount, error) {
	if s == "" {
		return engine.Amount{}, fmt.Errorf("empty amount")
	}
	if s[0] == '-' {
		return engine.Amount{}, fmt.Errorf("amount %q is negative", s)
	}
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		keep := dot + 1 + c.digits
		if c.digits == 0 {
			keep = dot + 1
		}
		for len(s) > keep && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		s = strings.TrimSuffix(s, ".")
	}
	return engine.ParseAmount(s, c.code)
}

// parseDate reads an ISODate or the date part of an ISODateTime, as
// written: "2026-03-17" or "2026-03-17T23:30:00-05:00" are both 17 March.
func parseDate(text []byte) (engine.Date, error) {
	s := bytes.Trim(text, xmlSpace)
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T') {
		return engine.Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	d := s[:10]
	y, ok1 := digits(d[0:4])
	m, ok2 := digits(d[5:7])
	day, ok3 := digits(d[8:10])
	if !ok1 || !ok2 || !ok3 || d[4] != '-' || d[7] != '-' {
		return engine.Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != day {
		return engine.Date{}, fmt.Errorf("date %q does not exist", s)
	}
	return engine.Date{Year: y, Month: time.Month(m), Day: day}, nil
}

func digits[T string | []byte](s T) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// direction reads a CreditDebitCode.
func direction(text []byte) (engine.Direction, error) {
	switch string(bytes.Trim(text, xmlSpace)) {
	case "CRDT":
		return engine.Credit, nil
	case "DBIT":
		return engine.Debit, nil
	}
	return 0, fmt.Errorf("credit/debit indicator %q is neither CRDT nor DBIT", text)
}

// boolean reads an xs:boolean.
func boolean(text []byte) (bool, error) {
	switch string(bytes.Trim(text, xmlSpace)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", text)
}

// status maps an entry status code.
func status(code string) (engine.Status, bool) {
	switch code {
	case "BOOK":
		return engine.Booked, true
	case "PDNG", "FUTR":
		return engine.Pending, true
	case "INFO":
		return engine.Informational, true
	}
	return engine.Informational, false
}

// sumScale is the number of fraction digits of the statement totals: the
// most an ISO 20022 amount may have.
const sumScale = 5

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000}

// total is an exact running sum of amounts: int64 units of 10^-5 while
// they fit, and a decimal for the rest.
type total struct {
	units int64
	rest  decimal.Decimal
}

// add adds v, known as f where f.ok, negated when neg.
func (t *total) add(v decimal.Decimal, f fixed, neg bool) {
	if f.ok && f.frac <= sumScale {
		m := pow10[sumScale-f.frac]
		if f.units <= math.MaxInt64/m {
			u := f.units * m
			if neg {
				u = -u
			}
			if s := t.units + u; (u >= 0) == (s >= t.units) {
				t.units = s
				return
			}
		}
	}
	if neg {
		v = v.Neg()
	}
	t.rest = t.rest.Add(v)
}

func (t total) value() decimal.Decimal {
	return decimal.New(t.units, -sumScale).Add(t.rest)
}
