package bai2

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/shopspring/decimal"
)

// Reader reads payments from a BAI2 file.
//
// This first reader handles the common layout of one record per line with
// funds types 0, 1, 2, Z, V, S and D; it does not yet check trailer totals.
type Reader struct {
	sc   *bufio.Scanner
	opts *parsers.Options
	line int

	fileCurrency  engine.Currency
	groupCurrency engine.Currency
	asOf          engine.Date
	account       string
	currency      engine.Currency

	// lookahead is a record read past the end of a 16's continuations.
	lookahead string
	haveLook  bool
}

// NewReader returns a reader of the BAI2 file r. opts may be nil.
func NewReader(r io.Reader, opts *parsers.Options) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	return &Reader{sc: sc, opts: opts.EnsureDefaults()}
}

// Warnings returns nothing yet: this reader does not check trailers.
func (r *Reader) Warnings() []string { return nil }

func (r *Reader) errorf(record, format string, args ...any) error {
	return &parsers.ParseError{File: r.opts.Name, Line: r.line, Record: record, Err: fmt.Errorf(format, args...)}
}

// nextRecord returns the next non-blank record without its "/" terminator.
func (r *Reader) nextRecord() (string, bool) {
	if r.haveLook {
		r.haveLook = false
		return r.lookahead, true
	}
	for r.sc.Scan() {
		r.line++
		rec := strings.TrimRight(r.sc.Text(), " \r")
		if rec == "" {
			continue
		}
		return strings.TrimSuffix(rec, "/"), true
	}
	return "", false
}

// Next returns the next payment, or io.EOF at the end of the file.
func (r *Reader) Next() (engine.Payment, error) {
	for {
		rec, ok := r.nextRecord()
		if !ok {
			if err := r.sc.Err(); err != nil {
				return engine.Payment{}, r.errorf("", "read: %w", err)
			}
			return engine.Payment{}, io.EOF
		}
		fields := strings.Split(rec, ",")
		switch fields[0] {
		case "01":
			if len(fields) > 8 && fields[8] != "" {
				r.fileCurrency = engine.Currency(fields[8])
			}
		case "02":
			if len(fields) < 5 {
				return engine.Payment{}, r.errorf("02", "group header has %d fields, want at least 5", len(fields))
			}
			r.asOf = parseDate(fields[4])
			r.groupCurrency = r.fileCurrency
			if len(fields) > 6 && fields[6] != "" {
				r.groupCurrency = engine.Currency(fields[6])
			}
		case "03":
			if len(fields) < 2 {
				return engine.Payment{}, r.errorf("03", "account identifier has no account number")
			}
			r.account = fields[1]
			r.currency = r.groupCurrency
			if len(fields) > 2 && fields[2] != "" {
				r.currency = engine.Currency(fields[2])
			}
		case "16":
			p, err := r.detail(rec)
			if err != nil {
				return engine.Payment{}, err
			}
			r.continuations(&p)
			return p, nil
		case "88", "49", "98", "99":
		default:
			return engine.Payment{}, r.errorf(fields[0], "unknown record type %q", fields[0])
		}
	}
}

// continuations appends the text of the 88 records that follow a 16.
func (r *Reader) continuations(p *engine.Payment) {
	for {
		rec, ok := r.nextRecord()
		if !ok {
			return
		}
		if !strings.HasPrefix(rec, "88,") {
			r.lookahead, r.haveLook = rec, true
			return
		}
		if t := strings.TrimSpace(rec[3:]); t != "" {
			p.Remittance.Lines = append(p.Remittance.Lines, t)
		}
	}
}

// detail parses a 16 record: type code, amount, funds type and its fields,
// bank reference, customer reference, text.
func (r *Reader) detail(rec string) (engine.Payment, error) {
	f := strings.SplitN(rec, ",", 5)
	if len(f) < 5 {
		return engine.Payment{}, r.errorf("16", "transaction detail has too few fields")
	}
	code, amt, rest := f[1], f[2], f[4]
	skip := 0
	switch f[3] {
	case "V":
		skip = 2
	case "S":
		skip = 3
	case "D":
		n, rest2, _ := strings.Cut(rest, ",")
		var count int
		fmt.Sscanf(n, "%d", &count)
		rest = rest2
		skip = 2 * count
	}
	for i := 0; i < skip; i++ {
		_, rest, _ = strings.Cut(rest, ",")
	}
	parts := strings.SplitN(rest, ",", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	units, err := decimal.NewFromString(amt)
	if err != nil {
		return engine.Payment{}, r.errorf("16", "amount %q is not a number", amt)
	}
	cur := r.currency
	if cur == "" {
		cur = "USD"
	}
	p := engine.Payment{
		Format:      engine.FormatBAI2,
		Source:      fmt.Sprintf("%s:%d", r.opts.Name, r.line),
		Account:     r.account,
		Amount:      engine.NewAmount(units.Shift(-cur.Digits()), cur),
		Direction:   engine.Credit,
		BookingDate: r.asOf,
		ValueDate:   r.asOf,
		TypeCode:    code,
		BankRef:     parts[0],
		CustomerRef: parts[1],
	}
	if code >= "400" && code < "700" {
		p.Direction = engine.Debit
	}
	if t := strings.TrimSpace(parts[2]); t != "" {
		p.Remittance.Lines = append(p.Remittance.Lines, t)
	}
	return p, nil
}

func parseDate(yymmdd string) engine.Date {
	var y, m, d int
	if _, err := fmt.Sscanf(yymmdd, "%2d%2d%2d", &y, &m, &d); err != nil {
		return engine.Date{}
	}
	return engine.Date{Year: 2000 + y, Month: time.Month(m), Day: d}
}
