package bench

import (
	"bufio"
	"encoding/json"
	"fmt"

	"os"

	"github.com/cashmatch/cashmatch/engine"
)

// TruthFile is the name of the ground-truth file in a generated set.
const TruthFile = "truth.json"

// Expected outcomes of a payment.
const (
	ExpectApply     = "apply"
	ExpectException = "exception"
)

// Truth is the correct decision for one generated payment. See the package
// documentation for the file it is written to.
type Truth struct {
	// File is the bank file's base name; Ref the payment's identity in it:
	// the BAI2 bank reference, the ACH trace number, or the camt
	// EndToEndId. BankRef is the camt AcctSvcrRef of the transaction.
	File    string        `json:"file"`
	Ref     string        `json:"ref"`
	BankRef string        `json:"bank_ref,omitempty"`
	Format  engine.Format `json:"format"`
	Kind    PaymentKind   `json:"kind"`
	// Amount is positive, in Currency, as the bank file states it.
	Currency engine.Currency `json:"currency"`
	Amount   string          `json:"amount"`
	// Customer is the customer whose money it is, when there is one.
	Customer string `json:"customer,omitempty"`
	// Expect is "apply" or "exception".
	Expect      string            `json:"expect"`
	Allocations []TruthAllocation `json:"allocations,omitempty"`
	Adjustments []TruthAdjustment `json:"adjustments,omitempty"`
	OnAccount   string            `json:"on_account,omitempty"`
	// Exception is the reason (engine.Reason name) when Expect is
	// "exception".
	Exception string `json:"exception,omitempty"`
	// Original is the reference of the payment a return undoes or a
	// duplicate copies.
	Original string `json:"original,omitempty"`
}

// TruthAllocation is cash applied to one invoice; negative for a credit note.
type TruthAllocation struct {
	Invoice string `json:"invoice_id"`
	Amount  string `json:"amount"`
}

// TruthAdjustment reduces an invoice beyond the cash, with an
// engine.AdjustmentReason name.
type TruthAdjustment struct {
	Invoice string `json:"invoice_id"`
	Amount  string `json:"amount"`
	Reason  string `json:"reason"`
}

// SetFile describes one file of a generated set, with the totals a reader
// must find in it.
type SetFile struct {
	Name     string        `json:"name"`
	Format   engine.Format `json:"format"`
	Bytes    int64         `json:"bytes"`
	Payments int           `json:"payments"`
	// Totals sums the payments' amounts by currency, as decimal strings.
	Totals map[engine.Currency]string `json:"totals"`
}

// TruthHeader is everything in truth.json but the payments.
type TruthHeader struct {
	Generator string  `json:"generator"`
	Set       SetSize `json:"set"`
	// Files lists the bank files in the order they are to be read.
	Files []SetFile `json:"files"`
	// Kinds counts the payments of each kind.
	Kinds map[string]int `json:"kinds"`
}

// SetSize is what a set was generated from.
type SetSize struct {
	Seed      uint64      `json:"seed"`
	Customers int         `json:"customers"`
	Invoices  int         `json:"invoices"`
	Payments  int         `json:"payments"`
	Start     engine.Date `json:"start"`
}

// truthWriter streams truth.json: the payments as they are written, the
// header fields at the end (json objects are unordered).
type truthWriter struct {
	f     *os.File
	w     *bufio.Writer
	n     int
	err   error
	first bool
}

func newTruthWriter(path string) (*truthWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	t := &truthWriter{f: f, w: bufio.NewWriterSize(f, 1<<20), first: true}
	t.w.WriteString("{\"payments\":[\n")
	return t, nil
}

func (t *truthWriter) add(tr *Truth) {
	if t.err != nil {
		return
	}
	b, err := json.Marshal(tr)
	if err != nil {
		t.err = err
		return
	}
	if !t.first {
		t.w.WriteString(",\n")
	}
	t.first = false
	t.w.Write(b)
	t.n++
}

// close writes the header fields and closes the file.
func (t *truthWriter) close(h TruthHeader) error {
	defer t.f.Close()
	if t.err != nil {
		return t.err
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	t.w.WriteString("\n],\n")
	t.w.Write(b[1:]) // the header object without its opening brace
	t.w.WriteString("\n")
	if err := t.w.Flush(); err != nil {
		return err
	}
	return t.f.Sync()
}

// ReadTruth streams the truth file at path: fn is called for each payment in
// file order, and the header is returned at the end. It stops at fn's first
// error.
func ReadTruth(path string, fn func(Truth) error) (TruthHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return TruthHeader{}, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	var h TruthHeader
	if err := expectDelim(dec, '{'); err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	// Decode the header fields into one object, the payments one by one.
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return h, fmt.Errorf("%s: %w", path, err)
		}
		name, _ := tok.(string)
		if name != "payments" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return h, fmt.Errorf("%s: field %s: %w", path, name, err)
			}
			fields[name] = raw
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return h, fmt.Errorf("%s: payments: %w", path, err)
		}
		for i := 0; dec.More(); i++ {
			var tr Truth
			if err := dec.Decode(&tr); err != nil {
				return h, fmt.Errorf("%s: payment %d: %w", path, i, err)
			}
			if err := fn(tr); err != nil {
				return h, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return h, fmt.Errorf("%s: payments: %w", path, err)
		}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("%s: header: %w", path, err)
	}
	return h, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, found %v", want, tok)
	}
	return nil
}
