package engine

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// synthWorld generates receivables and payments for tests and benchmarks
// of the matcher: customers with distinct names (some with a known bank
// account), invoices spread over them, and payments written the many ways
// payers write them. It is deterministic for a seed. Payments are made in
// batches, so that a million of them never sit in memory at once.
type synthWorld struct {
	rng       *rand.Rand
	customers int
	// Per invoice: its customer and open amount in cents; per customer:
	// its name and account ("" when the ERP knows none).
	invCust  []int32
	invOpen  []int64
	custName []string
	custAcct []string
	// order is the sequence in which payments pay the invoices; paid marks
	// the invoices taken; custInv lists each customer's invoices.
	order   []int32
	paid    []bool
	custInv [][]int32
	next    int
	seq     int
}

var (
	firstWords = [...]string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
		"Soylent", "Oscorp", "Hooli", "Vandelay", "Kramerica", "Wonka", "Gringotts", "Nakatomi", "Bluth",
		"Dunder", "Massive", "Octan", "Virtucon", "Zorg", "Genco", "Rekall", "Aperture", "Black Mesa", "Cobalt",
		"Cedar", "Summit", "Harbor", "Prairie", "Falcon", "Meridian", "Beacon", "Crescent", "Willow", "Maple",
		"Redwood", "Granite", "Pinnacle", "Horizon", "Liberty", "Frontier", "Emerald", "Golden", "Silver",
		"Northgate", "Bluewater", "Oakridge", "Ironwood"}
	secondWords = [...]string{"Granite", "Valley", "River", "Coast", "Mountain", "Lake", "Forest", "Desert",
		"Metro", "Union", "Pacific", "Atlantic", "Central", "Western", "Eastern", "Northern", "Southern",
		"Royal", "Imperial", "Global", "Delta", "Apex", "Vertex", "Quantum", "Fusion", "Vector", "Polar",
		"Solar", "Lunar", "Star", "Harbor", "Bridge", "Tower", "Castle", "Anchor", "Arrow", "Eagle",
		"Falcon", "Lion", "Tiger"}
	thirdWords = [...]string{"Industries", "Systems", "Trading", "Holdings", "Logistics", "Foods", "Labs",
		"Partners", "Supply", "Energy", "Media", "Works", "Manufacturing", "Distribution", "Services",
		"Solutions", "Technologies", "Pharma", "Textiles", "Plastics", "Chemicals", "Paper", "Steel",
		"Furniture", "Hardware"}
	legalWords = [...]string{"Inc", "LLC", "Ltd", "GmbH", "Corp", "S.A.", "BV", "Co", "PLC", "S.p.A."}
)

// newSynthWorld makes customers and invoices; the invoices of invoice i are
// numbered INV-%07d from 1,000,000 up, so the numbers are dense, the
// hardest case for stray digits.
func newSynthWorld(seed uint64, customers, invoices int) *synthWorld {
	w := &synthWorld{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), customers: customers}
	w.custName = make([]string, customers)
	w.custAcct = make([]string, customers)
	for c := range customers {
		a, b := c%len(firstWords), (c/len(firstWords))%len(secondWords)
		t := (c / (len(firstWords) * len(secondWords))) % len(thirdWords)
		name := firstWords[a] + " " + secondWords[b] + " " + thirdWords[t]
		if n := c / (len(firstWords) * len(secondWords) * len(thirdWords)); n > 0 {
			name += fmt.Sprintf(" %d", n+1)
		}
		w.custName[c] = name + " " + legalWords[w.rng.IntN(len(legalWords))]
		if w.rng.IntN(10) < 6 {
			w.custAcct[c] = fmt.Sprintf("%012d", 100000000000+int64(c)*7919)
		}
	}
	w.invCust = make([]int32, invoices)
	w.invOpen = make([]int64, invoices)
	for i := range invoices {
		w.invCust[i] = int32(w.rng.IntN(customers))
		w.invOpen[i] = 1000 + w.rng.Int64N(5_000_000)
	}
	w.order = make([]int32, invoices)
	w.paid = make([]bool, invoices)
	w.custInv = make([][]int32, customers)
	for i := range w.order {
		w.order[i] = int32(i)
		w.custInv[w.invCust[i]] = append(w.custInv[w.invCust[i]], int32(i))
	}
	w.rng.Shuffle(len(w.order), func(i, j int) { w.order[i], w.order[j] = w.order[j], w.order[i] })
	return w
}

func invoiceNumber(i int32) string { return fmt.Sprintf("INV-%07d", 1_000_000+int(i)) }

// book returns the world's invoices in a Book; terms of 2/10 net 30 on
// every fifth.
func (w *synthWorld) book() *Book {
	terms, _ := ParseTerms("2/10 net 30")
	invs := make([]Invoice, len(w.invCust))
	issue := Date{2026, 10, 28}
	for i := range invs {
		c := w.invCust[i]
		amount := FromMinor(w.invOpen[i], "USD")
		invs[i] = Invoice{ID: InvoiceID(invoiceNumber(int32(i))), Customer: CustomerID(fmt.Sprintf("C%06d", c)),
			CustomerName: w.custName[c], Amount: amount, Open: amount, IssueDate: issue, DueDate: issue.AddDays(30)}
		if i%5 == 0 {
			invs[i].Terms = terms
		}
		if a := w.custAcct[c]; a != "" {
			invs[i].CustomerAccounts = []string{a}
		}
	}
	return NewBook(invs, nil)
}

// take returns the next invoice to pay, or -1 when all are paid.
func (w *synthWorld) take() int32 {
	for w.next < len(w.order) {
		i := w.order[w.next]
		w.next++
		if !w.paid[i] {
			w.paid[i] = true
			return i
		}
	}
	return -1
}

// another returns another unpaid invoice of customer c, or -1.
func (w *synthWorld) another(c int32) int32 {
	for _, j := range w.custInv[c] {
		if !w.paid[j] {
			w.paid[j] = true
			return j
		}
	}
	return -1
}

// payments returns the next n payments, dated day.
func (w *synthWorld) payments(n int, day Date) []Payment {
	ps := make([]Payment, 0, n)
	for range n {
		w.seq++
		p := Payment{ID: PaymentID(fmt.Sprintf("P%08d", w.seq)), ValueDate: day, BookingDate: day,
			BankRef: fmt.Sprintf("%015d", w.seq)}
		w.fill(&p)
		ps = append(ps, p)
	}
	return ps
}

func (w *synthWorld) payer(p *Payment, c int32) {
	name := strings.ToUpper(w.custName[c])
	switch w.rng.IntN(10) {
	case 0, 1, 2:
		if len(name) > 16 {
			name = name[:16]
		}
	case 3:
		name = strings.Join(strings.Fields(name)[:3], " ")
	}
	p.PayerName = name
	if w.custAcct[c] != "" && w.rng.IntN(2) == 0 {
		p.PayerAccount = w.custAcct[c]
	}
}

var refPhrases = [...]string{"", "PAYMENT ", "PMT ", "INV ", "INVOICE ", "RE ", "PAYMENT FOR INVOICE "}

func (w *synthWorld) number(i int32) string {
	id := invoiceNumber(i)
	switch w.rng.IntN(8) {
	case 0:
		return strings.ToLower(id)
	case 1:
		return id[4:]
	case 2:
		return "INV " + id[4:]
	}
	return id
}

// fill writes one payment of a drawn kind.
func (w *synthWorld) fill(p *Payment) {
	p.Amount = Amount{Currency: "USD"}
	k := w.rng.IntN(100)
	i := w.take()
	if i < 0 {
		k = 99
	}
	var c int32
	if i >= 0 {
		c = w.invCust[i]
	}
	cents := func(u int64) Amount { return FromMinor(u, "USD") }
	switch {
	case k < 50: // one invoice named in free text
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i])
		p.Remittance.Lines = []string{refPhrases[w.rng.IntN(len(refPhrases))] + w.number(i)}
	case k < 60: // structured reference with its amount
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i])
		p.Remittance.References = []Reference{{Kind: RefInvoice, Value: invoiceNumber(i), Amount: p.Amount}}
	case k < 68: // two invoices of the customer, or one when it has no other
		w.payer(p, c)
		total := w.invOpen[i]
		text := w.number(i)
		if j := w.another(c); j >= 0 {
			total += w.invOpen[j]
			text += " " + w.number(j)
		}
		p.Amount = cents(total)
		p.Remittance.Lines = []string{text}
	case k < 80: // no remittance: payer and amount only
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i])
	case k < 84: // short by a wire fee
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i] - 1500)
		p.Remittance.Lines = []string{"WIRE " + w.number(i)}
	case k < 88: // a partial payment that says so
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i] / 2)
		p.Remittance.Lines = []string{"PARTIAL PAYMENT " + invoiceNumber(i)}
	case k < 92: // one digit mistyped
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i])
		id := []byte(invoiceNumber(i))
		id[len(id)-2], id[len(id)-1] = id[len(id)-1], id[len(id)-2]
		p.Remittance.Lines = []string{string(id)}
	case k < 94: // over pay
		w.payer(p, c)
		p.Amount = cents(w.invOpen[i] + 2500)
		p.Remittance.Lines = []string{w.number(i)}
	case k < 96: // interest
		p.Amount = cents(100 + w.rng.Int64N(10000))
		p.TypeCode = "354"
		p.Remittance.Lines = []string{"INTEREST CREDIT"}
	case k < 98: // a debit
		p.Amount = cents(100 + w.rng.Int64N(1_000_000))
		p.Direction = Debit
		p.Remittance.Lines = []string{"CHECK PAID"}
	default: // someone who is no customer
		p.Amount = cents(100 + w.rng.Int64N(5_000_000))
		p.PayerName = fmt.Sprintf("PAYER %d HOLDINGS", w.rng.IntN(1_000_000))
		p.Remittance.Lines = []string{"THANK YOU"}
	}
}
