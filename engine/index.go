package engine

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// numberIndex finds invoices and customers by the numbers payers write.
// It is built once per Matcher and only read while matching. The invoice
// keys, millions of them, are hashed (see itemIndex); the customer keys are
// few and kept as strings.
type numberIndex struct {
	full   itemIndex // NormalizeNumber of the invoice number
	core   itemIndex // the same without letter prefix and leading zeros
	po     itemIndex // purchase order numbers
	poCore itemIndex
	cust   keyIndex // customer numbers
	// custCore finds customer numbers written without their letters.
	custCore keyIndex
}

func newNumberIndex(b *Book) *numberIndex {
	n := len(b.items)
	x := &numberIndex{
		full:   itemIndex{newHashIndex(n), keyFull, b},
		core:   itemIndex{newHashIndex(n), keyCore, b},
		po:     itemIndex{newHashIndex(0), keyPO, b},
		poCore: itemIndex{newHashIndex(0), keyPOCore, b},
		cust:   newKeyIndex(len(b.custs)), custCore: newKeyIndex(len(b.custs)),
	}
	// The invoice numbers by full key, and by core and PO key, are filled
	// side by side.
	var wg sync.WaitGroup
	wg.Go(func() {
		var buf []byte
		for i := range b.items {
			if b.items[i].cust >= 0 {
				if buf = appendNormalized(buf[:0], b.id(int32(i))); len(buf) > 0 {
					x.full.add(buf, int32(i))
				}
			}
		}
	})
	var buf []byte
	for i := range b.items {
		if b.items[i].cust < 0 {
			continue
		}
		buf = appendNormalized(buf[:0], b.id(int32(i)))
		if ck := coreKey(buf); ck != nil {
			x.core.add(ck, int32(i))
		}
		if po := b.po(int32(i)); len(po) > 0 {
			buf = appendNormalized(buf[:0], po)
			if len(buf) > 0 {
				x.po.add(buf, int32(i))
				if ck := coreKey(buf); len(ck) >= 4 {
					x.poCore.add(ck, int32(i))
				}
			}
		}
	}
	wg.Wait()
	for c := range b.custs {
		buf = appendNormalized(buf[:0], string(b.custs[c].c.ID))
		if len(buf) == 0 {
			continue
		}
		x.cust.add(string(buf), int32(c))
		if ck := coreKey(buf); len(ck) >= 3 {
			x.custCore.add(string(ck), int32(c))
		}
	}
	return x
}

// keyKind says which key of an item an itemIndex holds.
type keyKind uint8

const (
	keyFull   keyKind = iota // the normalized invoice number
	keyCore                  // its core (see coreKey)
	keyPO                    // the normalized PO number
	keyPOCore                // its core
)

// itemIndex finds items by a key derived from their numbers, through a
// hashIndex: each hit is checked against the item's own key, so a hash
// shared by two keys never yields the wrong item.
type itemIndex struct {
	hashIndex
	kind keyKind
	book *Book
}

// appendTo appends the items whose key is key to dst.
func (x *itemIndex) appendTo(dst []int32, key []byte) []int32 {
	n := len(dst)
	dst = x.candidates(dst, key)
	kept := dst[:n]
	for _, i := range dst[n:] {
		if x.matches(i, key) {
			kept = append(kept, i)
		}
	}
	return kept
}

func (x *itemIndex) matches(i int32, key []byte) bool {
	var buf [64]byte
	var own []byte
	switch x.kind {
	case keyFull, keyCore:
		own = appendNormalized(buf[:0], x.book.id(i))
	default:
		own = appendNormalized(buf[:0], x.book.po(i))
	}
	if x.kind == keyCore || x.kind == keyPOCore {
		own = coreKey(own)
	}
	return string(own) == string(key)
}

// accountKey normalizes a bank account for lookup: letters and digits only,
// upper case, leading zeros dropped ("DE89 3704 ..." and "de893704..." are
// the same account; so are "000123456" and "123456").
func accountKey(dst []byte, s string) []byte {
	dst = appendNormalized(dst[:0], s)
	i := 0
	for i < len(dst) && dst[i] == '0' {
		i++
	}
	return dst[i:]
}

// newAccountIndex maps the customers' known bank accounts to customers.
func newAccountIndex(b *Book) keyIndex {
	x := newKeyIndex(len(b.custs))
	var buf []byte
	for c := range b.custs {
		for _, a := range b.custs[c].c.Accounts {
			if k := accountKey(buf, a); len(k) >= 4 {
				x.add(string(k), int32(c))
			}
		}
	}
	return x
}

// nameIndex finds customers by a payer name without comparing it with every
// customer: first through the words of the names (a word cut short by the
// bank is looked up as a prefix), and, when no name shares enough words,
// through the trigrams of the names run together, which forgive typing
// errors and words run together.
type nameIndex struct {
	entries []nameEntry
	exact   keyIndex
	words   map[string][]int32
	vocab   []string // the words, sorted, for prefix lookups
	grams   map[uint32][]int32
}

type nameEntry struct {
	cust  int32
	form  nameForm
	grams int32 // number of distinct trigrams
	alias bool
}

// nameHit is a customer whose name or alias resembles the payer's.
type nameHit struct {
	cust  int32
	sim   int // thousandths
	alias bool
}

func newNameIndex(b *Book) *nameIndex {
	x := &nameIndex{exact: newKeyIndex(len(b.custs)), words: make(map[string][]int32),
		grams: make(map[uint32][]int32)}
	for c := range b.custs {
		x.add(int32(c), b.custs[c].c.Name, false)
		for _, a := range b.custs[c].c.Aliases {
			x.add(int32(c), a, true)
		}
	}
	x.vocab = make([]string, 0, len(x.words))
	for w := range x.words {
		x.vocab = append(x.vocab, w)
	}
	slices.Sort(x.vocab)
	return x
}

func (x *nameIndex) add(cust int32, name string, alias bool) {
	f := newNameForm(name, alias)
	if f.compact == "" {
		return
	}
	e := int32(len(x.entries))
	var seen []uint32
	eachGram(f.compact, func(g uint32) {
		if slices.Contains(seen, g) {
			return
		}
		seen = append(seen, g)
		x.grams[g] = append(x.grams[g], e)
	})
	for k, w := range f.words {
		if !slices.Contains(f.words[:k], w) {
			x.words[w] = append(x.words[w], e)
		}
	}
	x.entries = append(x.entries, nameEntry{cust: cust, form: f, grams: int32(len(seen)), alias: alias})
	x.exact.add(f.compact, e)
}

// eachGram calls fn with every trigram of s framed by start and end marks.
func eachGram(s string, fn func(uint32)) {
	prev2, prev1 := uint32(1), uint32(1)
	for i := 0; i <= len(s); i++ {
		c := uint32(2)
		if i < len(s) {
			c = uint32(s[i])
		}
		if i > 0 || len(s) == 0 {
			fn(prev2<<16 | prev1<<8 | c)
		}
		prev2, prev1 = prev1, c
	}
}

// nameScratch holds a worker's counters for name searches.
type nameScratch struct {
	counts  []uint16
	touched []int32
	grams   []gramPosting
	best    []scored
	hits    []nameHit
}

type gramPosting struct {
	g uint32
	n int
}

type scored struct {
	entry int32
	score int
}

// Bounds of a name search: names compared in full, and postings read.
const (
	maxCandidates = 8
	maxPostings   = 2000
)

// search returns the customers whose names resemble q, most similar first,
// at most limit of them and only those at least minSim similar.
func (x *nameIndex) search(q *nameForm, s *nameScratch, minSim, limit int) []nameHit {
	if q.compact == "" || len(x.entries) == 0 {
		return nil
	}
	if len(s.counts) < len(x.entries) {
		s.counts = make([]uint16, len(x.entries))
	}
	s.hits = s.hits[:0]
	var exact []int32
	for _, e := range x.exact.appendTo(exact, []byte(q.compact)) {
		x.keep(s, e, 1000)
	}
	x.byWords(q, s, minSim)
	if len(s.hits) == 0 || s.hits[0].sim < identifyName {
		x.byGrams(q, s, minSim)
	}
	slices.SortFunc(s.hits, func(a, b nameHit) int {
		if a.sim != b.sim {
			return b.sim - a.sim
		}
		return int(a.cust - b.cust)
	})
	n := min(limit, len(s.hits))
	return slices.Clone(s.hits[:n])
}

// keep records entry e at similarity sim, the best per customer.
func (x *nameIndex) keep(s *nameScratch, e int32, sim int) {
	ent := &x.entries[e]
	for k := range s.hits {
		if s.hits[k].cust == ent.cust {
			if sim > s.hits[k].sim {
				s.hits[k].sim, s.hits[k].alias = sim, ent.alias
			}
			return
		}
	}
	s.hits = append(s.hits, nameHit{cust: ent.cust, sim: sim, alias: ent.alias})
}

// byWords compares q with the names that share its words: each word looked
// up as is, the last also as the start of a longer word. A name missing at
// most one of the words holds at least two of the three rarest, so only
// the postings of those three are read.
func (x *nameIndex) byWords(q *nameForm, s *nameScratch, minSim int) {
	type wordList struct {
		word   string
		prefix bool
		n      int
	}
	var lists [12]wordList
	n := min(len(q.words), len(lists))
	for k, w := range q.words[:n] {
		l := wordList{word: w, n: len(x.words[w])}
		if k == n-1 && len(w) >= 3 {
			l.prefix, l.n = true, 0
			lo, _ := slices.BinarySearch(x.vocab, w)
			for i := lo; i < len(x.vocab) && strings.HasPrefix(x.vocab[i], w); i++ {
				l.n += len(x.words[x.vocab[i]])
			}
		}
		lists[k] = l
	}
	rare := lists[:n]
	slices.SortFunc(rare, func(a, b wordList) int { return a.n - b.n })
	rare = rare[:min(3, n)]
	need := min(len(rare), max(1, len(rare)-1))
	if n == 2 {
		need = 2
	}
	read := 0
	mark := func(list []int32, bit uint16) {
		for _, e := range list {
			if s.counts[e] == 0 {
				s.touched = append(s.touched, e)
			}
			s.counts[e] |= bit
		}
		read += len(list)
	}
	for k, l := range rare {
		if read+l.n > maxPostings && k > 0 {
			break
		}
		bit := uint16(1) << k
		if !l.prefix {
			mark(x.words[l.word], bit)
			continue
		}
		lo, _ := slices.BinarySearch(x.vocab, l.word)
		for i := lo; i < len(x.vocab) && strings.HasPrefix(x.vocab[i], l.word); i++ {
			mark(x.words[x.vocab[i]], bit)
		}
	}
	s.best = s.best[:0]
	for _, e := range s.touched {
		shared := bits.OnesCount16(s.counts[e])
		s.counts[e] = 0
		if shared >= need {
			s.best = insertTop(s.best, scored{e, shared*100 - len(x.entries[e].form.words)}, maxCandidates)
		}
	}
	s.touched = s.touched[:0]
	for _, c := range s.best {
		if sim := nameSimilarity(q, &x.entries[c.entry].form); sim >= minSim {
			x.keep(s, c.entry, sim)
		}
	}
}

// byGrams compares q with the names that share the most of its rarest
// trigrams, reading at most maxPostings postings.
func (x *nameIndex) byGrams(q *nameForm, s *nameScratch, minSim int) {
	s.grams = s.grams[:0]
	eachGram(q.compact, func(g uint32) {
		for _, p := range s.grams {
			if p.g == g {
				return
			}
		}
		s.grams = append(s.grams, gramPosting{g, len(x.grams[g])})
	})
	slices.SortFunc(s.grams, func(a, b gramPosting) int { return a.n - b.n })
	read, used := 0, 0
	for _, p := range s.grams {
		if p.n == 0 {
			continue
		}
		if read+p.n > maxPostings && used >= 3 {
			break
		}
		used++
		read += p.n
		for _, e := range x.grams[p.g] {
			if s.counts[e] == 0 {
				s.touched = append(s.touched, e)
			}
			s.counts[e]++
		}
	}

	// Keep the entries with the best Dice coefficient over trigrams, then
	// compare those in full.
	s.best = s.best[:0]
	nq := len(s.grams)
	for _, e := range s.touched {
		shared := int(s.counts[e])
		s.counts[e] = 0
		if shared*3 < used {
			continue
		}
		dice := 2000 * shared / (nq + int(x.entries[e].grams))
		s.best = insertTop(s.best, scored{e, dice}, maxCandidates)
	}
	s.touched = s.touched[:0]
	for _, c := range s.best {
		if sim := nameSimilarity(q, &x.entries[c.entry].form); sim >= minSim {
			x.keep(s, c.entry, sim)
		}
	}
}

// insertTop inserts c into best, kept sorted by score (then entry) and at
// most n long.
func insertTop(best []scored, c scored, n int) []scored {
	if len(best) == n {
		last := best[n-1]
		if c.score < last.score || (c.score == last.score && c.entry > last.entry) {
			return best
		}
		best = best[:n-1]
	}
	i, _ := slices.BinarySearchFunc(best, c, func(a, b scored) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return int(a.entry - b.entry)
	})
	return slices.Insert(best, i, c)
}

// amountIndex finds open items by open amount and currency, for payments
// whose payer is not known. Entries are added when an open amount appears
// and never removed: a lookup checks the item's current open amount.
type amountIndex struct {
	m     map[amountKey]int32
	multi [][]int32
}

type amountKey struct {
	units int64
	cur   uint16
}

func newAmountIndex(b *Book) *amountIndex {
	x := &amountIndex{m: make(map[amountKey]int32, len(b.items))}
	for i := range b.items {
		if it := &b.items[i]; it.cust >= 0 && it.open > 0 {
			x.add(amountKey{it.open, it.cur}, int32(i))
		}
	}
	return x
}

func (x *amountIndex) add(k amountKey, item int32) {
	old, ok := x.m[k]
	switch {
	case !ok:
		x.m[k] = item
	case old >= 0:
		if old != item {
			x.multi = append(x.multi, []int32{old, item})
			x.m[k] = -int32(len(x.multi))
		}
	default:
		l := &x.multi[-old-1]
		if !slices.Contains(*l, item) {
			*l = append(*l, item)
		}
	}
}

func (x *amountIndex) appendTo(dst []int32, k amountKey) []int32 {
	v, ok := x.m[k]
	switch {
	case !ok:
		return dst
	case v >= 0:
		return append(dst, v)
	}
	return append(dst, x.multi[-v-1]...)
}
