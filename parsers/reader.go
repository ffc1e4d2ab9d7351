package parsers

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/cashmatch/cashmatch/engine"
)

// Reader streams the payments of one bank file.
type Reader interface {
	// Next returns the next payment. At the end of a file that was read
	// whole it returns io.EOF. A refused file returns a *ParseError; the
	// payments returned before it must not be applied.
	Next() (engine.Payment, error)
	// Warnings returns the departures from the format that were tolerated
	// for the file as a whole. It is complete once Next returned io.EOF.
	Warnings() []string
}

// Options configure a reader. The zero value reads leniently and logs
// nothing.
type Options struct {
	// Name is the file name used in payment sources and errors.
	Name string
	// Strict refuses any departure from the format's specification instead
	// of accepting it with a warning.
	Strict bool
	// Logger receives one summary per file. Nil discards.
	Logger *slog.Logger
	// BAI2 holds what only the BAI2 reader reads.
	BAI2 BAI2Options
}

// EnsureDefaults fills in the zero fields of o and returns it; nil is
// allocated.
func (o *Options) EnsureDefaults() *Options {
	if o == nil {
		o = &Options{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// ParseError reports where a bank file is broken and why.
type ParseError struct {
	File string
	// Line is the 1-based line (or for files without line breaks, the
	// record) where the problem is; zero when unknown.
	Line int
	// Column is the 1-based column, where the format has one; zero when
	// unknown.
	Column int
	// Record names the record or element: a BAI2 record code ("49"), an ACH
	// record ("batch 3 control"), an XML path.
	Record string
	Err    error
}

func (e *ParseError) Error() string {
	pos := e.File
	if pos == "" {
		pos = "input"
	}
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
		if e.Column > 0 {
			pos = fmt.Sprintf("%s:%d", pos, e.Column)
		}
	}
	if e.Record != "" {
		return fmt.Sprintf("%s: %s: %v", pos, e.Record, e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ErrUnknownFormat is returned when a file is none of the formats cashmatch
// reads.
var ErrUnknownFormat = errors.New("parsers: not a BAI2, ISO 20022 camt or NACHA file")
