package bai2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// result is what reading a file gave: the payments returned before the end
// or the refusal, the file's warnings and the error (nil when accepted).
type result struct {
	payments []engine.Payment
	warnings []string
	err      error
}

// readAll reads every payment of in with opts (which may be nil).
func readAll(tb testing.TB, name string, in []byte, opts *parsers.Options) result {
	tb.Helper()
	o := parsers.Options{}
	if opts != nil {
		o = *opts
	}
	o.Name = name
	r := NewReader(bytes.NewReader(in), &o)
	var res result
	for {
		p, err := r.Next()
		if err == io.EOF {
			res.warnings = r.Warnings()
			return res
		}
		if err != nil {
			res.err = err
			return res
		}
		res.payments = append(res.payments, p)
	}
}

// render prints a result in the canonical form of the golden files.
func (res result) render() string {
	var b strings.Builder
	for _, p := range res.payments {
		j, _ := json.Marshal(p)
		fmt.Fprintf(&b, "payment %s\n", j)
		for _, r := range p.Remittance.References {
			if r.Qualifier != "" {
				fmt.Fprintf(&b, "  reference %s %q qualifier %q\n", r.Kind, r.Value, r.Qualifier)
			}
		}
	}
	for _, w := range res.warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	if res.err != nil {
		fmt.Fprintf(&b, "refused %v\n", res.err)
	} else {
		b.WriteString("accepted\n")
	}
	return b.String()
}

// parseError returns err as a *parsers.ParseError, failing the test when it
// is not one.
func parseError(tb testing.TB, err error) *parsers.ParseError {
	tb.Helper()
	var pe *parsers.ParseError
	if !errors.As(err, &pe) {
		tb.Fatalf("error %v (%T) is not a *parsers.ParseError", err, err)
	}
	return pe
}

// lines returns the remittance lines of p joined by " | ".
func lines(p engine.Payment) string { return strings.Join(p.Remittance.Lines, " | ") }
