package engine

import "errors"

// ErrDuplicateStatement is returned when a statement with the same SHA-256 is
// already stored.
var ErrDuplicateStatement = errors.New("engine: statement already ingested")

// ErrConflict is returned when stored state changed between reading it and
// writing a decision based on it: another writer moved first.
var ErrConflict = errors.New("engine: conflict with a concurrent change")
