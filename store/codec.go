package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// Value encoding.
//
// Every value begins with one byte giving the version of its record's
// encoding. A release reads every version it ever wrote and writes the
// newest; a value of a version it does not know is an error, never guessed
// at. Records read on hot paths (payments, applications, ledger entries,
// invoices) use a compact binary layout; the others are JSON.
//
// The binary layout is a sequence of fields written by encoder: unsigned
// varints, length-prefixed strings, and amounts as currency then an exact
// coefficient and exponent (or a decimal string when the coefficient is
// too large), so that no value is ever rounded.

// ErrCorrupt is returned when a stored value cannot be decoded.
var ErrCorrupt = errors.New("store: corrupt value")

// errVersion reports a value written by a newer release.
func errVersion(what string, v byte) error {
	return fmt.Errorf("%w: %s encoding version %d is not known to this release", ErrCorrupt, what, v)
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(u uint64) { e.b = binary.AppendUvarint(e.b, u) }
func (e *encoder) varint(i int64)   { e.b = binary.AppendVarint(e.b, i) }
func (e *encoder) byte1(c byte)     { e.b = append(e.b, c) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

// amount writes the currency, then the value as a coefficient and a
// decimal exponent when the coefficient fits an int64 (tag 0), else as a
// decimal string (tag 1).
func (e *encoder) amount(a engine.Amount) {
	e.str(string(a.Currency))
	if c := a.Value.Coefficient(); c.IsInt64() {
		e.byte1(0)
		e.varint(c.Int64())
		e.varint(int64(a.Value.Exponent()))
		return
	}
	e.byte1(1)
	e.str(a.Value.String())
}

func (e *encoder) date(d engine.Date) {
	e.varint(int64(d.Year))
	e.byte1(byte(d.Month))
	e.byte1(byte(d.Day))
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.varint(0)
		return
	}
	e.varint(t.UnixNano())
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated or malformed field", ErrCorrupt)
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	u, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return u
}

func (d *decoder) varint() int64 {
	i, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return i
}

func (d *decoder) byte1() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) strs() []string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *decoder) amount() engine.Amount {
	c := engine.Currency(d.str())
	switch d.byte1() {
	case 0:
		coef, exp := d.varint(), d.varint()
		if d.err != nil || exp < -64 || exp > 64 {
			d.fail()
			return engine.Amount{}
		}
		return engine.NewAmount(decimal.New(coef, int32(exp)), c)
	case 1:
	default:
		d.fail()
		return engine.Amount{}
	}
	s := d.str()
	if d.err != nil {
		return engine.Amount{}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.err = fmt.Errorf("%w: amount %q: %v", ErrCorrupt, s, err)
		return engine.Amount{}
	}
	return engine.NewAmount(v, c)
}

func (d *decoder) date() engine.Date {
	y := d.varint()
	m := d.byte1()
	day := d.byte1()
	return engine.Date{Year: int(y), Month: time.Month(m), Day: int(day)}
}

func (d *decoder) time() time.Time {
	n := d.varint()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// end reports an error when fields are left over or one was malformed.
func (d *decoder) end(what string) error {
	if d.err != nil {
		return fmt.Errorf("%s: %w", what, d.err)
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %s: %d bytes left over", ErrCorrupt, what, len(d.b))
	}
	return nil
}

// jsonV1 is the first version of the JSON-encoded records.
const jsonV1 byte = 1

func encodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte{jsonV1}, b...), nil
}

func decodeJSON(what string, b []byte, v any) error {
	if len(b) == 0 {
		return fmt.Errorf("%w: %s: empty value", ErrCorrupt, what)
	}
	if b[0] != jsonV1 {
		return errVersion(what, b[0])
	}
	if err := json.Unmarshal(b[1:], v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
	}
	return nil
}

// money is an amount in a JSON record: a decimal string and its currency.
type money struct {
	Value    string          `json:"v"`
	Currency engine.Currency `json:"c"`
}

func toMoney(a engine.Amount) money { return money{a.Value.String(), a.Currency} }

func (m money) amount() (engine.Amount, error) {
	if m.Value == "" {
		return engine.Zero(m.Currency), nil
	}
	v, err := decimal.NewFromString(m.Value)
	if err != nil {
		return engine.Amount{}, fmt.Errorf("%w: amount %q: %v", ErrCorrupt, m.Value, err)
	}
	return engine.NewAmount(v, m.Currency), nil
}

// mustAmount decodes an amount that this release wrote, reporting a broken one
// through *err.
func (m money) mustAmount(err *error) engine.Amount {
	a, e := m.amount()
	if e != nil && *err == nil {
		*err = e
	}
	return a
}
