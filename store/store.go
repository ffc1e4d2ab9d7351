package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
)

// DefaultDir is the store folder used when none is given.
const DefaultDir = "./cashmatch-data"

// Sentinel errors. Callers branch on them with errors.Is.
var (
	// ErrNotFound is returned when a record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict is returned when a change was based on a version that is
	// no longer current, or would consume what another change consumed
	// first. It is engine.ErrConflict, so the engine retries on it.
	ErrConflict = engine.ErrConflict
	// ErrLocked is returned by Open when another process holds the store.
	ErrLocked = errors.New("store: in use by another process")
)

// Options configure a Store. The zero value works.
type Options struct {
	// Logger receives Pebble's logs and events and the store's own. Nil
	// discards.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
	// CacheSize is the size in bytes of Pebble's block cache. Zero means
	// 256 MiB.
	CacheSize int64
	// Remember is how many of the latest decided payments Book hands to the
	// engine, so that it recognises a payment sent twice or returned.
	// Zero means DefaultRemember; negative means none.
	Remember int
}

// DefaultRemember is the default of Options.Remember: a few weeks of a busy
// entity's payments.
const DefaultRemember = 200000

// EnsureDefaults fills in the zero fields of o and returns it; nil is
// allocated.
func (o *Options) EnsureDefaults() *Options {
	if o == nil {
		o = &Options{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CacheSize == 0 {
		o.CacheSize = 256 << 20
	}
	if o.Remember == 0 {
		o.Remember = DefaultRemember
	}
	return o
}

// Store is a cash-application store in one Pebble database. It is safe for
// concurrent use. Open reads no records: the cost of opening does not grow
// with what the store holds.
type Store struct {
	db       *pebble.DB
	dir      string
	log      *slog.Logger
	now      func() time.Time
	metrics  *storeMetrics
	remember int

	mu struct {
		sync.Mutex
		entities map[engine.EntityID]*entityState
	}
}

// Open opens, creating it if needed, the store in folder dir. It returns an
// error wrapping ErrLocked when another process has it open.
func Open(dir string, opts *Options) (*Store, error) {
	opts = opts.EnsureDefaults()
	s := &Store{dir: dir, log: opts.Logger, now: opts.Now, metrics: newStoreMetrics(), remember: opts.Remember}
	s.mu.entities = make(map[engine.EntityID]*entityState)
	cache := pebble.NewCache(opts.CacheSize)
	defer cache.Unref()
	po := &pebble.Options{
		Cache:         cache,
		Logger:        pebbleLogger{opts.Logger},
		EventListener: eventListener(opts.Logger, s.metrics),
		// Decisions arrive in batches of megabytes: a larger memtable and
		// L0 allowance let Pebble flush and compact them in fewer, larger
		// steps instead of stalling writes.
		MemTableSize:                64 << 20,
		MemTableStopWritesThreshold: 4,
		L0CompactionThreshold:       4,
		L0StopWritesThreshold:       32,
		LBaseMaxBytes:               256 << 20,
	}
	po.TargetFileSizes[0] = 8 << 20
	// Bloom filters spare a point read the files that cannot hold its key.
	for i := range po.Levels {
		po.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(dir, po)
	if err != nil {
		if isLockError(err) {
			return nil, fmt.Errorf("open store %s: %w (another cashmatch process, such as serve or ingest, "+
				"has it open; stop it or use a backup)", dir, ErrLocked)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	s.db = db
	return s, nil
}

// isLockError reports whether err is Pebble failing to take the folder's lock.
func isLockError(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) ||
		errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), "lock held by current process")
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// Close flushes what is in memory, so that the next Open has little log to
// replay, and closes the store.
func (s *Store) Close() error {
	if err := s.db.Flush(); err != nil {
		s.db.Close()
		return fmt.Errorf("close store %s: %w", s.dir, err)
	}
	return s.db.Close()
}

// Checkpoint writes a consistent copy of the store to the new folder dir,
// while the store stays in use. The copy is a store: open it to restore.
func (s *Store) Checkpoint(ctx context.Context, dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("backup to %s: the folder exists; give a new one", dir)
	}
	if err := s.db.Checkpoint(dir, pebble.WithFlushedWAL()); err != nil {
		return fmt.Errorf("backup to %s: %w", dir, err)
	}
	return nil
}

// getRaw returns a copy of the value at k, or ErrNotFound.
func (s *Store) getRaw(k []byte) ([]byte, error) {
	v, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), v...)
	closer.Close()
	return out, nil
}

// getJSON decodes the JSON record at k into v, or returns ErrNotFound.
func (s *Store) getJSON(what string, k []byte, v any) error {
	b, err := s.getRaw(k)
	if err != nil {
		return err
	}
	return decodeJSON(what, b, v)
}

// Entities returns the entities the store holds records of, in order.
func (s *Store) Entities(ctx context.Context) ([]engine.EntityID, error) {
	lower := []byte{0, globalEntities}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upperBound(lower)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []engine.EntityID
	for it.First(); it.Valid(); it.Next() {
		out = append(out, engine.EntityID(it.Key()[len(lower):]))
	}
	return out, it.Error()
}
