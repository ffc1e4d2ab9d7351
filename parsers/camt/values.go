package camt

import (
	"fmt"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
)

// xmlSpace is the white space XML allows around a value.
const xmlSpace = " \t\r\n"

// parseMoney reads an ISO 20022 amount with its Ccy attribute. The schema
// allows up to five fraction digits; digits beyond the currency's minor
// unit are accepted when they are zeros ("8.850" EUR) and refused
// otherwise, since the amount could not be represented exactly.
func parseMoney(text, ccy string) (engine.Amount, error) {
	cur, err := engine.ParseCurrency(ccy)
	if err != nil {
		if ccy == "" {
			return engine.Amount{}, fmt.Errorf("amount %q has no Ccy attribute", text)
		}
		return engine.Amount{}, err
	}
	s := strings.Trim(text, xmlSpace)
	if s == "" {
		return engine.Amount{}, fmt.Errorf("empty amount")
	}
	if s[0] == '-' {
		return engine.Amount{}, fmt.Errorf("amount %q is negative", s)
	}
	if dot := strings.IndexByte(s, '.'); dot >= 0 {
		keep := dot + 1 + int(cur.Digits())
		if cur.Digits() == 0 {
			keep = dot + 1
		}
		for len(s) > keep && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		s = strings.TrimSuffix(s, ".")
	}
	return engine.ParseAmount(s, cur)
}

// parseDate reads an ISODate or the date part of an ISODateTime, as
// written: "2026-03-17" or "2026-03-17T23:30:00-05:00" are both 17 March.
func parseDate(text string) (engine.Date, error) {
	s := strings.Trim(text, xmlSpace)
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

func digits(s string) (int, bool) {
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
func direction(text string) (engine.Direction, error) {
	switch strings.Trim(text, xmlSpace) {
	case "CRDT":
		return engine.Credit, nil
	case "DBIT":
		return engine.Debit, nil
	}
	return 0, fmt.Errorf("credit/debit indicator %q is neither CRDT nor DBIT", text)
}

// boolean reads an xs:boolean.
func boolean(text string) (bool, error) {
	switch strings.Trim(text, xmlSpace) {
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
