package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// truthReader pulls the payments of truth.json one bank file at a time, in
// the order they were written, so that a run holds the truth of one file
// only.
type truthReader struct {
	path    string
	f       *os.File
	dec     *json.Decoder
	pending *Truth
	done    bool
}

// openTruth opens path and positions it on the first payment.
func openTruth(path string) (*truthReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &truthReader{path: path, f: f, dec: json.NewDecoder(bufio.NewReaderSize(f, 1<<20))}
	if err := r.seekPayments(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// seekPayments skips the fields before "payments" and enters its array.
func (r *truthReader) seekPayments() error {
	if err := expectDelim(r.dec, '{'); err != nil {
		return err
	}
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return err
		}
		if tok == "payments" {
			return expectDelim(r.dec, '[')
		}
		var skip json.RawMessage
		if err := r.dec.Decode(&skip); err != nil {
			return err
		}
	}
	return fmt.Errorf("no payments")
}

// next returns the next payment's truth, or io.EOF after the last.
func (r *truthReader) next() (*Truth, error) {
	if r.pending != nil {
		t := r.pending
		r.pending = nil
		return t, nil
	}
	if r.done || !r.dec.More() {
		r.done = true
		return nil, io.EOF
	}
	var t Truth
	if err := r.dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w", r.path, err)
	}
	return &t, nil
}

// file returns the truth of every payment of the bank file name, indexed by
// reference. The file's payments must come next in truth.json: files are
// read in the order they were written.
func (r *truthReader) file(name string) (map[string]*Truth, error) {
	out := map[string]*Truth{}
	for {
		t, err := r.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if t.File != name {
			r.pending = t
			if len(out) == 0 {
				return nil, fmt.Errorf("%s: the next payments are of %s, not %s: read the files in name order",
					r.path, t.File, name)
			}
			return out, nil
		}
		out[t.Ref] = t
	}
}

func (r *truthReader) close() error { return r.f.Close() }
