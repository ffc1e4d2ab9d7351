package bench

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// bai2Record is the physical record length the generated BAI2 files
// declare; longer logical records continue in 88 records.
const bai2Record = 80

// bai2Account is one account of a BAI2 group and the payments it reports.
type bai2Account struct {
	number   string
	currency engine.Currency
	opening  int64
	payments []*payment
}

// bai2Writer writes one BAI2 file: one group from our bank, one account per
// currency, every payment a 16 record with its text in 88 continuations.
type bai2Writer struct {
	w       *bufio.Writer
	g       *rng
	date    engine.Date
	records int // in the file
	group   int // records in the group
	account int // records in the account
	seq     int // of bank references
	emit    func(*payment, string)
}

func writeBAI2(w *bufio.Writer, g *rng, date engine.Date, fileID int, accts []*bai2Account, emit func(*payment, string)) error {
	b := &bai2Writer{w: w, g: g, date: date, emit: emit}
	d := yymmdd(date)

	b.record(fmt.Sprintf("01,%s,CASHMATCH,%s,0600,%d,%d,,2/", ourRouting, d, fileID, bai2Record))
	b.group = 0
	b.record(fmt.Sprintf("02,CASHMATCH,%s,1,%s,2400,USD,2/", ourRouting, d))
	var groupTotal int64
	for _, a := range accts {
		groupTotal += b.writeAccount(a)
	}
	b.record(fmt.Sprintf("98,%d,%d,%d/", groupTotal, len(accts), b.group+1))
	b.record(fmt.Sprintf("99,%d,1,%d/", groupTotal, b.records+1))
	return w.Flush()
}

// record writes one physical record and counts it in the file, group and
// account.
func (b *bai2Writer) record(s string) {
	b.w.WriteString(s)
	b.w.WriteByte('\n')
	b.records++
	b.group++
	b.account++
}

// writeAccount writes an account's 03, 16, 88 and 49 records and returns
// its control total: the sum of every amount in its 03 and 16 records.
func (b *bai2Writer) writeAccount(a *bai2Account) int64 {
	var credits int64
	for _, pm := range a.payments {
		credits += pm.amount
	}
	closing := a.opening + credits
	b.account = 0
	// The summaries (opening and closing ledger, total credits and debits)
	// continue in an 88 record to stay within the record length.
	b.record(fmt.Sprintf("03,%s,%s,010,%d,,,015,%d,,/", a.number, a.currency, a.opening, closing))
	b.record(fmt.Sprintf("88,100,%d,%d,,400,0,0,/", credits, len(a.payments)))
	total := a.opening + closing + credits
	for _, pm := range a.payments {
		b.writeDetail(pm)
		total += pm.amount
	}
	b.record(fmt.Sprintf("49,%d,%d/", total, b.account+1))
	return total
}

// writeDetail writes one payment as a 16 record and its continuations.
func (b *bai2Writer) writeDetail(pm *payment) {
	code, text := bai2Text(b.g, pm)
	b.seq++
	pm.ref = fmt.Sprintf("%s%07d", yymmdd(b.date), b.seq)
	head := fmt.Sprintf("16,%s,%d,%s,%s,,", code, pm.amount, b.fundsType(pm.amount), pm.ref)
	first, rest := bai2Record-1-len(head), bai2Record-4
	if pm.wrap > 0 {
		first, rest = min(first, pm.wrap), min(rest, pm.wrap)
	}
	lines := wrapWords(text, first, rest)
	b.record(head + lines[0] + "/")
	for _, l := range lines[1:] {
		b.record("88," + l + "/")
	}
	b.emit(pm, pm.ref)
}

// fundsType draws how the bank makes the amount available: immediately,
// in one or two days, unknown, value-dated, or distributed.
func (b *bai2Writer) fundsType(amount int64) string {
	switch b.g.pick([]int{30, 20, 10, 25, 5, 5, 5}) {
	case 0:
		return "0"
	case 1:
		return "1"
	case 2:
		return "2"
	case 4:
		return "V," + yymmdd(b.date) + ",0800"
	case 5:
		now := amount / 2
		return fmt.Sprintf("S,%d,%d,0", now, amount-now)
	case 6:
		first := amount / 3
		return fmt.Sprintf("D,2,1,%d,2,%d", first, amount-first)
	}
	return "Z"
}

// bai2Text returns the BAI2 type code of a payment and its detail text: who
// paid, then the remittance, as banks write them for wires, ACH credits and
// lockbox deposits.
func bai2Text(g *rng, pm *payment) (code, text string) {
	switch pm.nonReceipt {
	case "interest":
		return "354", pm.text
	case "transfer":
		return "275", pm.text
	}
	name := mangle(g, pm.payerName, 35)
	switch {
	case pm.kind == ShortPayFee || g.chance(300):
		text = "WIRE TYPE:FTR IN ORG:" + name + " OBI:" + pm.text
		code = "195"
	case g.chance(600):
		text = "ORIG CO NAME:" + mangle(g, pm.payerName, 16) + " ORIG ID:" + pm.payerID +
			" ENTRY DESCR:PAYMENT ADDENDA:" + pm.text
		code = "165"
	default:
		text = "LOCKBOX DEPOSIT REMITTER " + name + " " + pm.text
		code = "115"
	}
	if pm.ultimate != "" && g.chance(500) {
		text += " ULT:" + mangle(g, pm.ultimate, 35)
	}
	return code, strings.TrimSpace(text)
}

// wrapWords splits text at blanks into a first line of at most first bytes
// and further lines of at most rest bytes. A word longer than a line is cut.
func wrapWords(text string, first, rest int) []string {
	var lines []string
	width := first
	for len(text) > width {
		cut := strings.LastIndexByte(text[:width+1], ' ')
		if cut <= 0 {
			cut = width
		}
		lines = append(lines, strings.TrimSpace(text[:cut]))
		text = strings.TrimLeft(text[cut:], " ")
		width = rest
	}
	return append(lines, text)
}

func yymmdd(d engine.Date) string {
	return fmt.Sprintf("%02d%02d%02d", d.Year%100, int(d.Month), d.Day)
}
