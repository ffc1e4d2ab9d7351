package bai2

import "encoding/binary"

// Finding bytes eight at a time, in a uint64 ("SIMD within a register"):
// searching text this way takes few branches, where a loop over its bytes
// mispredicts its end once per field.

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lows  = 0x7f7f7f7f7f7f7f7f
)

// load8 returns b[i:i+8] as a little-endian word: b[i] is its low byte.
// REQUIRES: i+8 <= len(b).
func load8(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// matches sets the high bit of each byte of w that equals c, and clears
// every other bit.
func matches(w uint64, c byte) uint64 {
	x := w ^ (ones * uint64(c))
	return ^((x&lows + lows) | x | lows)
}
