package store

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"
)

// DefaultDir is the store folder used when none is given.
const DefaultDir = "./cashmatch-data"

// Options configure a Store. The zero value works.
type Options struct {
	// Logger receives Pebble's logs and the store's own. Nil discards.
	Logger *slog.Logger
}

// Store is a cash-application store in one Pebble database. It is safe for
// concurrent use.
type Store struct {
	db  *pebble.DB
	log *slog.Logger
}

// Open opens (creating if needed) the store in folder dir.
func Open(dir string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db, err := pebble.Open(dir, &pebble.Options{Logger: pebbleLogger{log}})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return &Store{db: db, log: log}, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// get decodes the value at key k into v. It returns ErrNotFound when there is
// none.
func (s *Store) get(k []byte, v any) error {
	b, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	defer closer.Close()
	return decode(b, v)
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: not found")

// pebbleLogger passes Pebble's logs to slog.
type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	l.log.Info(fmt.Sprintf(format, args...), "component", "pebble")
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), "component", "pebble")
}

func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), "component", "pebble")
	panic(fmt.Sprintf(format, args...))
}
