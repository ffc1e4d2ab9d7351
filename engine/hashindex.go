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
}

func newHashIndex(n int) hashIndex { return hashIndex{m: make(map[uint64]int32, n)} }

func hashKey(key []byte) uint64 { return maphash.Bytes(hashSeed, key) }

func (x *hashIndex) add(key []byte, v int32) { x.addHash(hashKey(key), v) }

func (x *hashIndex) addHash(h uint64, v int32) {
	if x.m == nil {
		x.m = make(map[uint64]int32)
	}
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
	v, ok := x.m[hashKey(key)]
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
