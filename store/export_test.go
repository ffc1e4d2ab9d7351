package store

import "context"

// Settle flushes the store and compacts all of it, so that a benchmark
// starts without the compaction debt of its setup.
func Settle(s *Store) error {
	if err := s.db.Flush(); err != nil {
		return err
	}
	return s.db.Compact(context.Background(), nil, []byte{0xff, 0xff, 0xff, 0xff}, true)
}
