package bench

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// achSEC returns the standard entry class a payment travels in: CTX when it
// carries an 820 with several documents or stated discounts, CCD (with one
// addenda: CCD+) otherwise.
func achSEC(pm *payment) string {
	if len(pm.docs) > 1 {
		return "CTX"
	}
	for _, d := range pm.docs {
		if d.due != 0 || d.discount != 0 {
			return "CTX"
		}
	}
	return "CCD"
}

// achBatch is the entries of one originator and class, in file order.
type achBatch struct {
	sec      string
	company  string
	name     string
	odfi     string
	returns  bool
	payments []*payment
}

// achWriter writes one NACHA file of credits to our account: a batch per
// originating customer and class, then batches of returns.
type achWriter struct {
	w       *bufio.Writer
	g       *rng
	date    engine.Date
	records int
	entries int // entries and addenda in the file
	hash    int64
	credit  int64
	trace   int
	emit    func(*payment, string)
}

// groupACH puts the payments in batches, keeping the order in which each
// originator first appears and, within a batch, the payments' order.
func groupACH(ps []*payment) []*achBatch {
	var batches []*achBatch
	index := map[string]*achBatch{}
	for _, pm := range ps {
		b := &achBatch{sec: achSEC(pm), company: pm.payerID, odfi: pm.payerBank[:8],
			name: pm.payerName, returns: pm.kind == Return}
		if b.returns {
			b.sec, b.odfi = "CCD", ourRouting[:8]
		}
		key := fmt.Sprint(b.returns, b.sec, b.company, b.odfi)
		if have, ok := index[key]; ok {
			b = have
		} else {
			index[key] = b
			batches = append(batches, b)
		}
		b.payments = append(b.payments, pm)
	}
	// Returns come after every batch of credits.
	var out []*achBatch
	for _, returns := range []bool{false, true} {
		for _, b := range batches {
			if b.returns == returns {
				out = append(out, b)
			}
		}
	}
	return out
}

func writeACH(w *bufio.Writer, g *rng, date engine.Date, ps []*payment, emit func(*payment, string)) error {
	a := &achWriter{w: w, g: g, date: date, emit: emit}
	a.record(fmt.Sprintf("101 %s %s%s0600A094101%-23s%-23s%-8s",
		ourRouting, fedRouting, yymmdd(date), "CASHMATCH BANK NA", "FEDERAL RESERVE BANK", ""))
	batches := groupACH(ps)
	for i, b := range batches {
		a.writeBatch(b, i+1)
	}
	blocks := (a.records + 1 + 9) / 10
	a.record(fmt.Sprintf("9%06d%06d%08d%010d%012d%012d%39s",
		len(batches), blocks, a.entries, a.hash%10_000_000_000, 0, a.credit, ""))
	for a.records%10 != 0 {
		a.record(strings.Repeat("9", 94))
	}
	return w.Flush()
}

func (a *achWriter) record(s string) {
	if len(s) != 94 {
		panic(fmt.Sprintf("bench: NACHA record of %d characters: %q", len(s), s))
	}
	a.w.WriteString(s)
	a.w.WriteByte('\n')
	a.records++
}

func (a *achWriter) writeBatch(b *achBatch, number int) {
	desc := "PAYMENT"
	if b.returns {
		desc = "RETURN"
	}
	name := b.name
	if b.returns {
		name = b.payments[0].payerName
	}
	company := field(mangle(a.g, name, 16), 16)
	a.record(fmt.Sprintf("5220%s%-20s%-10s%s%-10s%-6s%s   1%s%07d",
		company, "", b.company, b.sec, desc, "", yymmdd(a.date), b.odfi, number))
	var entries int
	var hash, credit int64
	for _, pm := range b.payments {
		n := a.writeEntry(b, pm)
		entries += n
		hash += int64(atoiPrefix(ourRouting[:8]))
		if b.returns {
			hash += int64(atoiPrefix(pm.original.payerBank[:8])) - int64(atoiPrefix(ourRouting[:8]))
		}
		credit += pm.amount
	}
	a.entries += entries
	a.hash += hash
	a.credit += credit
	a.record(fmt.Sprintf("8220%06d%010d%012d%012d%-10s%19s%6s%s%07d",
		entries, hash%10_000_000_000, 0, credit, b.company, "", "", b.odfi, number))
}

// writeEntry writes a payment's entry and addenda and returns how many
// records it took.
func (a *achWriter) writeEntry(b *achBatch, pm *payment) int {
	a.trace++
	pm.ref = fmt.Sprintf("%s%07d", b.odfi, a.trace%10_000_000)
	if b.returns {
		rdfi := pm.original.payerBank
		a.record(fmt.Sprintf("621%s%-17s%010d%-15s%-22s  1%s",
			rdfi, ourUSDAccount, pm.amount, "", field(ourName, 22), pm.ref))
		a.record(fmt.Sprintf("799%s%s      %s%-44s%s",
			pm.returnCode, pm.original.ref, ourRouting[:8], "", pm.ref))
		a.emit(pm, pm.ref)
		return 2
	}
	addenda := achAddenda(pm, b.sec)
	if b.sec == "CTX" {
		a.record(fmt.Sprintf("622%s%-17s%010d%-15s%04d%-16s    1%s",
			ourRouting, ourUSDAccount, pm.amount, "", len(addenda), field(ourName, 16), pm.ref))
	} else {
		indicator := "0"
		if len(addenda) > 0 {
			indicator = "1"
		}
		a.record(fmt.Sprintf("622%s%-17s%010d%-15s%-22s  %s%s",
			ourRouting, ourUSDAccount, pm.amount, "", field(ourName, 22), indicator, pm.ref))
	}
	for i, text := range addenda {
		a.record(fmt.Sprintf("705%-80s%04d%s", text, i+1, pm.ref[8:]))
	}
	a.emit(pm, pm.ref)
	return 1 + len(addenda)
}

// achAddenda returns the 80-character payment-related texts of an entry: for
// CCD+ one RMR segment or the free text, for CTX an X12 820 cut in pieces.
func achAddenda(pm *payment, sec string) []string {
	if sec == "CTX" {
		return chunk(x12Remittance(pm), 80)
	}
	if len(pm.docs) == 1 && pm.docs[0].stated {
		d := pm.docs[0]
		return []string{fmt.Sprintf("RMR*IV*%s*PI*%s\\", d.number, decimalString(d.paid, pm.currency))}
	}
	if pm.text == "" {
		return nil
	}
	return []string{field(wrapWords(pm.text, 80, 80)[0], 80)}
}

// x12Remittance writes the payment's 820 remittance advice, segments ended
// by "~", elements separated by "*".
func x12Remittance(pm *payment) string {
	var segs []string
	add := func(s string, args ...any) { segs = append(segs, fmt.Sprintf(s, args...)) }
	add("ST*820*0001")
	add("BPR*C*%s*C*ACH*CTX*01*%s*DA*%s*%s**01*%s*DA*%s",
		decimalString(pm.amount, pm.currency), pm.payerBank, pm.payerAcct, pm.payerID, ourRouting, ourUSDAccount)
	add("TRN*1*%s", pm.payerID)
	add("N1*PR*%s", x12Text(strings.ToUpper(pm.payerName)))
	add("N1*PE*%s", ourName)
	add("ENT*1")
	for _, d := range pm.docs {
		qual := "IV"
		if d.credit {
			qual = "CM"
		}
		switch {
		case d.discount != 0:
			add("RMR*%s*%s*PI*%s*%s*%s", qual, d.number, decimalString(d.paid, pm.currency),
				decimalString(d.due, pm.currency), decimalString(d.discount, pm.currency))
		case d.due != 0:
			add("RMR*%s*%s*PI*%s*%s", qual, d.number, decimalString(d.paid, pm.currency),
				decimalString(d.due, pm.currency))
		case d.stated:
			add("RMR*%s*%s*PI*%s", qual, d.number, decimalString(d.paid, pm.currency))
		default:
			add("RMR*%s*%s*PI", qual, d.number)
		}
	}
	add("SE*%d*0001", len(segs)+1)
	return strings.Join(segs, "~") + "~"
}

// x12Text drops the characters that separate X12 elements and segments.
func x12Text(s string) string { return strings.NewReplacer("*", " ", "~", " ", "\\", " ").Replace(s) }

// chunk cuts s into pieces of n bytes, the last padded by the caller's
// format.
func chunk(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// field returns s cut or blank-padded to n bytes.
func field(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

func atoiPrefix(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
