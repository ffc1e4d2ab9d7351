package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/moov-io/ach"
	bai2lib "github.com/moov-io/bai2/pkg/lib"
	"github.com/moov-io/iso20022/pkg/camt_v08"
	"github.com/moov-io/iso20022/pkg/document"
)

// ReaderTiming is how fast one reader read the files of one format.
type ReaderTiming struct {
	Format   engine.Format `json:"format"`
	Reader   string        `json:"reader"`
	Files    int           `json:"files"`
	Bytes    int64         `json:"bytes"`
	Payments int           `json:"payments"`
	Nanos    int64         `json:"nanoseconds"`
	// Err is the first file the reader could not read, if any.
	Err string `json:"error,omitempty"`
}

func (t *ReaderTiming) add(bytes int64, payments int, took time.Duration) {
	t.Files++
	t.Bytes += bytes
	t.Payments += payments
	t.Nanos += took.Nanoseconds()
}

// libraryReaders names the library that reads each format, for the parser
// baseline.
var libraryReaders = map[engine.Format]string{
	engine.FormatBAI2:    "moov-io/bai2",
	engine.FormatACH:     "moov-io/ach",
	engine.FormatCamt053: "moov-io/iso20022",
}

// readWithLibrary reads the bank file at path with the library for its
// format and returns how many payments it found.
func readWithLibrary(path string, f engine.Format) (int, error) {
	switch f {
	case engine.FormatBAI2:
		return libraryBAI2(path)
	case engine.FormatACH:
		return libraryACH(path)
	case engine.FormatCamt053:
		return libraryCamt(path)
	}
	return 0, fmt.Errorf("no library reads %s", f)
}

func libraryBAI2(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	file := bai2lib.NewBai2()
	scan := bai2lib.NewBai2Scanner(f)
	if err := file.Read(&scan); err != nil {
		return 0, err
	}
	n := 0
	for _, g := range file.Groups {
		for _, a := range g.Accounts {
			n += len(a.Details)
		}
	}
	return n, file.Validate()
}

// libraryACH reads with moov-io/ach's Iterator, its streaming reader, which
// validates each record.
func libraryACH(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	it := ach.NewIterator(bufio.NewReaderSize(f, 1<<20))
	n := 0
	for {
		_, entry, err := it.NextEntry()
		if err != nil {
			return n, err
		}
		if entry == nil {
			return n, nil
		}
		n++
	}
}

// libraryCamt decodes the whole document, as moov-io/iso20022 does.
func libraryCamt(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	doc, err := document.ParseIso20022Document(b)
	if err != nil {
		return 0, err
	}
	msg, ok := doc.InspectMessage().(*camt_v08.BankToCustomerStatementV08)
	if !ok {
		return 0, fmt.Errorf("not a camt.053.001.08 statement")
	}
	n := 0
	for _, st := range msg.Stmt {
		for _, e := range st.Ntry {
			for _, d := range e.NtryDtls {
				n += len(d.TxDtls)
			}
		}
	}
	return n, nil
}

// readWithProject reads the bank file at path with the project's reader and
// calls fn for each payment.
func readWithProject(path string, fn func(engine.Payment)) (engine.Statement, error) {
	f, err := bankfile.Open(path, &parsers.Options{})
	if err != nil {
		return engine.Statement{}, err
	}
	defer f.Close()
	for {
		p, err := f.Next()
		if err == io.EOF {
			return f.Statement(), nil
		}
		if err != nil {
			return f.Statement(), err
		}
		fn(p)
	}
}
