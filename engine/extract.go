package engine

import (
	"cmp"
	"slices"
	"strings"
)

// How a reference was found; the order is from strongest to weakest
// evidence, and strength gives each its weight.
type hitHow uint8

const (
	hitStructured     hitHow = iota // a structured reference equal to the invoice number
	hitStructuredCore               // a structured reference equal but for prefix or zeros
	hitRF                           // an ISO 11649 reference whose body is the number
	hitText                         // the number as written in free text
	hitTextCore                     // free text, prefix changed or dropped, zeros dropped
	hitSpaced                       // free text with blanks inside the number
	hitWrapped                      // free text wrapped onto the next line
	hitListed                       // a bare number in a list after a prefixed one
	hitRange                        // inside a range such as "INV-100 TO 104"
	hitPO                           // the purchase order number of the invoice
	hitShort                        // a short number (under four significant digits)
	hitTypo                         // one digit wrong or two swapped
)

var hitStrength = [...]int{
	hitStructured: 60, hitStructuredCore: 46, hitRF: 55, hitText: 52, hitTextCore: 40,
	hitSpaced: 44, hitWrapped: 38, hitListed: 40, hitRange: 30, hitPO: 28, hitShort: 12,
	hitTypo: 8,
}

// strong reports whether a hit is good enough to identify the payer.
func (h hitHow) strong() bool { return hitStrength[h] >= hitStrength[hitRange] }

// refHit is an invoice the remittance names.
type refHit struct {
	item int32
	how  hitHow
	// ref is the index of the structured reference that named the invoice,
	// or -1 for free text.
	ref int16
	// text is the reference as the payer wrote it.
	text string
	// pos orders the hits of free text as they were written.
	pos int32
}

// atom is a run of ASCII letters and digits in remittance text.
type atom struct {
	line       int32
	start, end int32 // byte offsets in the line
	sep        sepKind
	sepChar    byte // the separator when it was a single punctuation character
	digits     bool // only digits
	masked     bool // part of an amount, a date or a currency figure
}

// sepKind classifies what stands between two atoms.
type sepKind uint8

const (
	sepStart sepKind = iota // the first atom
	sepTight                // punctuation only, as inside "INV-0012345"
	sepSpace                // blanks, possibly with punctuation
	sepLine                 // a line break between two alphanumeric characters
	sepList                 // a list separator (, ; & +) or a line break after punctuation
)

// extractor finds the references of one payment. Each worker has its own;
// its buffers are reused from payment to payment.
type extractor struct {
	ix    *numberIndex
	atoms []atom
	lines []string
	key   []byte
	found []int32
	cands []hitCand
	taken []bool
}

type hitCand struct {
	item     int32
	how      hitHow
	from, to int32 // atom span, inclusive
}

// words that say what kind of number follows.
var (
	poWords       = []string{"PO", "PURCHASE", "ORDER", "ORD"}
	customerWords = []string{"CUST", "CUSTOMER", "CUSTNO", "CID", "CLIENT", "KDNR", "KUNDE"}
	amountWords   = []string{"AMT", "AMOUNT", "TOTAL", "SUM", "USD", "EUR", "GBP", "CHF", "CAD",
		"JPY", "AUD", "SEK", "NOK", "DKK", "PLN", "MXN", "BAL", "BALANCE", "PAID", "DUE"}
	rangeWords = []string{"TO", "THRU", "THROUGH", "TILL", "UNTIL", "BIS"}
)

// textHits appends the invoices named in free text lines to hits.
func (e *extractor) textHits(hits []refHit, lines []string, ref int16) []refHit {
	e.scan(lines)
	if len(e.atoms) == 0 {
		return hits
	}
	e.cands = e.cands[:0]
	var prefix []byte
	for i := range e.atoms {
		a := &e.atoms[i]
		if a.masked {
			continue
		}
		for n := 3; n >= 1; n-- {
			if e.joinable(i, n) {
				e.lookupRun(i, n)
			}
		}
		// A bare number in a list after "INV-100," borrows its prefix.
		if a.digits && prefix != nil && i > 0 && e.atoms[i].sep >= sepSpace {
			e.key = append(append(e.key[:0], prefix...), e.atomText(i)...)
			e.addFound(e.ix.full.appendTo(e.found[:0], e.key), hitListed, int32(i), int32(i))
		}
		if p := e.prefixOf(i); p != nil {
			prefix = p
		}
		e.rangeAt(i, prefix)
	}
	return e.resolve(hits, ref)
}

// scan splits lines into atoms and marks amounts and dates.
func (e *extractor) scan(lines []string) {
	e.atoms = e.atoms[:0]
	e.lines = lines
	for li, line := range lines {
		sep, sepChar, nsep := sepList, byte(0), 2
		if li > 0 && wraps(lines[li-1], line) {
			sep = sepLine
		}
		for i := 0; i < len(line); {
			c := line[i]
			if upperAlnum(c) == 0 {
				sep = max(sep, sepClass(c))
				sepChar = c
				nsep++
				i++
				continue
			}
			j, digits := i, true
			for j < len(line) && upperAlnum(line[j]) != 0 {
				digits = digits && isDigit(line[j])
				j++
			}
			a := atom{line: int32(li), start: int32(i), end: int32(j), sep: sep, digits: digits}
			if len(e.atoms) == 0 {
				a.sep = sepStart
			}
			if nsep == 1 {
				a.sepChar = sepChar
			}
			e.atoms = append(e.atoms, a)
			sep, sepChar, nsep = sepStart, 0, 0
			i = j
		}
	}
	e.maskFigures()
}

// wraps reports whether line continues prev in the middle of a word: prev
// ends and line starts with a letter or digit.
func wraps(prev, line string) bool {
	return len(prev) > 0 && len(line) > 0 && upperAlnum(prev[len(prev)-1]) != 0 && upperAlnum(line[0]) != 0
}

func sepClass(c byte) sepKind {
	switch c {
	case ',', ';', '&', '+', '|':
		return sepList
	case '-', '/', '.', '_', '#', ':', '\\':
		return sepTight
	}
	return sepSpace
}

func (e *extractor) atomText(i int) string {
	a := &e.atoms[i]
	return e.lines[a.line][a.start:a.end]
}

// maskFigures marks atoms that form amounts ("1,234.50", "1234.50"), dates
// ("2026-11-03", "11/03/2026") and figures after an amount word, so that
// their digits are never taken for invoice numbers.
func (e *extractor) maskFigures() {
	n := len(e.atoms)
	dlen := func(i int) int {
		if i >= n || !e.atoms[i].digits {
			return 0
		}
		return int(e.atoms[i].end - e.atoms[i].start)
	}
	joined := func(i int, c byte) bool {
		return i < n && e.atoms[i].sep == sepTight && e.atoms[i].sepChar == c
	}
	for i := 0; i < n; i++ {
		l := dlen(i)
		if l == 0 {
			if isWord(e.atomText(i), amountWords) && i+1 < n && e.atoms[i+1].digits &&
				e.atoms[i+1].sep <= sepSpace {
				e.maskRun(i+1, e.figureEnd(i+1))
			}
			continue
		}
		// Thousands groups and decimals: 1,234,567.89 or 1234.50 or 1234,50.
		j := i
		for l <= 3 && joined(j+1, ',') && dlen(j+1) == 3 {
			j++
		}
		if (joined(j+1, '.') || joined(j+1, ',')) && dlen(j+1) == 2 && (j+2 >= n || !joined(j+2, '.')) {
			e.maskRun(i, j+1)
			i = j + 1
			continue
		}
		if j > i {
			e.maskRun(i, j)
			i = j
			continue
		}
		// Dates.
		if l == 4 && joined(i+1, '-') && dlen(i+1) == 2 && joined(i+2, '-') && dlen(i+2) == 2 {
			e.maskRun(i, i+2)
			i += 2
			continue
		}
		if l <= 2 {
			for _, c := range []byte{'/', '.', '-'} {
				if joined(i+1, c) && dlen(i+1) <= 2 && dlen(i+1) > 0 && joined(i+2, c) &&
					(dlen(i+2) == 2 || dlen(i+2) == 4) {
					e.maskRun(i, i+2)
					i += 2
					break
				}
			}
		}
	}
}

// figureEnd returns the last atom of the figure that starts at atom i.
func (e *extractor) figureEnd(i int) int {
	j := i
	for j+1 < len(e.atoms) && e.atoms[j+1].digits && e.atoms[j+1].sep == sepTight &&
		(e.atoms[j+1].sepChar == ',' || e.atoms[j+1].sepChar == '.') {
		j++
	}
	return j
}

func (e *extractor) maskRun(from, to int) {
	for k := from; k <= to && k < len(e.atoms); k++ {
		e.atoms[k].masked = true
	}
}

func isWord(s string, words []string) bool {
	if len(s) > 10 {
		return false
	}
	var buf [10]byte
	for i := 0; i < len(s); i++ {
		buf[i] = upperAlnum(s[i])
	}
	return slices.Contains(words, string(buf[:len(s)]))
}

// joinable reports whether atoms i..i+n-1 may form one number: no list
// separator or masked atom inside, and digits in every atom after the first.
func (e *extractor) joinable(i, n int) bool {
	if i+n > len(e.atoms) {
		return false
	}
	for k := i + 1; k < i+n; k++ {
		a := &e.atoms[k]
		if a.masked || a.sep == sepList || !hasDigit(e.atomText(k)) {
			return false
		}
	}
	if n > 1 && e.atoms[i].digits && e.atoms[i+1].sep == sepSpace && e.atoms[i+1].end-e.atoms[i+1].start < 2 {
		// "12345 6" is a number followed by a count, not a number.
		return false
	}
	return true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// lookupRun looks atoms i..i+n-1 up as one number and records the
// candidates it finds.
func (e *extractor) lookupRun(i, n int) {
	e.key = e.key[:0]
	worst := sepTight
	for k := i; k < i+n; k++ {
		if k > i {
			worst = max(worst, e.atoms[k].sep)
		}
		e.key = appendNormalized(e.key, e.atomText(k))
	}
	if !hasDigitBytes(e.key) || len(e.key) > 40 {
		return
	}
	from, to := int32(i), int32(i+n-1)
	exact, core := hitText, hitTextCore
	switch worst {
	case sepSpace:
		exact, core = hitSpaced, hitSpaced
	case sepLine:
		exact, core = hitWrapped, hitWrapped
	}
	hinted := e.hint(i)
	// A word joined to a number adds nothing to the number's core: that is
	// the lookup of the number alone.
	coreToo := n == 1 || hasDigit(e.atomText(i))
	if hinted != hintPO {
		e.addFound(e.ix.full.appendTo(e.found[:0], e.key), exact, from, to)
		if ck := coreKey(e.key); ck != nil && coreToo {
			how := core
			if len(ck) < 4 || hinted == hintCustomer {
				how = hitShort
			}
			e.addFound(e.ix.core.appendTo(e.found[:0], ck), how, from, to)
		}
	}
	e.addFound(e.ix.po.appendTo(e.found[:0], e.key), hitPO, from, to)
	if ck := coreKey(e.key); len(ck) >= 4 && hinted == hintPO {
		e.addFound(e.ix.poCore.appendTo(e.found[:0], ck), hitPO, from, to)
	}
}

func hasDigitBytes(b []byte) bool {
	for _, c := range b {
		if isDigit(c) {
			return true
		}
	}
	return false
}

type hint uint8

const (
	hintNone hint = iota
	hintPO
	hintCustomer
)

// hint reads the word before atom i: "PO 12345" is a purchase order,
// "CUST 1001" a customer number.
func (e *extractor) hint(i int) hint {
	if !e.atoms[i].digits || i == 0 {
		return hintNone
	}
	w := e.atomText(i - 1)
	switch {
	case isWord(w, poWords):
		return hintPO
	case isWord(w, customerWords):
		return hintCustomer
	case w == "O" || w == "o":
		if i >= 2 && (e.atomText(i-2) == "P" || e.atomText(i-2) == "p") {
			return hintPO
		}
	}
	return hintNone
}

// prefixOf returns the letters that prefix the number at atom i ("INV" of
// "INV-100"), or nil.
func (e *extractor) prefixOf(i int) []byte {
	if i == 0 || !e.atoms[i].digits || e.atoms[i].sep > sepSpace {
		return nil
	}
	p := e.atomText(i - 1)
	if hasDigit(p) || len(p) > 8 {
		return nil
	}
	return appendNormalized(nil, p)
}

// rangeAt expands "100-104", "100 TO 104", "INV-100 THRU INV-104" and
// "12345-48" starting at atom i into the numbers between the ends.
func (e *extractor) rangeAt(i int, prefix []byte) {
	a := &e.atoms[i]
	if !a.digits || a.masked {
		return
	}
	j := i + 1
	switch {
	case j < len(e.atoms) && e.atoms[j].sep == sepTight && e.atoms[j].sepChar == '-':
	case j < len(e.atoms) && e.atoms[j].sep == sepSpace && isWord(e.atomText(j), rangeWords):
		j++
	default:
		return
	}
	if j < len(e.atoms) && !e.atoms[j].digits && prefix != nil && NormalizeNumber(e.atomText(j)) == string(prefix) {
		j++
	}
	if j >= len(e.atoms) || !e.atoms[j].digits || e.atoms[j].masked {
		return
	}
	lo, hi := e.atomText(i), e.atomText(j)
	if len(hi) < len(lo) {
		hi = lo[:len(lo)-len(hi)] + hi
	}
	if len(lo) > 18 || len(hi) != len(lo) {
		return
	}
	from, to := parseDigits(lo), parseDigits(hi)
	if to-from < 2 || to-from > 50 {
		return
	}
	for v := from + 1; v <= to; v++ {
		e.key = append(e.key[:0], prefix...)
		e.key = appendPadded(e.key, v, len(lo))
		before := len(e.cands)
		e.addFound(e.ix.full.appendTo(e.found[:0], e.key), hitRange, int32(i), int32(j))
		if len(e.cands) == before {
			if ck := coreKey(e.key); len(ck) >= 4 {
				e.addFound(e.ix.core.appendTo(e.found[:0], ck), hitRange, int32(i), int32(j))
			}
		}
	}
}

func parseDigits(s string) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(dst []byte, v int64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for v > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	for pad := width - (len(buf) - i); pad > 0; pad-- {
		dst = append(dst, '0')
	}
	return append(dst, buf[i:]...)
}

func (e *extractor) addFound(items []int32, how hitHow, from, to int32) {
	for _, it := range items {
		e.cands = append(e.cands, hitCand{item: it, how: how, from: from, to: to})
	}
	e.found = items[:0]
}

// resolve keeps the best reading of each stretch of text: among candidates
// that share atoms, the strongest (then the longest) wins, so "INV-0012"
// wrapped before "345" is read as INV-0012345 and a number is never also
// read as a shorter one inside it. Range members never overlap their ends.
func (e *extractor) resolve(hits []refHit, ref int16) []refHit {
	slices.SortStableFunc(e.cands, func(x, y hitCand) int {
		if d := hitStrength[y.how] - hitStrength[x.how]; d != 0 {
			return d
		}
		if d := (y.to - y.from) - (x.to - x.from); d != 0 {
			return int(d)
		}
		return int(x.from - y.from)
	})
	start := len(hits)
	defer func() {
		added := hits[start:]
		slices.SortStableFunc(added, func(x, y refHit) int { return cmp.Compare(x.pos, y.pos) })
	}()
	e.taken = slices.Grow(e.taken[:0], len(e.atoms))[:len(e.atoms)]
	clear(e.taken)
	var claimedFrom, claimedTo int32 = -1, -1
	for _, c := range e.cands {
		if c.how != hitRange {
			free := true
			for k := c.from; k <= c.to; k++ {
				if e.taken[k] {
					free = false
					break
				}
			}
			if !free {
				// Another reading of exactly the same atoms by the same
				// strength is kept: one number, several invoices.
				if c.from != claimedFrom || c.to != claimedTo {
					continue
				}
			}
			for k := c.from; k <= c.to; k++ {
				e.taken[k] = true
			}
			claimedFrom, claimedTo = c.from, c.to
		}
		hits = appendHit(hits, refHit{item: c.item, how: c.how, ref: ref, text: e.spanText(c.from, c.to), pos: c.from})
	}
	return hits
}

// spanText returns the text of atoms from..to as written.
func (e *extractor) spanText(from, to int32) string {
	a, b := &e.atoms[from], &e.atoms[to]
	if a.line == b.line {
		return e.lines[a.line][a.start:b.end]
	}
	return e.lines[a.line][a.start:] + " / " + e.lines[b.line][:b.end]
}

// appendHit adds h unless the invoice is already there; a stronger reading
// replaces a weaker one.
func appendHit(hits []refHit, h refHit) []refHit {
	for k := range hits {
		if hits[k].item == h.item {
			if hitStrength[h.how] > hitStrength[hits[k].how] {
				hits[k] = h
			}
			return hits
		}
	}
	return append(hits, h)
}

// unmatchedNumbers returns the number-like words of the text that named no
// invoice: candidates for a typo search.
func (e *extractor) unmatchedNumbers(dst []string) []string {
	for i := 0; i < len(e.atoms); {
		j := i
		for j+1 < len(e.atoms) && e.atoms[j+1].sep == sepTight {
			j++
		}
		used, masked := false, false
		for k := i; k <= j; k++ {
			used = used || e.taken[k]
			masked = masked || e.atoms[k].masked
		}
		if !used && !masked {
			e.key = e.key[:0]
			for k := i; k <= j; k++ {
				e.key = appendNormalized(e.key, e.atomText(k))
			}
			if n := countDigits(e.key); n >= 4 && len(e.key) <= 24 {
				dst = append(dst, string(e.key))
			}
		}
		i = j + 1
	}
	return dst
}

func countDigits(b []byte) int {
	n := 0
	for _, c := range b {
		if isDigit(c) {
			n++
		}
	}
	return n
}

// structuredHits appends the invoices named by structured references.
func (e *extractor) structuredHits(hits []refHit, refs []Reference) []refHit {
	for ri := range refs {
		r := &refs[ri]
		e.key = appendNormalized(e.key[:0], r.Value)
		if len(e.key) == 0 || len(e.key) > 60 {
			continue
		}
		ref := int16(min(ri, 1<<15-1))
		if validRF(e.key) {
			body := e.key[4:]
			n := len(hits)
			for _, it := range e.ix.full.appendTo(e.found[:0], body) {
				hits = appendHit(hits, refHit{item: it, how: hitRF, ref: ref, text: r.Value})
			}
			if len(hits) == n {
				if ck := coreKey(body); len(ck) >= 4 {
					for _, it := range e.ix.core.appendTo(e.found[:0], ck) {
						hits = appendHit(hits, refHit{item: it, how: hitRF, ref: ref, text: r.Value})
					}
				}
			}
			continue
		}
		if r.Kind == RefPO {
			for _, it := range e.ix.po.appendTo(e.found[:0], e.key) {
				hits = appendHit(hits, refHit{item: it, how: hitPO, ref: ref, text: r.Value})
			}
			continue
		}
		if r.Kind == RefCustomer {
			continue
		}
		n := len(hits)
		for _, it := range e.ix.full.appendTo(e.found[:0], e.key) {
			hits = appendHit(hits, refHit{item: it, how: hitStructured, ref: ref, text: r.Value})
		}
		if len(hits) == n {
			if ck := coreKey(e.key); ck != nil {
				how := hitStructuredCore
				if len(ck) < 4 {
					how = hitShort
				}
				for _, it := range e.ix.core.appendTo(e.found[:0], ck) {
					hits = appendHit(hits, refHit{item: it, how: how, ref: ref, text: r.Value})
				}
			}
		}
		if len(hits) == n && strings.ContainsAny(r.Value, " ,;") {
			hits = e.textHits(hits, []string{r.Value}, ref)
		}
	}
	return hits
}

// textRF appends invoices named by ISO 11649 references written in free
// text, in the paper form "RF18 5390 0754 7034" or electronic form.
func (e *extractor) textRF(hits []refHit) []refHit {
	for i := range e.atoms {
		t := e.atomText(i)
		if len(t) < 4 || (t[0] != 'R' && t[0] != 'r') || (t[1] != 'F' && t[1] != 'f') || !isDigit(t[2]) || !isDigit(t[3]) {
			continue
		}
		e.key = appendNormalized(e.key[:0], t)
		last, end := len(t), i
		for j := i + 1; j < len(e.atoms) && last == 4 && e.atoms[j].sep == sepSpace && len(e.key) < 25; j++ {
			t = e.atomText(j)
			if len(t) > 4 {
				break
			}
			e.key = appendNormalized(e.key, t)
			last, end = len(t), j
		}
		if !validRF(e.key) {
			continue
		}
		body := e.key[4:]
		text := e.spanText(int32(i), int32(end))
		for _, it := range e.ix.full.appendTo(e.found[:0], body) {
			hits = appendHit(hits, refHit{item: it, how: hitRF, ref: -1, text: text})
		}
		if ck := coreKey(body); len(ck) >= 4 {
			for _, it := range e.ix.core.appendTo(e.found[:0], ck) {
				hits = appendHit(hits, refHit{item: it, how: hitRF, ref: -1, text: text})
			}
		}
	}
	return hits
}

// customerRefs returns the customers named by customer-number references
// and in the text: a number with letters such as "C1001" or "C-1001", or any
// number after a word such as "CUST".
func (e *extractor) customerRefs(dst []int32, refs []Reference) []int32 {
	for _, r := range refs {
		if r.Kind == RefCustomer {
			e.key = appendNormalized(e.key[:0], r.Value)
			dst = appendUnique(dst, e.ix.cust.appendTo(e.found[:0], e.key)...)
		}
	}
	for i := range e.atoms {
		a := &e.atoms[i]
		if a.masked || !hasDigit(e.atomText(i)) {
			continue
		}
		hinted := e.hint(i) == hintCustomer
		e.key = appendNormalized(e.key[:0], e.atomText(i))
		if hinted || !a.digits {
			dst = appendUnique(dst, e.ix.cust.appendTo(e.found[:0], e.key)...)
		}
		if i > 0 && a.digits && a.sep == sepTight && !e.atoms[i-1].digits {
			e.key = appendNormalized(appendNormalized(e.key[:0], e.atomText(i-1)), e.atomText(i))
			dst = appendUnique(dst, e.ix.cust.appendTo(e.found[:0], e.key)...)
		}
		if hinted {
			e.key = appendNormalized(e.key[:0], e.atomText(i))
			if ck := coreKey(e.key); ck != nil {
				dst = appendUnique(dst, e.ix.custCore.appendTo(e.found[:0], ck)...)
			}
		}
	}
	return dst
}

func appendUnique(dst []int32, vs ...int32) []int32 {
	for _, v := range vs {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// maxTypoWords bounds the words a typo search varies.
const maxTypoWords = 4

// typoHits returns the invoices that keep(item) accepts and whose numbers
// differ from one of the words by one wrong digit or two swapped
// neighbours. A word with more than three such invoices says nothing and is
// skipped.
func (e *extractor) typoHits(hits []refHit, words []string, keep func(item int32) bool) []refHit {
	for n, w := range words {
		if n == maxTypoWords {
			break
		}
		e.found = e.found[:0]
		// A number with a prefix is varied in its core only: an invoice
		// whose full number matches also matches by core.
		k := append(e.key[:0], w...)
		idx := &e.ix.full
		if ck := coreKey(k); len(ck) >= 4 {
			k, idx = append(k[:0], ck...), &e.ix.core
		}
		probe := func() { e.found = idx.appendTo(e.found, k) }
		for i := range k {
			if !isDigit(k[i]) {
				continue
			}
			orig := k[i]
			for d := byte('0'); d <= '9'; d++ {
				if d != orig {
					k[i] = d
					probe()
				}
			}
			k[i] = orig
		}
		for i := 0; i+1 < len(k); i++ {
			if k[i] != k[i+1] && isDigit(k[i]) && isDigit(k[i+1]) {
				k[i], k[i+1] = k[i+1], k[i]
				probe()
				k[i], k[i+1] = k[i+1], k[i]
			}
		}
		e.key = k
		slices.Sort(e.found)
		e.found = slices.Compact(e.found)
		if keep != nil {
			e.found = slices.DeleteFunc(e.found, func(it int32) bool { return !keep(it) })
		}
		if len(e.found) > 3 {
			continue
		}
		for _, it := range e.found {
			hits = appendHit(hits, refHit{item: it, how: hitTypo, ref: -1, text: w})
		}
	}
	return hits
}
