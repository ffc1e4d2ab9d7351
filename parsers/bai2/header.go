package bai2

import (
	"time"

	"github.com/cashmatch/cashmatch/engine"
)

// fileHeader reads a 01 record: sender, receiver, creation date and time,
// file id, physical record length, block size and version.
func (r *Reader) fileHeader() error {
	r.file = tally{records: 1 + r.rec.continuations(), conts: r.rec.continuations()}
	r.expect = expectGroup
	if err := r.bareParts(nil); err != nil {
		return err
	}
	f := newFields(&r.rec)
	var v [8][]byte
	n := 0
	for ; n < len(v); n++ {
		b, ok := f.next()
		if !ok {
			break
		}
		v[n] = b
	}
	line := r.rec.line
	if n < 8 {
		if err := r.tolerate(nil, line, "01", "", "file header has %d of its 8 fields", n); err != nil {
			return err
		}
	}
	if _, ok := parseDate(v[2]); !ok {
		if err := r.tolerate(nil, line, "01", "", "file creation date %q is not YYMMDD", v[2]); err != nil {
			return err
		}
	}
	if !validTime(v[3], false) {
		if err := r.tolerate(nil, line, "01", "", "file creation time %q is not HHMM", v[3]); err != nil {
			return err
		}
	}
	if string(v[7]) != "2" {
		if err := r.tolerate(nil, line, "01", "read as BAI2", "version %q is not 2", v[7]); err != nil {
			return err
		}
	}
	return r.extraFields(&f, "01")
}

// groupHeader reads a 02 record: ultimate receiver, originator, group
// status, as-of date, as-of time, currency and as-of-date modifier.
func (r *Reader) groupHeader() error {
	r.group = tally{records: 1 + r.rec.continuations(), conts: r.rec.continuations()}
	r.groupPending = len(r.pending)
	r.expect = expectAccount
	if err := r.bareParts(nil); err != nil {
		return err
	}
	f := newFields(&r.rec)
	var v [7][]byte
	n := 0
	for ; n < len(v); n++ {
		b, ok := f.next()
		if !ok {
			break
		}
		v[n] = b
	}
	line := r.rec.line
	if n < 6 {
		if err := r.tolerate(nil, line, "02", "", "group header has %d of its 7 fields", n); err != nil {
			return err
		}
	}
	r.grp = groupInfo{currency: r.fileCy, line: line, status: '1'}
	if len(v[2]) == 1 && v[2][0] >= '1' && v[2][0] <= '4' {
		r.grp.status = v[2][0]
	} else {
		err := r.tolerate(nil, line, "02", "read as 1 (update)", "group status %q is not 1 to 4", v[2])
		if err != nil {
			return err
		}
	}
	d, ok := parseDate(v[3])
	if !ok {
		err := r.tolerate(nil, line, "02", "the group's payments have no dates", "as-of date %q is not YYMMDD", v[3])
		if err != nil {
			return err
		}
	}
	r.grp.asOf = d
	if !validTime(v[4], true) {
		if err := r.tolerate(nil, line, "02", "", "as-of time %q is not HHMM", v[4]); err != nil {
			return err
		}
	}
	if len(v[5]) > 0 {
		c, err := engine.ParseCurrency(string(v[5]))
		if err != nil {
			return r.errAt(line, "02", "currency code %q is not an ISO 4217 code", v[5])
		}
		r.grp.currency = c
	}
	if m := v[6]; len(m) > 1 || (len(m) == 1 && (m[0] < '1' || m[0] > '4')) {
		if err := r.tolerate(nil, line, "02", "", "as-of-date modifier %q is not 1 to 4", m); err != nil {
			return err
		}
	}
	return r.extraFields(&f, "02")
}

// extraFields tolerates non-empty fields beyond those the record defines.
func (r *Reader) extraFields(f *fields, record string) error {
	for {
		b, ok := f.next()
		if !ok {
			return nil
		}
		if len(b) > 0 {
			return r.tolerate(nil, f.line(), record, "", "record has more fields than BAI2 defines: %q", b)
		}
	}
}

// parseDate parses YYMMDD; years 80-99 are 1980-1999, 00-79 are 2000-2079.
func parseDate(b []byte) (engine.Date, bool) {
	if len(b) != 6 {
		return engine.Date{}, false
	}
	n, ok := parseUint(b)
	if !ok {
		return engine.Date{}, false
	}
	y, m, d := int(n/10000), int(n/100%100), int(n%100)
	if y < 80 {
		y += 2000
	} else {
		y += 1900
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return engine.Date{}, false
	}
	return engine.Date{Year: y, Month: time.Month(m), Day: d}, true
}

// daysIn returns the number of days of month m of year y.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validTime reports whether b is a military time, 0000 to 2400, or 9999
// (end of day). An empty time is valid where the field is optional.
func validTime(b []byte, optional bool) bool {
	if len(b) == 0 {
		return optional
	}
	if len(b) != 4 {
		return false
	}
	n, ok := parseUint(b)
	return ok && (n == 9999 || (n <= 2400 && n%100 < 60))
}
