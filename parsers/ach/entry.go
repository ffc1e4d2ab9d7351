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

// pendingEntry is an entry read, with its addenda, whose payment is still
// to be built.
type pendingEntry struct {
	b   *batch
	ent line
	add []line
	e   entryFields
}

// entry reads an entry detail record and its addenda, and counts it in the
// batch controls and the NACHA rule checks.
func (r *Reader) entry(rec *record) (pendingEntry, error) {
	b := r.batch
	if b == nil {
		return pendingEntry{}, r.errorf(rec.pos, "entry", "entry detail record outside a batch")
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
			return pendingEntry{}, err
		}
		if next.typeCode() != '7' {
			r.ahead = next
			break
		}
		r.block = append(r.block, next.b...)
		r.marks = append(r.marks, mark{end: len(r.block), off: cloneOffsets(next.off), pos: next.pos})
	}
	s, start := r.text.add(r.block), 0
	pe, from := pendingEntry{b: b}, len(r.addenda)
	for i, m := range r.marks {
		l := line{s: s[start:m.end], off: m.off, pos: m.pos}
		if i == 0 {
			pe.ent = l
		} else {
			r.addenda = append(r.addenda, l)
		}
		start = m.end
	}
	pe.add = r.addenda[from:len(r.addenda):len(r.addenda)]

	var err error
	if pe.e, err = r.parseEntry(b, pe.ent, len(pe.add)); err != nil {
		return pendingEntry{}, err
	}
	r.count(b, pe.e)
	r.records = append(r.records, pe.ent.s)
	for _, a := range pe.add {
		r.records = append(r.records, a.s)
	}
	return pe, nil
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
	// typeCode is the payment's type code, "CTX 22".
	typeCode string
}

// entryName names the entry in messages: "batch 3 entry 121042880000001".
func entryName(b *batch, e entryFields) string {
	return b.name("entry " + strings.TrimSpace(e.trace))
}

// parseEntry reads the entry detail record l, followed by addenda records.
func (r *Reader) parseEntry(b *batch, l line, addenda int) (entryFields, error) {
	e := entryFields{
		rdfi:    l.raw(4, 11),
		indic:   l.raw(79, 79),
		trace:   l.raw(80, 94),
		addenda: addenda,
	}
	var err error
	if e.code, err = number(l.raw(2, 3)); err != nil || e.code%10 == 0 {
		return e, r.errorf(l.pos, entryName(b, e), "transaction code %q is not a NACHA transaction code", l.raw(2, 3))
	}
	e.typeCode = b.typeCode(e.code)
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

// payment builds the payment of an entry.
func (bl *builder) payment(pe *pendingEntry) (engine.Payment, error) {
	bl.ent, bl.add, bl.b = pe.ent, pe.add, pe.b
	b, e := pe.b, pe.e
	p := engine.Payment{
		Format:      engine.FormatACH,
		Source:      bl.source(pe.ent.pos),
		Account:     e.account,
		Amount:      engine.NewAmount(decimal.New(e.amount, -b.digits), b.currency),
		ValueDate:   b.effective,
		BookingDate: b.settlement,
		TypeCode:    e.typeCode,
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
		if err := bl.entryDeparture(&p, e, fmt.Errorf("addenda record indicator is 0 but %d addenda follow", e.addenda)); err != nil {
			return p, err
		}
	}

	// The addenda say what the entry is: a return, a notification of
	// change, an international payment, or remittance for a payment.
	var err error
	switch {
	case bl.hasAddenda("99"):
		err = bl.returned(&p, e)
	case bl.hasAddenda("98"):
		err = bl.notification(&p, e)
	case b.iat:
		err = bl.international(&p, b, e)
	default:
		err = bl.addenda05(&p, b, e)
	}
	if err != nil {
		return p, err
	}
	if e.code%10 == 1 || e.code%10 == 6 {
		if p.Status != engine.Return && p.Status != engine.Informational {
			p.Status = engine.Return
			err = bl.entryDeparture(&p, e, errors.New("return or NOC transaction code without addenda 99 or 98"))
		}
	}
	return p, err
}

func (bl *builder) hasAddenda(code string) bool {
	for _, a := range bl.add {
		if a.addendaType() == code {
			return true
		}
	}
	return false
}

// entryDeparture records a departure in one entry: a payment warning in
// lenient mode, an error in strict mode.
func (bl *builder) entryDeparture(p *engine.Payment, e entryFields, err error) error {
	if bl.opts.Strict {
		return bl.errorf(bl.ent.pos, entryName(bl.b, e), "%v", err)
	}
	p.Warnings = append(p.Warnings, err.Error())
	return nil
}

// source returns "file:line" for a payment.
func (bl *builder) source(pos int) string {
	bl.src = append(append(bl.src[:0], bl.opts.Name...), ':')
	bl.src = strconv.AppendInt(bl.src, int64(pos), 10)
	return bl.text.add(bl.src)
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
