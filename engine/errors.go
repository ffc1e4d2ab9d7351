package engine

import "errors"

// ErrDuplicateStatement is returned when a statement with the same SHA-256 is
// already stored.
var ErrDuplicateStatement = errors.New("engine: statement already ingested")
