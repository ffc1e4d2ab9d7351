package ach

import (
	"errors"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
)

// line is a record kept beyond the scanner's next read: its text as a
// string, the character offsets when it is not ASCII, and its position.
type line struct {
	s   string
	off []int
	pos int
}

// keep copies r into a line.
func keep(r *record) line {
	return line{s: string(r.b), off: cloneOffsets(r.off), pos: r.pos}
}

// mark is where a record ends in a block of records kept together.
type mark struct {
	end int
	off []int
	pos int
}

// cloneOffsets copies the character offsets of a record that is not ASCII;
// nil stays nil.
func cloneOffsets(off []int) []int {
	if off == nil {
		return nil
	}
	return append([]int(nil), off...)
}

// raw returns the characters at the 1-based, inclusive positions from..to.
func (l line) raw(from, to int) string {
	if l.off == nil {
		return l.s[from-1 : to]
	}
	return l.s[l.off[from-1]:l.off[to]]
}

// get returns the field at positions from..to without surrounding blanks.
func (l line) get(from, to int) string { return strings.TrimSpace(l.raw(from, to)) }

// addendaType returns the two-digit addenda type code of an addenda record.
func (l line) addendaType() string { return l.s[1:3] }

var (
	errBlank    = errors.New("is blank")
	errNotDigit = errors.New("is not a number")
)

// number parses a numeric field: digits, optionally surrounded by blanks.
func number(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errBlank
	}
	if len(s) > 18 {
		return 0, errNotDigit
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, errNotDigit
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// pivotYear is the first two-digit year read as 19YY: NACHA dates carry two
// digits, and files older than 1970 do not exist.
const pivotYear = 70

// yymmdd parses a NACHA date. ok is false for a blank, zero or impossible
// date.
func yymmdd(s string) (d engine.Date, ok bool) {
	if len(s) != 6 {
		return engine.Date{}, false
	}
	n, err := number(s)
	if err != nil || n == 0 {
		return engine.Date{}, false
	}
	y, m, day := int(n/10000), time.Month(n/100%100), int(n%100)
	if y < pivotYear {
		y += 2000
	} else {
		y += 1900
	}
	return validDate(y, m, day)
}

// ccyymmdd parses an X12 date, "20260317".
func ccyymmdd(s string) (engine.Date, bool) {
	if len(s) != 8 {
		return engine.Date{}, false
	}
	n, err := number(s)
	if err != nil {
		return engine.Date{}, false
	}
	return validDate(int(n/10000), time.Month(n/100%100), int(n%100))
}

func validDate(y int, m time.Month, d int) (engine.Date, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return engine.Date{}, false
	}
	return engine.Date{Year: y, Month: m, Day: d}, true
}

// settlementDate resolves the Julian day of the year that the ACH operator
// writes into a batch header, relative to the effective date: an entry
// settles on the effective date or within days of it (earlier when the
// effective date is not a business day, later when it was stale). A day
// outside a week before to a month after the effective date cannot be
// placed and is not known; so is any day without an effective date.
func settlementDate(julian string, effective engine.Date) (engine.Date, bool) {
	n, err := number(julian)
	if err != nil || n < 1 || n > 366 || effective.IsZero() {
		return engine.Date{}, false
	}
	from, to := effective.AddDays(-7), effective.AddDays(31)
	for y := from.Year; y <= to.Year; y++ {
		d := engine.DateOf(time.Date(y, 1, int(n), 0, 0, 0, 0, time.UTC))
		if d.Year == y && !d.Before(from) && !to.Before(d) {
			return d, true
		}
	}
	return engine.Date{}, false
}
