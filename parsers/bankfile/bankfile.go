// Package bankfile opens a bank file of any supported format: it identifies
// the statement by the SHA-256 of its bytes, detects the format and streams
// the payments through that format's reader.
package bankfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/ach"
	"github.com/cashmatch/cashmatch/parsers/bai2"
	"github.com/cashmatch/cashmatch/parsers/camt"
)

// File is a bank file open for reading. It is not safe for concurrent use.
type File struct {
	st engine.Statement
	f  *os.File
	r  parsers.Reader
}

// Open opens the bank file at path. opts.Name defaults to the file's base
// name. It returns parsers.ErrUnknownFormat (wrapped) for a file of no
// supported format.
func Open(path string, opts *parsers.Options) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	o := *opts.EnsureDefaults()
	if o.Name == "" {
		o.Name = filepath.Base(path)
	}
	file, err := open(f, &o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return file, nil
}

func open(f *os.File, opts *parsers.Options) (*File, error) {
	// Identify the statement by the hash of its bytes.
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opts.Name, err)
	}

	// Detect the format from the head of the file.
	head := make([]byte, parsers.DetectSize)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", opts.Name, err)
	}
	format, err := parsers.Detect(head[:n])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opts.Name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", opts.Name, err)
	}
	r, err := newReader(format, f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opts.Name, err)
	}
	return &File{
		st: engine.Statement{
			ID:     engine.StatementID(hex.EncodeToString(h.Sum(nil))),
			Source: opts.Name,
			Format: format,
			Size:   size,
		},
		f: f,
		r: r,
	}, nil
}

func newReader(format engine.Format, r io.Reader, opts *parsers.Options) (parsers.Reader, error) {
	switch format {
	case engine.FormatBAI2:
		return bai2.NewReader(r, opts), nil
	case engine.FormatACH:
		return ach.NewReader(r, opts), nil
	case engine.FormatCamt052, engine.FormatCamt053, engine.FormatCamt054:
		return camt.NewReader(r, opts), nil
	}
	return nil, fmt.Errorf("format %s is recognised but cannot be read yet", format)
}

// Next returns the next payment with its statement and a stable payment ID,
// or io.EOF at the end of a file read whole. Any other error refuses the
// file.
func (f *File) Next() (engine.Payment, error) {
	p, err := f.r.Next()
	if err == io.EOF {
		f.st.Warnings = f.r.Warnings()
	}
	if err != nil {
		return engine.Payment{}, err
	}
	f.st.Payments++
	p.Statement = f.st.ID
	p.ID = PaymentID(f.st.ID, f.st.Payments)
	return p, nil
}

// PaymentID returns the ID of the n-th payment (from 1) of a statement.
func PaymentID(s engine.StatementID, n int) engine.PaymentID {
	id := string(s)
	if len(id) > 16 {
		id = id[:16]
	}
	return engine.PaymentID(fmt.Sprintf("%s-%06d", id, n))
}

// Statement describes the file; its payment count and warnings are final once
// Next has returned io.EOF.
func (f *File) Statement() engine.Statement { return f.st }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadAll reads every payment of the bank file at path. A refused file
// returns no payments and the reader's error.
func ReadAll(path string, opts *parsers.Options) (engine.Statement, []engine.Payment, error) {
	f, err := Open(path, opts)
	if err != nil {
		return engine.Statement{}, nil, err
	}
	defer f.Close()
	var ps []engine.Payment
	for {
		p, err := f.Next()
		if err == io.EOF {
			return f.st, ps, nil
		}
		if err != nil {
			return engine.Statement{}, nil, err
		}
		ps = append(ps, p)
	}
}
