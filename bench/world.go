package bench

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/cashmatch/cashmatch/engine"
)

// The receiving company: its bank and the accounts its bank files report.
const (
	ourName       = "CASHMATCH DEMO INC"
	ourBankBIC    = "CMBKUS33"
	ourUSDAccount = "4410028833"
	ourCADAccount = "5520019977"
	ourJPYAccount = "7730041120"
)

// Our routing numbers (valid ABA check digits, computed at start) and IBANs.
var (
	ourRouting  = withCheckDigit("07100001")
	fedRouting  = withCheckDigit("01100001")
	ourEURIBAN  = iban("DE", "500105170123456789")
	ourGBPIBAN  = iban("GB", "NWBK60161331926819")
	ourUSDCamt  = "9100234567"
	currencyMix = []struct {
		c engine.Currency
		w int
	}{{"USD", 780}, {"EUR", 100}, {"GBP", 50}, {"CAD", 40}, {"JPY", 30}}
)

// terms a customer may have; index 0 is "no terms".
var termsTable = []struct {
	text      string
	pctBasis  int64 // discount in hundredths of a percent
	discDays  int32
	netDays   int32
	weightPer int
}{
	{"", 0, 0, 30, 150},
	{"net 30", 0, 0, 30, 400},
	{"2/10 net 30", 200, 10, 30, 250},
	{"1/15 net 45", 100, 15, 45, 100},
	{"net 60", 0, 0, 60, 100},
}

// customer is one payer the ERP knows.
type customer struct {
	id        string
	name      string
	currency  engine.Currency
	account   string // the account it pays from
	bank      string // its bank: ABA routing number or BIC
	companyID string // its ACH company identification
	// accountKnown says whether invoices.csv lists the account.
	accountKnown bool
	terms        uint8
	// all are the customer's open items at the start; open those no
	// generated payment has used yet; credits its open credit notes.
	all     []int32
	open    []int32
	credits []int32
}

// invoice is one open item, in minor units of its customer's currency.
type invoice struct {
	cust   int32
	amount int64 // negative for a credit note
	open   int64
	issue  int32 // days from the start day
	terms  uint8
	po     uint32
	credit bool
}

// world is the ERP's receivables: what invoices.csv holds.
type world struct {
	start     engine.Date
	customers []customer
	invoices  []invoice
	idWidth   int
}

// firstNumber is the number of the first document; every document, invoice
// or credit note, has its own number.
const firstNumber = 10_000

// invoiceID returns the ERP's number of invoice i: "INV-0012345", or
// "CN-0012345" for a credit note.
func (w *world) invoiceID(i int32) string {
	prefix := "INV-"
	if w.invoices[i].credit {
		prefix = "CN-"
	}
	return prefix + w.digits(i)
}

// digits returns the zero-padded number of document i.
func (w *world) digits(i int32) string {
	s := strconv.Itoa(firstNumber + int(i))
	for len(s) < w.idWidth {
		s = "0" + s
	}
	return s
}

// date returns the calendar day n days from the start.
func (w *world) date(n int32) engine.Date { return w.start.AddDays(int(n)) }

// newWorld draws the customers and their open items.
func newWorld(g *rng, cfg *GenConfig, lastDay int32) *world {
	w := &world{start: cfg.Start}
	w.idWidth = max(7, len(strconv.Itoa(firstNumber+cfg.Invoices))+1)
	w.customers = make([]customer, cfg.Customers)
	for i := range w.customers {
		w.customers[i] = newCustomer(g, i)
	}
	w.invoices = make([]invoice, cfg.Invoices)
	span := int64(120) + int64(lastDay) + 1
	for i := range w.invoices {
		// Documents are numbered in issue order, over the 120 days before
		// the first statement day and the days of the set.
		issue := int32(int64(i)*span/int64(cfg.Invoices)) - 120
		w.invoices[i] = w.newInvoice(g, int32(g.skewed(cfg.Customers)), issue)
		c := &w.customers[w.invoices[i].cust]
		switch inv := &w.invoices[i]; {
		case inv.open == 0:
			// Paid in full: in the file, open to nobody.
		case inv.credit:
			c.credits = append(c.credits, int32(i))
			c.all = append(c.all, int32(i))
		default:
			c.open = append(c.open, int32(i))
			c.all = append(c.all, int32(i))
		}
	}
	return w
}

func newCustomer(g *rng, i int) customer {
	c := customer{
		id:        fmt.Sprintf("C%06d", i+1),
		name:      companyName(i),
		companyID: fmt.Sprintf("1%09d", 100_000_000+i*7),
		terms:     uint8(g.pick(termWeights())),
	}
	weights := make([]int, len(currencyMix))
	for j, m := range currencyMix {
		weights[j] = m.w
	}
	c.currency = currencyMix[g.pick(weights)].c
	c.account, c.bank = payerAccount(g, c.currency)
	c.accountKnown = g.chance(600)
	return c
}

func termWeights() []int {
	ws := make([]int, len(termsTable))
	for i, t := range termsTable {
		ws[i] = t.weightPer
	}
	return ws
}

// payerAccount draws the account a customer pays from and its bank, as its
// currency's payment system writes them.
func payerAccount(g *rng, c engine.Currency) (account, bank string) {
	switch c {
	case "EUR":
		return iban("DE", fmt.Sprintf("%08d%010d", g.between(10000000, 89999999), g.between(1, 9999999999))),
			"DEUTDEFF"
	case "GBP":
		return iban("GB", fmt.Sprintf("BARC%06d%08d", g.between(200000, 209999), g.between(1, 99999999))),
			"BARCGB22"
	case "CAD":
		return fmt.Sprintf("%05d%07d", g.between(10000, 99999), g.between(1, 9999999)), "ROYCCAT2"
	case "JPY":
		return fmt.Sprintf("%07d", g.between(1, 9999999)), "MHCBJPJT"
	}
	routing := withCheckDigit(fmt.Sprintf("%02d%06d", g.between(1, 12), g.between(0, 999999)))
	return strconv.FormatInt(g.between(10_000_000, 999_999_999_999), 10), routing
}

// newInvoice draws one open item of customer cust issued on day issue.
func (w *world) newInvoice(g *rng, cust, issue int32) invoice {
	c := &w.customers[cust]
	inv := invoice{cust: cust, issue: issue, terms: c.terms}
	if g.chance(50) {
		inv.terms = uint8(g.pick(termWeights()))
	}
	if g.chance(300) {
		inv.po = uint32(g.between(100000, 999999))
	}
	switch {
	case g.chance(30):
		inv.credit = true
		inv.amount = -g.between(1000, 50000)
		inv.open = inv.amount
	default:
		inv.amount = drawAmount(g)
		inv.open = inv.amount
		switch {
		case g.chance(10):
			inv.open = 0 // paid before the export: "already paid"
		case g.chance(50):
			inv.open = inv.amount - inv.amount*g.between(20, 70)/100
		}
	}
	return inv
}

// drawAmount returns an invoice amount in minor units, spread over four
// orders of magnitude, some of them round.
func drawAmount(g *rng) int64 {
	ranges := [][2]int64{{5_000, 50_000}, {50_000, 500_000}, {500_000, 5_000_000}, {5_000_000, 25_000_000}}
	r := ranges[g.pick([]int{200, 400, 300, 100})]
	a := g.between(r[0], r[1])
	if g.chance(100) {
		a -= a % 100
	}
	return a
}

// withCheckDigit appends the ABA check digit to an 8-digit routing prefix.
func withCheckDigit(prefix string) string {
	weights := [8]int{3, 7, 1, 3, 7, 1, 3, 7}
	sum := 0
	for i := range 8 {
		sum += int(prefix[i]-'0') * weights[i]
	}
	return prefix + strconv.Itoa((10-sum%10)%10)
}

// iban returns the IBAN of country and basic bank account number bban, with
// its ISO 13616 check digits.
func iban(country, bban string) string {
	var digits []byte
	for _, ch := range bban + country + "00" {
		if ch >= 'A' && ch <= 'Z' {
			digits = strconv.AppendInt(digits, int64(ch-'A'+10), 10)
			continue
		}
		digits = append(digits, byte(ch))
	}
	n, _ := new(big.Int).SetString(string(digits), 10)
	check := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", country, check, bban)
}
