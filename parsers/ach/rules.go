package ach

import (
	"fmt"

	"github.com/moov-io/ach"
)

// nacha is the policy of the first validation: the NACHA rules as
// moov-io/ach implements them, with the immediate origin held to be a
// routing number as the rules ask.
var nacha = &ach.ValidateOpts{RequireABAOrigin: true}

// lenient lists the departures from the NACHA rules that the lenient reader
// expects in files a receiver gets from its bank: none of them changes which
// money moved. A batch that breaks the rules is validated a second time with
// these waived, so that a departure outside the list is still reported.
var lenient = &ach.ValidateOpts{
	BypassOriginValidation:           true,
	BypassDestinationValidation:      true,
	CustomTraceNumbers:               true,
	AllowZeroBatches:                 true,
	BypassCompanyIdentificationMatch: true,
	CustomReturnCodes:                true,
	UnequalServiceClassCode:          true,
	AllowUnorderedBatchNumbers:       true,
	AllowInvalidCheckDigit:           true,
	AllowInvalidAmounts:              true,
	AllowZeroEntryAmount:             true,
	AllowSpecialCharacters:           true,
	AllowEmptyIndividualName:         true,
}

// check is the validation of one batch, running on a goroutine of its own
// so that it overlaps the reading of the next batch. The goroutine always
// ends on its own: it sends one verdict into a buffered channel.
type check struct {
	pos     int    // position of the batch control
	record  string // "batch 3 control"
	verdict chan verdict
}

type verdict struct {
	errs []error
	pool *pool // the records of the batch, free for the next check
}

// startCheck validates the records of a batch (header, entries and addenda,
// control, in file order) with moov-io/ach. It takes ownership of pool,
// which may be nil, until the verdict gives it back.
func startCheck(pos int, record string, records []string, iat bool, p *pool) *check {
	c := &check{pos: pos, record: record, verdict: make(chan verdict, 1)}
	go func() {
		if p == nil {
			p = new(pool)
		}
		errs := validateBatch(records, iat, p)
		c.verdict <- verdict{errs: errs, pool: p}
	}()
	return c
}

func validateBatch(records []string, iat bool, p *pool) []error {
	return safely(func() []error {
		c := rules{pool: p}
		c.batchHeader(records[0], iat)
		for _, s := range records[1 : len(records)-1] {
			if s[0] == '6' {
				c.entry(s)
			} else {
				c.addenda(s)
			}
		}
		errs := c.batchControl(records[len(records)-1])
		p.recycle()
		return errs
	})
}

// pool keeps the entry and addenda 05 records of a validated batch for the
// next batch's validation: a batch's worth of records that the garbage
// collector does not have to collect. It belongs to one check at a time.
type pool struct {
	entries, freeEntries []*ach.EntryDetail
	addenda, freeAddenda []*ach.Addenda05
}

// entry returns an entry detail record as ach.NewEntryDetail makes it.
func (p *pool) entry() *ach.EntryDetail {
	var ed *ach.EntryDetail
	if n := len(p.freeEntries); n > 0 {
		ed, p.freeEntries = p.freeEntries[n-1], p.freeEntries[:n-1]
		*ed = ach.EntryDetail{Category: ach.CategoryForward, Addenda05: ed.Addenda05[:0]}
	} else {
		ed = ach.NewEntryDetail()
	}
	p.entries = append(p.entries, ed)
	return ed
}

// addenda05 returns an addenda 05 record as ach.NewAddenda05 makes it.
func (p *pool) addenda05() *ach.Addenda05 {
	var a *ach.Addenda05
	if n := len(p.freeAddenda); n > 0 {
		a, p.freeAddenda = p.freeAddenda[n-1], p.freeAddenda[:n-1]
		*a = ach.Addenda05{TypeCode: "05"}
	} else {
		a = ach.NewAddenda05()
	}
	p.addenda = append(p.addenda, a)
	return a
}

// recycle frees every record handed out since the last recycle.
func (p *pool) recycle() {
	p.freeEntries = append(p.freeEntries, p.entries...)
	p.freeAddenda = append(p.freeAddenda, p.addenda...)
	clear(p.entries)
	clear(p.addenda)
	p.entries, p.addenda = p.entries[:0], p.addenda[:0]
}

// safely runs a validation by moov-io/ach and turns a panic into a
// departure, so that a record moov-io/ach cannot handle does not stop the
// program.
func safely(validate func() []error) (errs []error) {
	defer func() {
		if v := recover(); v != nil {
			errs = []error{fmt.Errorf("moov-io/ach could not validate the records: %v", v)}
		}
	}()
	return validate()
}

// rules assembles a batch as moov-io/ach records and validates it with
// moov-io/ach, which implements the NACHA rules record by record and for
// every SEC code.
type rules struct {
	pool  *pool
	batch ach.Batcher
	iat   *ach.IATBatch
	ed    *ach.EntryDetail
	ied   *ach.IATEntryDetail
	// broken is set when the batch header could not be turned into a moov
	// batch; the batch is then not validated further.
	broken error
}

// fileHeaderRules validates the file header record. It returns the departures:
// none, or the first NACHA rule broken and, when there is one, the first
// beyond the departures the lenient mode expects.
func fileHeaderRules(s string) []error {
	return safely(func() []error {
		fh := ach.NewFileHeader()
		fh.Parse(s)
		return departures(func(opts *ach.ValidateOpts) error {
			fh.SetValidation(opts)
			return fh.Validate()
		})
	})
}

// fileControlRules validates the file control record.
func fileControlRules(s string) []error {
	return safely(func() []error {
		fc := ach.NewFileControl()
		fc.Parse(s)
		return departures(func(*ach.ValidateOpts) error { return fc.Validate() })
	})
}

// batchHeader starts a batch.
func (c *rules) batchHeader(s string, iat bool) {
	*c = rules{pool: c.pool}
	if iat {
		bh := ach.NewIATBatchHeader()
		bh.Parse(s)
		b := ach.NewIATBatch(bh)
		c.iat = &b
		return
	}
	bh := ach.NewBatchHeader()
	bh.Parse(s)
	c.batch, c.broken = ach.NewBatch(bh)
}

// entry adds an entry detail record to the batch.
func (c *rules) entry(s string) {
	switch {
	case c.iat != nil:
		c.ied = ach.NewIATEntryDetail()
		c.ied.Parse(s)
		c.iat.AddEntry(c.ied)
	case c.batch != nil:
		c.ed = c.pool.entry()
		c.ed.SetSECCode(c.batch.GetHeader().StandardEntryClassCode)
		c.ed.Parse(s)
		c.batch.AddEntry(c.ed)
	}
}

// addenda adds an addenda record to the last entry, the way moov-io/ach's
// own reader does.
func (c *rules) addenda(s string) {
	switch {
	case c.iat != nil && c.ied != nil:
		c.iatAddenda(s)
	case c.batch != nil && c.ed != nil:
		c.entryAddenda(s)
	}
}

func (c *rules) entryAddenda(s string) {
	ed := c.ed
	switch s[1:3] {
	case "02":
		ed.Addenda02 = ach.NewAddenda02()
		ed.Addenda02.Parse(s)
	case "05":
		a := c.pool.addenda05()
		a.Parse(s)
		ed.AddAddenda05(a)
	case "98":
		if ach.IsRefusedChangeCode(s[3:6]) {
			ed.Addenda98Refused = ach.NewAddenda98Refused()
			ed.Addenda98Refused.Parse(s)
		} else {
			ed.Addenda98 = ach.NewAddenda98()
			ed.Addenda98.Parse(s)
		}
		ed.Category = ach.CategoryNOC
	case "99":
		switch {
		case ach.IsDishonoredReturnCode(s[3:6]):
			ed.Addenda99Dishonored = ach.NewAddenda99Dishonored()
			ed.Addenda99Dishonored.Parse(s)
			ed.Category = ach.CategoryDishonoredReturn
		case ach.IsContestedReturnCode(s[3:6]):
			ed.Addenda99Contested = ach.NewAddenda99Contested()
			ed.Addenda99Contested.Parse(s)
			ed.Category = ach.CategoryDishonoredReturnContested
		default:
			ed.Addenda99 = ach.NewAddenda99()
			ed.Addenda99.Parse(s)
			ed.Category = ach.CategoryReturn
		}
	}
}

func (c *rules) iatAddenda(s string) {
	ed := c.ied
	switch s[1:3] {
	case "10":
		ed.Addenda10 = ach.NewAddenda10()
		ed.Addenda10.Parse(s)
	case "11":
		ed.Addenda11 = ach.NewAddenda11()
		ed.Addenda11.Parse(s)
	case "12":
		ed.Addenda12 = ach.NewAddenda12()
		ed.Addenda12.Parse(s)
	case "13":
		ed.Addenda13 = ach.NewAddenda13()
		ed.Addenda13.Parse(s)
	case "14":
		ed.Addenda14 = ach.NewAddenda14()
		ed.Addenda14.Parse(s)
	case "15":
		ed.Addenda15 = ach.NewAddenda15()
		ed.Addenda15.Parse(s)
	case "16":
		ed.Addenda16 = ach.NewAddenda16()
		ed.Addenda16.Parse(s)
	case "17":
		a := ach.NewAddenda17()
		a.Parse(s)
		ed.AddAddenda17(a)
	case "18":
		a := ach.NewAddenda18()
		a.Parse(s)
		ed.AddAddenda18(a)
	case "98":
		ed.Addenda98 = ach.NewAddenda98()
		ed.Addenda98.Parse(s)
		ed.Category = ach.CategoryNOC
	case "99":
		ed.Addenda99 = ach.NewAddenda99()
		ed.Addenda99.Parse(s)
		ed.Category = ach.CategoryReturn
	}
}

// batchControl closes the batch and validates it. It returns the
// departures found, as fileHeader does.
func (c *rules) batchControl(s string) []error {
	if c.broken != nil {
		return []error{c.broken}
	}
	bc := ach.NewBatchControl()
	bc.Parse(s)
	switch {
	case c.iat != nil:
		c.iat.SetControl(bc)
		return departures(func(opts *ach.ValidateOpts) error {
			setIATOpts(c.iat, opts)
			return c.iat.Validate()
		})
	case c.batch != nil:
		c.batch.SetControl(bc)
		return departures(func(opts *ach.ValidateOpts) error {
			setBatchOpts(c.batch, opts)
			return c.batch.Validate()
		})
	}
	return nil
}

// departures runs validate under the NACHA rules and, when they are broken,
// once more with the expected departures waived. It returns the distinct
// errors of the two runs.
func departures(validate func(*ach.ValidateOpts) error) []error {
	first := validate(nacha)
	if first == nil {
		return nil
	}
	second := validate(lenient)
	if second == nil || second.Error() == first.Error() {
		return []error{first}
	}
	return []error{first, second}
}

// setBatchOpts sets opts on the batch and each of its records: moov-io/ach
// keeps them per record.
func setBatchOpts(b ach.Batcher, opts *ach.ValidateOpts) {
	b.SetValidation(opts)
	for _, ed := range b.GetEntries() {
		// SetValidation is a no-op on a nil record.
		ed.SetValidation(opts)
		ed.Addenda02.SetValidation(opts)
		for _, a := range ed.Addenda05 {
			a.SetValidation(opts)
		}
		ed.Addenda99.SetValidation(opts)
		ed.Addenda99Dishonored.SetValidation(opts)
		ed.Addenda99Contested.SetValidation(opts)
	}
}

func setIATOpts(b *ach.IATBatch, opts *ach.ValidateOpts) {
	b.SetValidation(opts)
	for _, ed := range b.GetEntries() {
		ed.SetValidation(opts)
		// SetValidation is a no-op on a nil record.
		ed.Addenda10.SetValidation(opts)
		ed.Addenda11.SetValidation(opts)
		ed.Addenda12.SetValidation(opts)
		ed.Addenda13.SetValidation(opts)
		ed.Addenda14.SetValidation(opts)
		ed.Addenda15.SetValidation(opts)
		ed.Addenda16.SetValidation(opts)
		for _, a := range ed.Addenda17 {
			a.SetValidation(opts)
		}
		for _, a := range ed.Addenda18 {
			a.SetValidation(opts)
		}
		ed.Addenda99.SetValidation(opts)
	}
}
