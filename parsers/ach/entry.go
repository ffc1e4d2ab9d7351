package ach

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// entry reads an entry detail record and its addenda and returns its
// payment.
func (r *Reader) entry(rec *record) (engine.Payment, error) {
	b := r.batch
	if b == nil {
		return engine.Payment{}, r.errorf(rec.pos, "entry", "entry detail record outside a batch")
	}
	// The entry and its addenda are kept in one string.
	r.block = append(r.block[:0], rec.b...)
	r.marks = append(r.marks[:0], mark{end: len(r.block), off: cloneOffsets(rec.off), pos: rec.pos})
	for {
		next, err := r.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return engine.Payment{}, err
		}
		if next.typeCode() != '7' {
			r.ahead = next
			break
		}
		r.block = append(r.block, next.b...)
		r.marks = append(r.marks, mark{end: len(r.block), off: cloneOffsets(next.off), pos: next.pos})
	}
	s, start := r.text.add(r.block), 0
	r.add = r.add[:0]
	for i, m := range r.marks {
		l := line{s: s[start:m.end], off: m.off, pos: m.pos}
		if i == 0 {
			r.ent = l
		} else {
			r.add = append(r.add, l)
		}
		start = m.end
	}

	e, err := r.parseEntry(b)
	if err != nil {
		return engine.Payment{}, err
	}
	r.count(b, e)
	r.records = append(r.records, r.ent.s)
	for _, a := range r.add {
		r.records = append(r.records, a.s)
	}
	p, err := r.payment(b, e)
	if err != nil {
		return engine.Payment{}, err
	}
	r.payments++
	return p, nil
}

// entryFields are the fields of an entry detail record the payment needs.
type entryFields struct {
	code    int64  // transaction code
	rdfi    string // receiving DFI identification, 8 digits
	account string
	amount  int64 // cents (minor units of the batch currency)
	id      string
	name    string
	indic   string // addenda record indicator
	trace   string
	addenda int // addenda records that follow
}

// entryName names the entry in messages: "batch 3 entry 121042880000001".
func entryName(b *batch, e entryFields) string {
	return b.name("entry " + strings.TrimSpace(e.trace))
}

func (r *Reader) parseEntry(b *batch) (entryFields, error) {
	l := r.ent
	e := entryFields{
		rdfi:    l.raw(4, 11),
		indic:   l.raw(79, 79),
		trace:   l.raw(80, 94),
		addenda: len(r.add),
	}
	var err error
	if e.code, err = number(l.raw(2, 3)); err != nil || e.code%10 == 0 {
		return e, r.errorf(l.pos, entryName(b, e), "transaction code %q is not a NACHA transaction code", l.raw(2, 3))
	}
	if e.amount, err = number(l.raw(30, 39)); err != nil {
		return e, r.errorf(l.pos, entryName(b, e), "amount %q %v", l.raw(30, 39), err)
	}
	switch b.sec {
	case "IAT":
		e.account = l.get(40, 74)
	case "CIE", "MTE":
		e.account, e.name, e.id = l.get(13, 29), l.get(40, 54), l.get(55, 76)
	case "CTX", "ENR", "ATX", "TRX":
		e.account, e.id, e.name = l.get(13, 29), l.get(40, 54), l.get(59, 74)
	default:
		e.account, e.id, e.name = l.get(13, 29), l.get(40, 54), l.get(55, 76)
	}
	if b.iat && b.sec != "IAT" {
		// An IAT notification of change (SEC COR, IATCOR) keeps the IAT
		// entry layout.
		e.account = l.get(40, 74)
	}
	return e, nil
}

// count adds the entry to the batch's control figures.
func (r *Reader) count(b *batch, e entryFields) {
	b.entries++
	b.sums.entryAddenda += 1 + int64(e.addenda)
	if h, err := number(e.rdfi); err == nil {
		b.sums.hash += h
	}
	if isCredit(e.code) {
		b.sums.credit += e.amount
	} else {
		b.sums.debit += e.amount
	}
}

// isCredit reports whether a transaction code credits the receiver's
// account: codes ending 1 to 4 (return or NOC, live, prenote, zero-dollar
// remittance) credit; 5 to 9 debit.
func isCredit(code int64) bool { return code%10 >= 1 && code%10 <= 4 }

// payment builds the payment of the entry in r.ent with addenda r.add.
func (r *Reader) payment(b *batch, e entryFields) (engine.Payment, error) {
	p := engine.Payment{
		Format:      engine.FormatACH,
		Source:      r.source(r.ent.pos),
		Account:     e.account,
		Amount:      engine.NewAmount(decimal.New(e.amount, -b.digits), b.currency),
		ValueDate:   b.effective,
		BookingDate: b.settlement,
		TypeCode:    b.typeCode(e.code),
		BankRef:     strings.TrimSpace(e.trace),
		EndToEndID:  e.id,
		PayerName:   b.company,
		PayerID:     b.companyID,
		PayerBank:   b.odfiRouting,
	}
	if !isCredit(e.code) {
		p.Direction = engine.Debit
	}
	if b.sec == "ACK" || b.sec == "ATX" {
		// An acknowledgment carries the trace number of the entry it
		// acknowledges in place of an identification number.
		p.OriginalRef, p.EndToEndID = e.id, ""
	}
	switch e.code % 10 {
	case 3, 8, 4, 9:
		// Prenotes and zero-dollar remittance entries move no money.
		p.Status = engine.Informational
	}
	if e.indic == "0" && e.addenda > 0 {
		if err := r.entryDeparture(&p, e, fmt.Errorf("addenda record indicator is 0 but %d addenda follow", e.addenda)); err != nil {
			return p, err
		}
	}

	// The addenda say what the entry is: a return, a notification of
	// change, an international payment, or remittance for a payment.
	var err error
	switch {
	case r.hasAddenda("99"):
		err = r.returned(&p, e)
	case r.hasAddenda("98"):
		err = r.notification(&p, e)
	case b.iat:
		err = r.international(&p, b, e)
	default:
		err = r.addenda05(&p, b, e)
	}
	if err != nil {
		return p, err
	}
	if e.code%10 == 1 || e.code%10 == 6 {
		if p.Status != engine.Return && p.Status != engine.Informational {
			p.Status = engine.Return
			err = r.entryDeparture(&p, e, errors.New("return or NOC transaction code without addenda 99 or 98"))
		}
	}
	return p, err
}

func (r *Reader) hasAddenda(code string) bool {
	for _, a := range r.add {
		if a.addendaType() == code {
			return true
		}
	}
	return false
}

// entryDeparture records a departure in one entry: a payment warning in
// lenient mode, an error in strict mode.
func (r *Reader) entryDeparture(p *engine.Payment, e entryFields, err error) error {
	if r.opts.Strict {
		return r.errorf(r.ent.pos, entryName(r.batch, e), "%v", err)
	}
	p.Warnings = append(p.Warnings, err.Error())
	return nil
}

// source returns "file:line" for a payment.
func (r *Reader) source(pos int) string {
	r.src = append(append(r.src[:0], r.opts.Name...), ':')
	r.src = strconv.AppendInt(r.src, int64(pos), 10)
	return r.text.add(r.src)
}

// routingNumber returns the 9-digit ABA routing number of an 8-digit
// routing identification, with its check digit; other text is returned
// trimmed as it is.
func routingNumber(id string) string {
	id = strings.TrimSpace(id)
	if len(id) != 8 {
		return id
	}
	weights := [8]int{3, 7, 1, 3, 7, 1, 3, 7}
	sum := 0
	for i := 0; i < 8; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return id
		}
		sum += int(c-'0') * weights[i]
	}
	return id + string(rune('0'+(10-sum%10)%10))
}
