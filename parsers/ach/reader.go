package ach

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// Reader reads the payments of a NACHA file, one per entry detail record.
// It streams: memory holds the entries read ahead of the payment returned
// (a few hundred at most) with their payments and, for the NACHA rule checks by
// moov-io/ach, the records of the open batch and of the batch being checked.
// The payments of the entries read ahead are built on goroutines of their
// own, and the check of a batch runs on another while the next batch is
// read; each ends by itself. A Reader is not safe for concurrent use.
type Reader struct {
	opts *parsers.Options
	sc   *scanner
	lay  layout // the scanner's counts at the last departure check
	err  error  // sticky: io.EOF or the error that refused the file

	// records are the records of the open batch, for its validation by
	// moov-io/ach once it is closed; check is the validation running.
	records []string
	check   *check
	pool    *pool // moov-io/ach records for the next check
	// lastBatch is the number of records of the last batch, to size the
	// next one's.
	lastBatch int
	// ahead is a record read past the addenda of an entry; it is handled
	// before the scanner is asked for another.
	ahead *record

	header, control bool
	batch           *batch
	file            totals
	fileControlAt   int // records up to and including the file control
	filler          int
	batches         int
	payments        int

	warnings []string
	dropped  int // warnings beyond maxWarnings

	block []byte // the records of an entry, before they become lines
	marks []mark
	// text holds the records of the entries; addenda holds the addenda
	// lines of the entries of the chunk being read.
	text    textArena
	addenda []line

	// queue holds the chunks of entries read ahead, in file order: the
	// payments of the first are being delivered. free holds chunks to
	// reuse. end is what follows the last entry read: io.EOF or the error
	// that refuses the file.
	queue []*chunk
	free  []*chunk
	end   error
}

// maxWarnings caps the file warnings kept; the rest are counted.
const maxWarnings = 100

// totals are the control figures of a batch or of the file, as computed
// from its entries.
type totals struct {
	entryAddenda int64
	hash         int64
	debit        int64
	credit       int64
}

func (t *totals) add(o totals) {
	t.entryAddenda += o.entryAddenda
	t.hash += o.hash
	t.debit += o.debit
	t.credit += o.credit
}

// NewReader returns a reader of the NACHA file r. opts may be nil: the file
// is then read leniently and named "input" in errors.
func NewReader(r io.Reader, opts *parsers.Options) *Reader {
	return &Reader{opts: opts.EnsureDefaults(), sc: newScanner(r)}
}

// Warnings returns the departures from the NACHA rules that were tolerated
// for the file as a whole, each naming its line or batch. It is complete
// once Next has returned io.EOF.
func (r *Reader) Warnings() []string {
	if r.dropped > 0 && r.err == io.EOF {
		return append(r.warnings[:len(r.warnings):len(r.warnings)],
			fmt.Sprintf("%d more warnings not shown", r.dropped))
	}
	return r.warnings
}

// Next returns the payment of the next entry detail record. At the end of a
// file whose batch and file controls add up it returns io.EOF. Otherwise it
// returns a *parsers.ParseError naming the line (the record number in a file
// without line breaks) and the record, when:
//   - the records are out of order (no file header first, an entry outside
//     a batch, a batch without control, records after the file control) or
//     the file ends before its file control;
//   - a batch control or the file control does not add up: the error names
//     the batch, the figure, what the record states and what the entries
//     add up to;
//   - an amount, a count or a transaction code is not a number;
//   - in strict mode, at the first departure from the NACHA rules that the
//     lenient mode tolerates with a warning.
//
// After an error, Next returns the same error again. Payments returned
// before an error belong to a refused file and must not be applied.
func (r *Reader) Next() (engine.Payment, error) {
	if r.err != nil {
		return engine.Payment{}, r.err
	}
	p, err := r.deliver()
	if err != nil {
		r.err = err
		r.summary()
	}
	return p, err
}

// next reads up to the next entry. At the end of the file it returns the
// error that refuses it, or io.EOF.
func (r *Reader) next() (pendingEntry, error) {
	for {
		rec, err := r.read()
		if err == io.EOF {
			return pendingEntry{}, r.finish()
		}
		if err != nil {
			return pendingEntry{}, err
		}
		if r.control && !isFiller(rec) {
			return pendingEntry{}, r.errorf(rec.pos, "", "record type %q after the file control", rec.typeCode())
		}
		switch rec.typeCode() {
		case '1':
			err = r.fileHeader(rec)
		case '5':
			err = r.batchHeader(rec)
		case '6':
			return r.entry(rec)
		case '7':
			err = r.errorf(rec.pos, "addenda", "addenda record outside an entry")
		case '8':
			err = r.batchControl(rec)
		case '9':
			err = r.fileControl(rec)
		case ' ':
			err = r.depart(rec.pos, "", errors.New("blank line"))
		default:
			err = r.errorf(rec.pos, "", "unknown record type %q", rec.typeCode())
		}
		if err != nil {
			return pendingEntry{}, err
		}
	}
}

// read returns the next record and checks what the scanner had to repair to
// read it.
func (r *Reader) read() (*record, error) {
	if rec := r.ahead; rec != nil {
		r.ahead = nil
		return rec, nil
	}
	rec, err := r.sc.next()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		pos := r.sc.lay.lines
		if r.sc.lay.unbroken {
			pos = r.sc.lay.records
		}
		return nil, &parsers.ParseError{File: r.opts.Name, Line: pos, Err: err}
	}
	if err := r.checkLayout(rec); err != nil {
		return nil, err
	}
	if !r.header && rec.typeCode() != '1' && !isBlank(rec) {
		return nil, r.errorf(rec.pos, "", "the file does not start with a file header record (type 1)")
	}
	return rec, nil
}

// checkLayout refuses, in strict mode, a record the scanner had to repair.
// The lenient mode counts them and warns once at the end of the file.
func (r *Reader) checkLayout(rec *record) error {
	if !r.opts.Strict {
		return nil
	}
	lay := r.sc.lay
	switch {
	case lay.short > r.lay.short:
		return r.errorf(rec.pos, "", "record is shorter than 94 characters")
	case lay.long > r.lay.long:
		return r.errorf(rec.pos, "", "record is followed by blanks beyond 94 characters")
	case lay.nonUTF8 > r.lay.nonUTF8:
		return r.errorf(rec.pos, "", "record holds bytes that are not UTF-8")
	}
	r.lay = lay
	return nil
}

// finish checks the end of the file and returns io.EOF when it is complete.
func (r *Reader) finish() error {
	pos := r.sc.lay.lines
	if r.sc.lay.unbroken {
		pos = r.sc.lay.records
	}
	switch {
	case !r.header:
		return r.errorf(pos, "", "the file is empty")
	case r.batch != nil:
		return r.errorf(pos, r.batch.name("control"), "the file ends before the batch control")
	case !r.control:
		return r.errorf(pos, "file control", "the file ends without a file control record (type 9)")
	}
	r.layoutWarnings()
	if n := r.sc.lay.records; n%10 != 0 {
		err := fmt.Errorf("the file has %d records, not whole blocks of 10: filler records missing", n)
		if e := r.depart(pos, "", err); e != nil {
			return e
		}
	}
	return io.EOF
}

// layoutWarnings turns the scanner's repairs into warnings (lenient mode;
// strict mode refused them when they happened).
func (r *Reader) layoutWarnings() {
	lay := r.sc.lay
	if lay.short > 0 {
		r.warn(lay.firstShort, "", fmt.Errorf("%d records shorter than 94 characters, padded with blanks", lay.short))
	}
	if lay.long > 0 {
		r.warn(lay.firstLong, "", fmt.Errorf("%d records followed by blanks beyond 94 characters", lay.long))
	}
	if lay.nonUTF8 > 0 {
		r.warn(lay.firstNonUTF8, "", fmt.Errorf("%d records hold bytes that are not UTF-8, read as Windows-1252", lay.nonUTF8))
	}
}

// errorf returns a ParseError at pos.
func (r *Reader) errorf(pos int, record, format string, args ...any) error {
	return &parsers.ParseError{File: r.opts.Name, Line: pos, Record: record, Err: fmt.Errorf(format, args...)}
}

// depart handles a departure from the NACHA rules: an error in strict
// mode, a warning otherwise.
func (r *Reader) depart(pos int, record string, err error) error {
	if r.opts.Strict {
		return &parsers.ParseError{File: r.opts.Name, Line: pos, Record: record, Err: err}
	}
	r.warn(pos, record, err)
	return nil
}

func (r *Reader) warn(pos int, record string, err error) {
	if len(r.warnings) >= maxWarnings {
		r.dropped++
		return
	}
	r.warnings = append(r.warnings, (&parsers.ParseError{File: r.opts.Name, Line: pos, Record: record, Err: err}).Error())
}

// summary logs one line per file.
func (r *Reader) summary() {
	log := r.opts.Logger
	if r.err == io.EOF {
		log.LogAttrs(context.Background(), slog.LevelInfo, "ach file read", slog.String("file", r.opts.Name),
			slog.Int("batches", r.batches), slog.Int("payments", r.payments),
			slog.Int("warnings", len(r.warnings)+r.dropped))
		return
	}
	log.LogAttrs(context.Background(), slog.LevelInfo, "ach file refused", slog.String("file", r.opts.Name),
		slog.Int("payments_before", r.payments), slog.String("error", r.err.Error()))
}

func isFiller(rec *record) bool {
	for _, c := range rec.b {
		if c != '9' {
			return false
		}
	}
	return true
}

func isBlank(rec *record) bool {
	for _, c := range rec.b {
		if c != ' ' {
			return false
		}
	}
	return true
}
