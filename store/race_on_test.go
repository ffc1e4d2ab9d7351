//go:build race

package store_test

// raceEnabled reports whether the tests run with the race detector, which
// slows Pebble down tenfold and more: long tests shrink.
const raceEnabled = true
