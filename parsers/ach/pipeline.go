package ach

import (
	"fmt"
	"runtime/debug"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/x12"
)

// The reader builds payments on goroutines of their own while it reads the
// next entries: reading is cheap, and what an entry becomes (its 820 parsed,
// its references, the sums checked) is most of the work. Entries are read in
// chunks; a chunk's payments are built on one goroutine and delivered in
// file order, so that an error is returned after the payments before it and
// never before them.

// chunkLen is the most entries of a chunk, and maxChunks the most chunks
// read ahead of the payment Next returns.
const (
	chunkLen  = 128
	maxChunks = 2
)

// chunk is a run of entries and the payments built from them.
type chunk struct {
	entries []pendingEntry
	addenda []line // the addenda lines of the entries
	bl      *builder

	// done is closed once the payments are built, up to the entry refused
	// in strict mode with err. panicked holds a panic of the goroutine that
	// built them, to be raised again on the goroutine that reads them.
	done     chan struct{}
	payments []engine.Payment
	err      error
	panicked any
	next     int // the next payment to deliver
}

// deliver returns the next payment in file order, reading ahead.
func (r *Reader) deliver() (engine.Payment, error) {
	for {
		for len(r.queue) < maxChunks && r.end == nil {
			r.readChunk()
		}
		if len(r.queue) == 0 {
			return engine.Payment{}, r.end
		}
		c := r.queue[0]
		<-c.done
		if c.next < len(c.payments) {
			p := c.payments[c.next]
			c.next++
			r.payments++
			return p, nil
		}
		if c.panicked != nil {
			panic(c.panicked)
		}
		if c.err != nil {
			return engine.Payment{}, c.err
		}
		r.queue = append(r.queue[:0], r.queue[1:]...)
		r.free = append(r.free, c)
	}
}

// readChunk reads up to chunkLen entries and starts building their
// payments. At an error or the end of the file it sets r.end.
func (r *Reader) readChunk() {
	var c *chunk
	if n := len(r.free); n > 0 {
		c, r.free = r.free[n-1], r.free[:n-1]
	} else {
		c = &chunk{bl: &builder{opts: r.opts}}
	}
	c.entries, r.addenda = c.entries[:0], c.addenda[:0]
	for len(c.entries) < chunkLen {
		pe, err := r.next()
		if err != nil {
			r.end = err
			break
		}
		c.entries = append(c.entries, pe)
	}
	c.addenda, r.addenda = r.addenda, nil
	if len(c.entries) == 0 {
		r.free = append(r.free, c)
		return
	}
	c.payments, c.err, c.panicked, c.next = c.payments[:0], nil, nil, 0
	c.done = make(chan struct{})
	go c.build()
	r.queue = append(r.queue, c)
}

// build builds the payments of the chunk's entries, up to the first that
// is refused.
func (c *chunk) build() {
	defer close(c.done)
	defer func() {
		if v := recover(); v != nil {
			c.panicked = fmt.Sprintf("%v [recovered while building a payment]\n%s", v, debug.Stack())
		}
	}()
	for i := range c.entries {
		p, err := c.bl.payment(&c.entries[i])
		if err != nil {
			c.err = err
			return
		}
		c.payments = append(c.payments, p)
	}
}

// builder builds the payments of entries. It belongs to one chunk, and
// keeps its memory from one entry to the next.
type builder struct {
	opts *parsers.Options

	// The entry being built: its batch, entry detail record and addenda.
	b   *batch
	ent line
	add []line

	info []line // the addenda 05 of an entry, in sequence order
	buf  []byte // joins the payment-related information of an entry
	src  []byte // builds payment sources
	x12  x12.Parser

	// text holds the strings of the payments; lines and refs their
	// remittance lines and references.
	text  textArena
	lines slab[string]
	refs  slab[engine.Reference]
}

// errorf returns a ParseError at pos.
func (bl *builder) errorf(pos int, record, format string, args ...any) error {
	return &parsers.ParseError{File: bl.opts.Name, Line: pos, Record: record, Err: fmt.Errorf(format, args...)}
}
