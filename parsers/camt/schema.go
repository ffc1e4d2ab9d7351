package camt

import "io"

// schemaCheck runs the strict schema check of the message versions it
// covers. It returns the input to read afterwards, or nil to read r.in as
// it is.
func (r *Reader) schemaCheck() (io.Reader, error) { return nil, nil }
