package camt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// Reader reads the payments of a camt.052, camt.053 or camt.054 file, one
// Ntry at a time. It is not safe for concurrent use.
type Reader struct {
	in     *bufio.Reader
	sc     *scanner
	opts   *parsers.Options
	strict bool

	queue    []engine.Payment
	head     int
	warnings []string
	seenWarn map[string]bool
	err      error
	done     bool
	started  bool

	// Where the reader is in the document. path holds the names of the
	// open elements below Document, '/'-separated; a name outside the
	// message's namespace is written "?".
	path      []byte
	pathLens  []int
	docDepth  int // scanner depth of the Document element; 0 outside one
	docNS     int
	msg       message
	version   int
	documents int
	reports   int // account reports (Stmt, Rpt, Ntfctn) in this Document

	stmtDepth, ntryDepth, txDepth int // scanner depths; 0 when not inside
	stmtBase, ntryBase, txBase    int // offsets in path of relative paths
	strdDepth                     int

	// The element being read.
	leaf     bool
	text     []byte
	ccy      []byte
	leafLine int
	leafCol  int

	st   statement
	en   entry
	tx   transaction
	strd structured

	payments   int
	reportList []Report
	// schemaData holds a 001.08 file for the strict schema check.
	schemaData []byte

	interned map[string]string
	ccys     map[string]currency
	scratch  []byte
	omitted  int
}

// NewReader returns a reader of the camt file r. opts may be nil. With
// opts.Strict, a departure from the message definition refuses the file
// where the lenient reader accepts it with a warning.
func NewReader(r io.Reader, opts *parsers.Options) *Reader {
	o := opts.EnsureDefaults()
	return &Reader{
		in:       bufio.NewReaderSize(r, scanBufSize),
		opts:     o,
		strict:   o.Strict,
		seenWarn: map[string]bool{},
		interned: map[string]string{},
		ccys:     map[string]currency{},
	}
}

// Warnings returns the departures tolerated for the file as a whole:
// balances and transaction summaries that do not add up, statements
// without balances, element forms of another version. It is complete once
// Next has returned io.EOF.
func (r *Reader) Warnings() []string { return r.warnings }

// Next returns the next payment: one per TxDtls, or one per Ntry that has
// none. At the end of the file it returns io.EOF; any other error is a
// *parsers.ParseError that refuses the file, and the payments returned
// before it must not be applied.
func (r *Reader) Next() (engine.Payment, error) {
	for r.head == len(r.queue) {
		r.queue, r.head = r.queue[:0], 0
		if r.err != nil {
			return engine.Payment{}, r.err
		}
		if r.done {
			return engine.Payment{}, io.EOF
		}
		if err := r.step(); err != nil {
			r.err = err
			r.queue = r.queue[:0]
		}
	}
	p := r.queue[r.head]
	r.queue[r.head] = engine.Payment{}
	r.head++
	return p, nil
}

// step reads one token and acts on it.
func (r *Reader) step() error {
	if !r.started {
		r.started = true
		if err := r.begin(); err != nil {
			return err
		}
	}
	kind, err := r.sc.next()
	if err != nil {
		return r.scanError(err)
	}
	switch kind {
	case tokStart:
		return r.startElement()
	case tokText:
		if r.leaf && r.docDepth > 0 {
			if len(r.text)+len(r.sc.text) > maxText {
				return &parsers.ParseError{File: r.opts.Name, Line: r.leafLine, Column: r.leafCol,
					Record: r.where(r.rel(r.innermostBase())),
					Err:    fmt.Errorf("element text longer than %d bytes", maxText)}
			}
			r.text = append(r.text, r.sc.text...)
		}
	case tokEnd:
		return r.endElement()
	case tokEOF:
		return r.finish()
	}
	return nil
}

// begin sets up the scanner, holding the file for the schema check where
// strict mode asks for one.
func (r *Reader) begin() error {
	src := io.Reader(r.in)
	if r.strict {
		held, err := r.holdForSchema()
		if err != nil {
			return err
		}
		if held != nil {
			src = held
		}
	}
	r.sc = newScanner(src)
	return nil
}

func (r *Reader) scanError(err error) error {
	var se *syntaxError
	if errors.As(err, &se) {
		return &parsers.ParseError{File: r.opts.Name, Line: se.line, Column: se.col, Err: err}
	}
	return &parsers.ParseError{File: r.opts.Name, Line: r.sc.line, Err: fmt.Errorf("read: %w", err)}
}

// finish runs at the end of a well-formed file.
func (r *Reader) finish() error {
	r.done = true
	if r.documents == 0 {
		return &parsers.ParseError{File: r.opts.Name,
			Err: errors.New("no ISO 20022 camt.052, camt.053 or camt.054 Document element")}
	}
	if err := r.checkSchema(); err != nil {
		return err
	}
	r.opts.Logger.Info("camt file read", "file", r.opts.Name, "payments", r.payments,
		"warnings", len(r.warnings))
	return nil
}

// maxText bounds the text of one element; the longest text the message
// definitions allow is 2,048 characters.
const maxText = 64 << 10

// maxWarnings bounds the warnings kept for a file.
const maxWarnings = 100

// warn records a departure tolerated for the file, once per distinct text
// and up to maxWarnings; the last one kept counts the rest.
func (r *Reader) warn(msg string) {
	if r.seenWarn[msg] {
		return
	}
	if len(r.warnings) >= maxWarnings {
		r.omitted++
		r.warnings[maxWarnings-1] = fmt.Sprintf("%d further warnings omitted", r.omitted)
		return
	}
	if len(r.warnings) == maxWarnings-1 {
		r.omitted = 1
		r.warnings = append(r.warnings, "1 further warning omitted")
		r.seenWarn[msg] = true
		return
	}
	r.seenWarn[msg] = true
	r.warnings = append(r.warnings, msg)
	r.opts.Logger.Debug("camt departure tolerated", "file", r.opts.Name, "warning", msg)
}

// depart handles a departure from the message definition: strict mode
// refuses the file, lenient mode records a warning.
func (r *Reader) depart(line, col int, record, msg string) error {
	if r.strict {
		return &parsers.ParseError{File: r.opts.Name, Line: line, Column: col, Record: record,
			Err: errors.New(msg)}
	}
	r.warn(record + ": " + msg)
	return nil
}

// refuse returns the error that refuses the file for the element at line
// and col.
func (r *Reader) refuse(line, col int, record string, err error) error {
	return &parsers.ParseError{File: r.opts.Name, Line: line, Column: col, Record: record, Err: err}
}

// fail refuses the file for a wrong value in the leaf being read.
func (r *Reader) fail(rel string, err error) error {
	return &parsers.ParseError{File: r.opts.Name, Line: r.leafLine, Column: r.leafCol,
		Record: r.where(rel), Err: err}
}

func (r *Reader) push(name []byte) {
	r.pathLens = append(r.pathLens, len(r.path))
	if len(r.path) > 0 {
		r.path = append(r.path, '/')
	}
	r.path = append(r.path, name...)
}

func (r *Reader) pop() {
	n := len(r.pathLens) - 1
	r.path = r.path[:r.pathLens[n]]
	r.pathLens = r.pathLens[:n]
}

// rel returns the path of the current element below the element whose
// children start at offset base.
func (r *Reader) rel(base int) string { return string(r.relBytes(base)) }

// relBytes is rel without a copy; it is valid until the next element.
func (r *Reader) relBytes(base int) []byte {
	if base == 0 || len(r.path) < base {
		return nil
	}
	return r.path[base:]
}

// maxInterned bounds the strings the reader keeps for reuse.
const maxInterned = 4096

// intern returns b as a string, reusing the string of an earlier equal b:
// element paths and codes repeat on every entry.
func (r *Reader) intern(b []byte) string {
	if s, ok := r.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(r.interned) < maxInterned {
		r.interned[s] = s
	}
	return s
}

// code returns a code value (a status, a bank transaction code, a type),
// trimmed and interned.
func (r *Reader) code(text []byte) string {
	b := bytes.Trim(text, xmlSpace)
	if len(b) > 16 {
		return string(b)
	}
	return r.intern(b)
}

func (r *Reader) startElement() error {
	sc := r.sc
	if r.docDepth == 0 {
		if string(sc.local) == "Document" {
			return r.startDocument()
		}
		return nil
	}
	if sc.ns == r.docNS {
		r.push(sc.local)
	} else {
		r.push([]byte("?"))
	}
	r.leaf, r.text = true, r.text[:0]
	r.leafLine, r.leafCol = sc.tokLine, sc.tokCol
	r.ccy = r.ccy[:0]
	if v, ok := sc.attr("Ccy"); ok {
		r.ccy = append(r.ccy, v...)
	}

	depth := sc.depth() - r.docDepth
	switch {
	case depth == 1:
		return r.startMessage()
	case depth == 2 && r.stmtDepth == 0 && string(sc.local) == r.msg.report && sc.ns == r.docNS:
		r.startStatement()
	case r.txDepth > 0:
		r.startInTransaction()
	case r.ntryDepth > 0:
		r.startInEntry()
	case r.stmtDepth > 0:
		r.startInStatement()
	}
	return nil
}

func (r *Reader) startDocument() error {
	sc := r.sc
	uri := sc.nsNames[sc.ns]
	msg, version, ok := parseNamespace(uri)
	if !ok {
		return nil // another kind of Document, inside an envelope: skip it
	}
	r.docDepth, r.docNS, r.msg, r.version = sc.depth(), sc.ns, msg, version
	r.documents++
	r.reports = 0
	r.path, r.pathLens = r.path[:0], r.pathLens[:0]
	if version > newestVersion {
		return r.depart(sc.tokLine, sc.tokCol, "Document",
			fmt.Sprintf("namespace %s is newer than %s.001.%02d; read by the rules of that version",
				uri, msg.format, newestVersion))
	}
	return nil
}

func (r *Reader) startMessage() error {
	want := r.msg.messageElement(r.version)
	if string(r.path) == want {
		return nil
	}
	return &parsers.ParseError{File: r.opts.Name, Line: r.leafLine, Column: r.leafCol,
		Record: "Document/" + string(r.path),
		Err:    fmt.Errorf("a %s.001.%02d Document holds %s, not <%s>", r.msg.format, r.version, want, r.path)}
}

func (r *Reader) endElement() error {
	if r.docDepth == 0 {
		return nil
	}
	sc := r.sc
	depth := sc.depth() + 1 // the element that just closed
	if depth == r.docDepth {
		return r.endDocument()
	}
	var err error
	if r.leaf {
		r.leaf = false
		err = r.leafValue()
	}
	if err == nil {
		switch depth {
		case r.strdDepth:
			r.endStructured()
		case r.txDepth:
			err = r.endTransaction()
		case r.ntryDepth:
			err = r.endEntry()
		case r.stmtDepth:
			err = r.endStatement()
		}
	}
	r.pop()
	return err
}

// innermostBase returns the offset in path of the paths relative to the
// innermost context.
func (r *Reader) innermostBase() int {
	switch {
	case r.txDepth > 0:
		return r.txBase
	case r.ntryDepth > 0:
		return r.ntryBase
	}
	return r.stmtBase
}

// leafValue hands the text of an element without children to the table of
// the innermost context.
func (r *Reader) leafValue() error {
	switch {
	case r.txDepth > 0:
		return r.transactionField(r.relBytes(r.txBase), r.text)
	case r.ntryDepth > 0:
		return r.entryField(r.relBytes(r.ntryBase), r.text)
	case r.stmtDepth > 0:
		return r.statementField(r.relBytes(r.stmtBase), r.text)
	}
	return nil
}

func (r *Reader) endDocument() error {
	line, col := r.sc.tokLine, r.sc.tokCol
	r.docDepth = 0
	if r.reports == 0 {
		return &parsers.ParseError{File: r.opts.Name, Line: line, Column: col, Record: "Document",
			Err: fmt.Errorf("%s message has no <%s>", r.msg.format, r.msg.report)}
	}
	return nil
}

// where names an element for errors: the path from the account report
// down, with the positions of repeated elements, then rel.
func (r *Reader) where(rel string) string {
	return string(r.appendWhere(r.scratch[:0], rel))
}

// appendWhere appends the path that where returns.
func (r *Reader) appendWhere(b []byte, rel string) []byte {
	if r.stmtDepth > 0 {
		b = appendIndexed(b, r.msg.report, r.st.index)
		if r.ntryDepth > 0 {
			b = appendIndexed(append(b, '/'), "Ntry", r.en.index)
			if r.txDepth > 0 {
				b = r.appendTxPath(append(b, '/'), r.tx.dtls, r.tx.index)
			}
		}
	} else if len(r.path) > 0 {
		b = append(b, r.path...)
	}
	if rel != "" {
		if len(b) > 0 {
			b = append(b, '/')
		}
		b = append(b, rel...)
	}
	return b
}

func appendIndexed(b []byte, name string, i int) []byte {
	b = append(b, name...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(i), 10)
	return append(b, ']')
}

// appendTxPath appends the path of TxDtls number tx of NtryDtls number
// dtls (0 in 001.01, where TxDtls sits in Ntry).
func (r *Reader) appendTxPath(b []byte, dtls, tx int) []byte {
	switch {
	case dtls == 0:
	case dtls == 1:
		b = append(b, "NtryDtls/"...)
	default:
		b = appendIndexed(b, "NtryDtls", dtls)
		b = append(b, '/')
	}
	return appendIndexed(b, "TxDtls", tx)
}

// source returns the Source of a payment read at line from the element at
// path.
func (r *Reader) source(line int, path string) string {
	b := append(r.scratch[:0], r.opts.Name...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ':')
	b = append(b, path...)
	r.scratch = b
	return string(b)
}

// Ensure Reader implements parsers.Reader.
var _ parsers.Reader = (*Reader)(nil)
