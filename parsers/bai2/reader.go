package bai2

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// What the reader expects next.
const (
	expectFileHeader = iota
	expectGroup      // 02 or 99
	expectAccount    // 03 or 98
	expectDetail     // 16 or 49
	expectEnd        // nothing: the 99 was read
)

// Reader reads the payments of one BAI2 file: one engine.Payment per 16
// record, in file order. It checks every trailer (see the package
// documentation) and refuses a broken file with a *parsers.ParseError.
// It is not safe for concurrent use.
type Reader struct {
	s      *scanner
	name   string
	strict bool
	log    *slog.Logger
	fileCy engine.Currency
	custom map[int]Class

	rec    logical
	expect int

	file, group, acct tally
	grp               groupInfo
	acc               accountInfo
	pending           []problem // trailer mismatches awaiting the group and file trailers
	groupPending      int       // the first of pending that belongs to the current group

	warnings []string
	payments int
	err      error // sticky: once refused, always refused

	src     []byte // "name:", the start of every payment's source
	srcLine []byte // src and the line srcAt
	srcAt   int
	refs    []engine.Reference
	slabs   slabs
	strs    texts
	spans   []span // scratch: the references and text lines of one detail
}

// groupInfo is what a 02 group header says about its accounts.
type groupInfo struct {
	asOf     engine.Date
	currency engine.Currency
	status   byte // group status: '1' update, '2' deletion, '3' correction, '4' test
	line     int
}

// accountInfo is what a 03 account identifier says about its details.
type accountInfo struct {
	number   string
	currency engine.Currency
	digits   int32
	line     int
}

// NewReader returns a reader of the BAI2 file r. opts may be nil; its Name
// names the file in payment sources and errors.
func NewReader(r io.Reader, opts *parsers.Options) *Reader {
	o := *opts.EnsureDefaults()
	rd := &Reader{s: newScanner(r), name: o.Name, strict: o.Strict, log: o.Logger}
	rd.src = append([]byte(o.Name), ':')
	rd.fileCy = o.BAI2.Currency
	if rd.fileCy == "" {
		rd.fileCy = "USD"
	}
	rd.err = rd.checkOptions(o.BAI2)
	return rd
}

// checkOptions checks the BAI2 options and keeps the bank-defined type
// codes. It reports every problem at once.
func (r *Reader) checkOptions(o parsers.BAI2Options) error {
	var errs []error
	if _, err := engine.ParseCurrency(string(r.fileCy)); err != nil {
		errs = append(errs, fmt.Errorf("bai2: default currency: %w", err))
	}
	for _, code := range slices.Sorted(maps.Keys(o.CustomCodes)) {
		n, ok := parseCode([]byte(code))
		class := o.CustomCodes[code]
		switch {
		case !ok || n < 900:
			errs = append(errs, fmt.Errorf("bai2: custom type code %q is not a code of the range 900-999", code))
		case class == parsers.BAI2Unknown || class > parsers.BAI2NonMonetary:
			errs = append(errs, fmt.Errorf("bai2: custom type code %s has no class", code))
		default:
			if r.custom == nil {
				r.custom = make(map[int]Class, len(o.CustomCodes))
			}
			r.custom[n] = class
		}
	}
	return errors.Join(errs...)
}

// Warnings returns the departures from the specification that were
// tolerated for the file as a whole, such as a trailer computed by a known
// bank convention. It is complete once Next has returned io.EOF.
func (r *Reader) Warnings() []string { return r.warnings }

// Next returns the next payment, io.EOF after the 99 file trailer, or a
// *parsers.ParseError that refuses the file; payments returned before such
// an error must not be applied. Invalid options (a custom type code outside
// 900-999, an unknown default currency) give a plain error at once.
func (r *Reader) Next() (engine.Payment, error) {
	if r.err != nil {
		return engine.Payment{}, r.err
	}
	var p engine.Payment
	if err := r.next(&p); err != nil {
		r.err = err
		if err == io.EOF {
			r.log.Info("bai2 file read", "file", r.name, "payments", r.payments,
				"warnings", len(r.warnings))
		}
		return engine.Payment{}, err
	}
	r.payments++
	return p, nil
}

// next reads records up to the next 16 record, which it reads into p.
func (r *Reader) next(p *engine.Payment) error {
	if r.expect == expectFileHeader && r.s.line == 0 {
		r.s.detectFixed()
	}
	for {
		if !r.readLogical() {
			return r.atEnd()
		}
		if err := r.checkOrder(); err != nil {
			return err
		}
		var err error
		switch r.rec.code {
		case codeFileHeader:
			err = r.fileHeader()
		case codeGroupHeader:
			err = r.groupHeader()
		case codeAccount:
			err = r.accountHeader()
		case codeDetail:
			return r.detail(p)
		case codeAccountEnd:
			err = r.accountTrailer()
		case codeGroupEnd:
			err = r.groupTrailer()
		case codeFileEnd:
			err = r.fileTrailer()
		}
		if err != nil {
			return err
		}
	}
}

// readLogical reads the next record with its continuations into r.rec.
func (r *Reader) readLogical() bool { return r.s.record(&r.rec) }

// atEnd is the error at the end of the input: io.EOF after a 99 trailer.
func (r *Reader) atEnd() error {
	if r.s.err != nil {
		if errors.Is(r.s.err, errLongLine) {
			return r.errAt(r.s.line+1, "", "%v", r.s.err)
		}
		return r.errAt(r.s.line, "", "read: %w", r.s.err)
	}
	if r.expect == expectEnd {
		return io.EOF
	}
	if r.expect == expectFileHeader {
		return r.errAt(r.s.line, "", "the file holds no records: no 01 file header")
	}
	missing := map[int]string{
		expectGroup:   "the file ends without its 99 file trailer",
		expectAccount: "the file ends inside a group: no 98 group trailer and no 99 file trailer",
		expectDetail:  "the file ends inside an account: no 49 account trailer, 98 group trailer or 99 file trailer",
	}[r.expect]
	return r.errAt(r.s.line, "", "%s; the file is incomplete", missing)
}

// checkOrder refuses a record that cannot come where it is.
func (r *Reader) checkOrder() error {
	code := r.rec.code
	if r.expect != expectEnd {
		if a := allowed[r.expect]; code == a[0] || code == a[1] {
			return nil
		}
	}
	switch {
	case code == codeUnknown:
		t := string(r.rec.arena[r.rec.parts[0].start:][:2])
		return r.errAt(r.rec.line, t, "unknown record type %s (BAI2 records are 01, 02, 03, 16, 88, 49, "+
			"98 and 99)", t)
	case code == codeBare:
		return r.errAt(r.rec.line, "", "line does not start with a BAI2 record code")
	case code == codeContinuation:
		return r.errAt(r.rec.line, "88", "continuation record with no record to continue")
	case r.expect == expectEnd:
		// TODO: read a download that concatenates several BAI2 files (01 to
		// 99, repeated), as some bank portals give; today it is refused here
		// and has to be split first.
		return r.errAt(r.rec.line, codeName(code), "record after the 99 file trailer")
	}
	return r.errAt(r.rec.line, codeName(code), "%s where %s was expected",
		recordNames[code], expectNames[r.expect])
}

// allowed lists the records that may come next, by expectation.
var allowed = [...][2]int{
	expectFileHeader: {codeFileHeader, codeFileHeader},
	expectGroup:      {codeGroupHeader, codeFileEnd},
	expectAccount:    {codeAccount, codeGroupEnd},
	expectDetail:     {codeDetail, codeAccountEnd},
}

var recordNames = map[int]string{
	codeFileHeader: "01 file header", codeGroupHeader: "02 group header",
	codeAccount: "03 account identifier", codeDetail: "16 transaction detail",
	codeAccountEnd: "49 account trailer", codeGroupEnd: "98 group trailer",
	codeFileEnd: "99 file trailer",
}

var expectNames = map[int]string{
	expectFileHeader: "the 01 file header",
	expectGroup:      "a 02 group header or the 99 file trailer",
	expectAccount:    "a 03 account identifier or the 98 group trailer",
	expectDetail:     "a 16 transaction detail or the 49 account trailer",
}

// errAt returns the *parsers.ParseError that refuses the file.
func (r *Reader) errAt(line int, record, format string, args ...any) error {
	return &parsers.ParseError{File: r.name, Line: line, Record: record, Err: fmt.Errorf(format, args...)}
}

// tolerate handles a departure from the specification: strict reading
// refuses the file, lenient reading notes a warning on the payment p or,
// when p is nil, on the file, with what it did about it (outcome).
func (r *Reader) tolerate(p *engine.Payment, line int, record, outcome, format string, args ...any) error {
	if r.strict {
		return r.errAt(line, record, format, args...)
	}
	w := fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)
	if outcome != "" {
		w += "; " + outcome
	}
	if p != nil {
		p.Warnings = append(p.Warnings, w)
	} else {
		r.warnings = append(r.warnings, w)
	}
	return nil
}

// bareParts tolerates the code-less lines of the current record.
func (r *Reader) bareParts(p *engine.Payment) error {
	for _, pt := range r.rec.parts[1:] {
		if pt.colon {
			err := r.tolerate(p, pt.line, "88", "read as an 88 continuation record",
				"record code 88 is followed by \":\" instead of \",\"")
			if err != nil {
				return err
			}
		}
		if pt.code == codeBare {
			err := r.tolerate(p, pt.line, codeName(r.rec.code),
				fmt.Sprintf("read as a continuation of the %s record on line %d", codeName(r.rec.code), r.rec.line),
				"line has no record code; a record continues only in an 88 continuation record")
			if err != nil {
				return err
			}
		}
	}
	return nil
}
