package engine

import "hash/maphash"

// hashSeed seeds every hashIndex of the process. Hashes never leave the
// process, and lookups verify what they find, so results do not depend on
// the seed.
var hashSeed = maphash.MakeSeed()

// hashIndex maps byte-string keys to small integers (items or customers)
// through a 64-bit hash of the key, holding no pointer per key: a collector
// scanning the heap skips it, however many million keys it holds. Two keys
// of the same hash share an entry, so callers verify the values found
// against their own key.
type hashIndex struct {
	// m holds the only value of a hash, or -(k+1) when the hash has
	// several, listed in multi[k].
	m     map[uint64]int32
	multi [][]int32
	// seen has a bit set for every hash added, at least eight bits per
	// key: most lookups are of keys that are not there (the digits of a
	// number varied in a typo search), and the bit, in a table a fraction
	// of the map's size, answers those without a walk through the map.
	seen  []uint64
	shift uint
}

func newHashIndex(n int) hashIndex {
	x := hashIndex{m: make(map[uint64]int32, n)}
	x.sizeFilter(n)
	return x
}

// sizeFilter makes the filter of at least 8n bits, refilled from m.
func (x *hashIndex) sizeFilter(n int) {
	bits := uint(12)
	for 1<<bits < 8*n {
		bits++
	}
	x.seen = make([]uint64, 1<<(bits-6))
	x.shift = 64 - bits
	for h := range x.m {
		x.mark(h)
	}
}

func (x *hashIndex) mark(h uint64) {
	b := h >> x.shift
	x.seen[b>>6] |= 1 << (b & 63)
}

func (x *hashIndex) marked(h uint64) bool {
	b := h >> x.shift
	return x.seen[b>>6]&(1<<(b&63)) != 0
}

func hashKey(key []byte) uint64 { return maphash.Bytes(hashSeed, key) }

func (x *hashIndex) add(key []byte, v int32) { x.addHash(hashKey(key), v) }

func (x *hashIndex) addHash(h uint64, v int32) {
	if x.m == nil {
		*x = newHashIndex(0)
	}
	if len(x.m) >= 2*len(x.seen)*64/8 {
		x.sizeFilter(2 * len(x.m))
	}
	x.mark(h)
	old, ok := x.m[h]
	switch {
	case !ok:
		x.m[h] = v
	case old >= 0:
		if old != v {
			x.multi = append(x.multi, []int32{old, v})
			x.m[h] = -int32(len(x.multi))
		}
	default:
		l := &x.multi[-old-1]
		for _, w := range *l {
			if w == v {
				return
			}
		}
		*l = append(*l, v)
	}
}

// remove drops value v from the key's values.
func (x *hashIndex) remove(key []byte, v int32) {
	h := hashKey(key)
	old, ok := x.m[h]
	switch {
	case !ok:
	case old >= 0:
		if old == v {
			delete(x.m, h)
		}
	default:
		l := &x.multi[-old-1]
		for k, w := range *l {
			if w == v {
				*l = append((*l)[:k], (*l)[k+1:]...)
				break
			}
		}
	}
}

// candidates appends the values stored under the key's hash to dst, in the
// order they were added; some may belong to other keys.
func (x *hashIndex) candidates(dst []int32, key []byte) []int32 {
	h := hashKey(key)
	if x.seen == nil || !x.marked(h) {
		return dst
	}
	v, ok := x.m[h]
	switch {
	case !ok:
		return dst
	case v >= 0:
		return append(dst, v)
	}
	return append(dst, x.multi[-v-1]...)
}

// size returns the number of distinct hashes.
func (x *hashIndex) size() int { return len(x.m) }
