package bench

import "math/rand/v2"

// rng is the generator's one source of randomness. Every draw comes from it
// in a fixed order, so a seed determines the whole set.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// intn returns a number in [0, n).
func (g *rng) intn(n int) int { return g.r.IntN(n) }

// between returns a number in [lo, hi].
func (g *rng) between(lo, hi int64) int64 { return lo + g.r.Int64N(hi-lo+1) }

// chance reports true with probability perMille/1000.
func (g *rng) chance(perMille int) bool { return g.r.IntN(1000) < perMille }

// pick returns an index drawn with the given weights.
func (g *rng) pick(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// skewed returns a number in [0, n) where small numbers come more often, so
// that a few customers hold many invoices.
func (g *rng) skewed(n int) int { return min(g.r.IntN(n), g.r.IntN(n)) }
