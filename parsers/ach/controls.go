package ach

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// batch is the open batch: what its header says and what its entries add
// up to so far.
type batch struct {
	number      string // batch number as written, positions 88-94
	pos         int    // position of the batch header
	sec         string // standard entry class code
	company     string // company name (originator), or the IAT originator's in addenda 11
	companyID   string
	description string
	odfi        string // originating DFI identification, 8 digits
	effective   engine.Date
	settlement  engine.Date
	currency    engine.Currency
	digits      int32  // minor-unit digits of the currency
	odfiRouting string // odfi as a 9-digit routing number
	iat         bool
	sums        totals
	entries     int
	types       [100]string // type codes by transaction code, made once
}

// typeCode returns the payment type code of a transaction code: SEC code
// and transaction code, "CCD 22".
func (b *batch) typeCode(code int64) string {
	if t := b.types[code]; t != "" {
		return t
	}
	b.types[code] = fmt.Sprintf("%s %02d", b.sec, code)
	return b.types[code]
}

// name names a record of the batch in messages: "batch 3 control".
func (b *batch) name(record string) string {
	n := strings.TrimSpace(b.number)
	switch t := strings.TrimLeft(n, "0"); {
	case t != "":
		n = t
	case n != "":
		n = "0"
	default:
		n = "(no number)"
	}
	return fmt.Sprintf("batch %s %s", n, record)
}

// hashModulus keeps entry hashes to their 10 digits.
const hashModulus = 10_000_000_000

func (r *Reader) fileHeader(rec *record) error {
	if r.header {
		return r.errorf(rec.pos, "file header", "a second file header")
	}
	r.header = true
	l := keep(rec)
	return r.ruleDepartures(l.pos, "file header", fileHeaderRules(l.s))
}

func (r *Reader) batchHeader(rec *record) error {
	if r.batch != nil {
		return r.errorf(rec.pos, r.batch.name("control"), "batch header before the batch control of the open batch")
	}
	l := keep(rec)
	b := &batch{
		number:      l.raw(88, 94),
		pos:         l.pos,
		sec:         l.raw(51, 53),
		companyID:   l.get(41, 50),
		description: l.get(54, 63),
		odfi:        l.raw(80, 87),
		currency:    "USD",
	}
	b.iat = b.sec == "IAT" || l.get(5, 20) == "IATCOR"
	if b.sec == "ADV" {
		return r.errorf(l.pos, b.name("header"), "ADV (automated accounting advice) batches are not read")
	}
	if !b.iat {
		b.company = l.get(5, 20)
	} else if err := r.iatCurrency(b, l); err != nil {
		return err
	}

	// Dates: the effective entry date the originator asked for and the
	// settlement day the ACH operator wrote.
	if eff := l.raw(70, 75); strings.TrimSpace(eff) != "" {
		var ok bool
		if b.effective, ok = yymmdd(eff); !ok && strings.Trim(eff, "0") != "" {
			if err := r.depart(l.pos, b.name("header"), fmt.Errorf("effective entry date %q is not a date", eff)); err != nil {
				return err
			}
		}
	}
	b.settlement, _ = settlementDate(l.raw(76, 78), b.effective)

	b.digits = b.currency.Digits()
	b.odfiRouting = routingNumber(b.odfi)
	r.batch = b
	r.batches++
	r.records = append(make([]string, 0, r.lastBatch), l.s)
	return nil
}

// iatCurrency takes the currency of an IAT batch's amounts from its ISO
// destination currency code.
func (r *Reader) iatCurrency(b *batch, l line) error {
	code := l.get(67, 69)
	c, err := engine.ParseCurrency(code)
	if err != nil {
		return r.depart(l.pos, b.name("header"), fmt.Errorf("ISO destination currency code %q is not an ISO 4217 currency; USD assumed", code))
	}
	b.currency = c
	return nil
}

// batchControl checks the control record of the open batch: its figures
// must add up in every mode; the NACHA rules moov-io/ach checks for the
// whole batch are departures.
func (r *Reader) batchControl(rec *record) error {
	b := r.batch
	if b == nil {
		return r.errorf(rec.pos, "batch control", "batch control outside a batch")
	}
	l := keep(rec)
	record := b.name("control")
	stated, err := r.statedTotals(l, record, [4][2]int{{5, 10}, {11, 20}, {21, 32}, {33, 44}})
	if err != nil {
		return err
	}
	computed := b.sums
	computed.hash %= hashModulus
	if err := r.compare(l.pos, record, stated, computed); err != nil {
		return err
	}
	if n := l.raw(88, 94); n != b.number {
		if err := r.depart(l.pos, record, fmt.Errorf("batch number %q differs from the header's %q", n, b.number)); err != nil {
			return err
		}
	}
	if b.entries == 0 {
		if err := r.depart(l.pos, record, errors.New("the batch has no entries")); err != nil {
			return err
		}
	}

	r.file.add(b.sums)
	r.batch = nil
	if err := r.awaitCheck(); err != nil {
		return err
	}
	r.check = startCheck(l.pos, record, append(r.records, l.s), b.iat, r.pool)
	r.pool = nil
	r.lastBatch, r.records = len(r.records)+1, nil
	return nil
}

// awaitCheck waits for the validation of the previous batch and handles its
// departures.
func (r *Reader) awaitCheck() error {
	c := r.check
	if c == nil {
		return nil
	}
	r.check = nil
	v := <-c.verdict
	r.pool = v.pool
	return r.ruleDepartures(c.pos, c.record, v.errs)
}

// fileControl checks the file control record (or skips a filler record).
func (r *Reader) fileControl(rec *record) error {
	if isFiller(rec) {
		r.filler++
		return nil
	}
	if r.batch != nil {
		return r.errorf(rec.pos, r.batch.name("control"), "file control before the batch control")
	}
	l := keep(rec)
	r.control = true
	r.fileControlAt = r.sc.lay.records

	stated, err := r.statedTotals(l, "file control", [4][2]int{{14, 21}, {22, 31}, {32, 43}, {44, 55}})
	if err != nil {
		return err
	}
	computed := r.file
	computed.hash %= hashModulus
	if err := r.compare(l.pos, "file control", stated, computed); err != nil {
		return err
	}
	batches, err := number(l.raw(2, 7))
	if err != nil {
		return r.errorf(l.pos, "file control", "batch count %q %v", l.raw(2, 7), err)
	}
	if batches != int64(r.batches) {
		return r.errorf(l.pos, "file control", "batch count: the record states %d, the file has %d batches", batches, r.batches)
	}
	if r.batches == 0 {
		if err := r.depart(l.pos, "file control", errors.New("the file has no batches")); err != nil {
			return err
		}
	}
	if err := r.checkBlocks(l); err != nil {
		return err
	}
	if err := r.awaitCheck(); err != nil {
		return err
	}
	return r.ruleDepartures(l.pos, "file control", fileControlRules(l.s))
}

// checkBlocks compares the block count with the records up to the file
// control, which must fill that many blocks of ten once padded.
func (r *Reader) checkBlocks(l line) error {
	blocks, err := number(l.raw(8, 13))
	want := int64((r.fileControlAt + 9) / 10)
	if err == nil && blocks == want {
		return nil
	}
	return r.depart(l.pos, "file control",
		fmt.Errorf("block count %q, the %d records up to the file control fill %d blocks", l.raw(8, 13), r.fileControlAt, want))
}

var totalNames = [4]string{"entry/addenda count", "entry hash", "total debit amount", "total credit amount"}

// statedTotals reads the four control figures at the given positions.
func (r *Reader) statedTotals(l line, record string, at [4][2]int) (totals, error) {
	var v [4]int64
	for i, p := range at {
		n, err := number(l.raw(p[0], p[1]))
		if err != nil {
			return totals{}, r.errorf(l.pos, record, "%s %q %v", totalNames[i], l.raw(p[0], p[1]), err)
		}
		v[i] = n
	}
	return totals{entryAddenda: v[0], hash: v[1], debit: v[2], credit: v[3]}, nil
}

// compare refuses a control record whose figures differ from the computed
// ones, naming each figure with both values.
func (r *Reader) compare(pos int, record string, stated, computed totals) error {
	s := [4]int64{stated.entryAddenda, stated.hash, stated.debit, stated.credit}
	c := [4]int64{computed.entryAddenda, computed.hash, computed.debit, computed.credit}
	var diffs []string
	for i := range s {
		if s[i] != c[i] {
			diffs = append(diffs, fmt.Sprintf("%s: the record states %d, the entries add up to %d", totalNames[i], s[i], c[i]))
		}
	}
	if diffs == nil {
		return nil
	}
	return r.errorf(pos, record, "does not add up: %s", strings.Join(diffs, "; "))
}

// ruleDepartures handles the departures moov-io/ach found in a record or
// batch.
func (r *Reader) ruleDepartures(pos int, record string, errs []error) error {
	for _, e := range errs {
		if err := r.depart(pos, record, fmt.Errorf("NACHA rule: %w", e)); err != nil {
			return err
		}
	}
	return nil
}
