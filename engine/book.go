package engine

import (
	"bytes"
	"fmt"
	"slices"
	"time"
)

// Book is an in-memory snapshot of one entity's receivables: its invoices with
// their open amounts, its customers with what was learned about them, and the
// payments decided recently. The matcher decides against a Book and applies
// its decisions to it, so later payments see what earlier ones consumed.
// A Book is not safe for concurrent use; a Matcher coordinates its own
// workers over it.
//
// Amounts are held in int64 minor units of their currency, converted exactly
// from and to Amount. An invoice whose amount does not fit (more decimals than
// its currency, or beyond int64) is kept and returned by Invoice, but it is
// never matched.
type Book struct {
	items []openItem
	// text holds the invoice and PO numbers of the items, one after the
	// other, so that items hold no pointer for the collector to follow.
	text []byte
	// byID finds items by invoice number; count is the number of
	// matchable invoices.
	byID  hashIndex
	count int

	custs    []customerEntry
	custByID map[CustomerID]int32
	lastCust int32

	// currencies and terms intern the few distinct values the items use.
	currencies []Currency
	terms      []termsEntry

	// unmatchable holds invoices whose amounts do not fit int64 minor units.
	unmatchable map[InvoiceID]Invoice

	prior priorPayments
}

// openItem is the compact form of an invoice or credit note. Its invoice
// number is Book.text[text:text+idLen], its PO number the poLen bytes that
// follow. An item of customer -1 was removed.
type openItem struct {
	text   uint32
	idLen  uint16
	poLen  uint16
	amount int64 // original amount, minor units
	open   int64 // open amount, minor units; same sign as amount or zero
	cust   int32
	issue  int32 // day number, noDay when unknown
	due    int32
	cur    uint16
	terms  uint16
}

// maxNumber is the longest invoice or PO number the book holds; an invoice
// with a longer one is kept but never matched.
const maxNumber = 1<<16 - 1

// id returns item i's invoice number; the bytes must not be changed.
func (b *Book) id(i int32) []byte {
	it := &b.items[i]
	return b.text[it.text : it.text+uint32(it.idLen)]
}

// po returns item i's PO number.
func (b *Book) po(i int32) []byte {
	it := &b.items[i]
	start := it.text + uint32(it.idLen)
	return b.text[start : start+uint32(it.poLen)]
}

// invoiceID returns item i's invoice number as an InvoiceID.
func (b *Book) invoiceID(i int32) InvoiceID { return InvoiceID(b.id(i)) }

// lookup returns the item with invoice number id.
func (b *Book) lookup(id []byte) (int32, bool) {
	var buf [4]int32
	for _, i := range b.byID.candidates(buf[:0], id) {
		if string(b.id(i)) == string(id) {
			return i, true
		}
	}
	return 0, false
}

type customerEntry struct {
	c Customer
	// items lists the customer's invoices in ID order.
	items []int32
}

type termsEntry struct {
	t Terms
	// The discount is pctNum/pctDen percent of the invoice amount.
	pctNum, pctDen int64
}

// NewBook returns a book holding copies of the given invoices and customers.
// A customer named by an invoice but absent from customers is added with the
// invoice's customer name and accounts.
func NewBook(invoices []Invoice, customers []Customer) *Book {
	b := &Book{
		items:    make([]openItem, 0, len(invoices)),
		byID:     newHashIndex(len(invoices)),
		custs:    make([]customerEntry, 0, len(customers)),
		custByID: make(map[CustomerID]int32, len(customers)),
		terms:    []termsEntry{{}},
	}
	for _, c := range customers {
		b.PutCustomer(c)
	}
	for _, inv := range invoices {
		b.putInvoice(inv, false)
	}
	for i := range b.custs {
		b.sortItems(int32(i))
	}
	return b
}

// PutInvoice adds or replaces an invoice and makes sure its customer exists.
func (b *Book) PutInvoice(inv Invoice) { b.putInvoice(inv, true) }

func (b *Book) putInvoice(inv Invoice, keepSorted bool) {
	c := b.customerFor(inv)
	for _, acct := range inv.CustomerAccounts {
		if acct != "" && !slices.Contains(b.custs[c].c.Accounts, acct) {
			b.custs[c].c.Accounts = append(b.custs[c].c.Accounts, acct)
		}
	}
	it, ok := b.compact(inv, c)
	if !ok {
		b.removeItem(inv.ID)
		if b.unmatchable == nil {
			b.unmatchable = make(map[InvoiceID]Invoice)
		}
		b.unmatchable[inv.ID] = inv
		return
	}
	delete(b.unmatchable, inv.ID)
	if i, ok := b.lookup([]byte(inv.ID)); ok {
		if old := b.items[i].cust; old != c {
			b.custs[old].items = slices.DeleteFunc(b.custs[old].items, func(j int32) bool { return j == i })
			b.items[i] = it
			b.addToCustomer(c, i, keepSorted)
		}
		b.items[i] = it
		return
	}
	i := int32(len(b.items))
	b.items = append(b.items, it)
	b.byID.add([]byte(inv.ID), i)
	b.count++
	b.addToCustomer(c, i, keepSorted)
}

// removeItem forgets a matchable invoice, leaving a hole that matches nothing.
func (b *Book) removeItem(id InvoiceID) {
	i, ok := b.lookup([]byte(id))
	if !ok {
		return
	}
	c := b.items[i].cust
	b.custs[c].items = slices.DeleteFunc(b.custs[c].items, func(j int32) bool { return j == i })
	b.byID.remove([]byte(id), i)
	b.items[i].cust = -1
	b.count--
}

func (b *Book) addToCustomer(c, i int32, keepSorted bool) {
	if !keepSorted {
		b.custs[c].items = append(b.custs[c].items, i)
		return
	}
	items := b.custs[c].items
	at, _ := slices.BinarySearchFunc(items, b.id(i), func(j int32, id []byte) int {
		return bytes.Compare(b.id(j), id)
	})
	b.custs[c].items = slices.Insert(items, at, i)
}

func (b *Book) sortItems(c int32) {
	slices.SortFunc(b.custs[c].items, func(x, y int32) int { return bytes.Compare(b.id(x), b.id(y)) })
}

// customerFor returns the index of the invoice's customer, adding it when
// it is new.
func (b *Book) customerFor(inv Invoice) int32 {
	// Invoice files list a customer's invoices together: the last customer
	// is the likeliest.
	if n := len(b.custs); n > 0 && b.custs[b.lastCust].c.ID == inv.Customer {
		return b.lastCust
	}
	if c, ok := b.custByID[inv.Customer]; ok {
		b.lastCust = c
		if b.custs[c].c.Name == "" {
			b.custs[c].c.Name = inv.CustomerName
		}
		return c
	}
	return b.addCustomer(Customer{ID: inv.Customer, Name: inv.CustomerName})
}

func (b *Book) addCustomer(c Customer) int32 {
	i := int32(len(b.custs))
	b.custs = append(b.custs, customerEntry{c: c})
	b.custByID[c.ID] = i
	return i
}

// compact converts an invoice to its compact form; ok is false when an
// amount does not fit int64 minor units.
func (b *Book) compact(inv Invoice, c int32) (openItem, bool) {
	cur := inv.Amount.Currency
	amount, ok1 := inv.Amount.Minor()
	open, ok2 := inv.Open.Minor()
	if !ok1 || !ok2 || (inv.Open.Currency != cur && !inv.Open.IsZero()) ||
		len(inv.ID) > maxNumber || len(inv.PONumber) > maxNumber || len(b.text) > 1<<32-2*maxNumber {
		return openItem{}, false
	}
	it := openItem{
		text: uint32(len(b.text)), idLen: uint16(len(inv.ID)), poLen: uint16(len(inv.PONumber)),
		amount: amount, open: open, cust: c,
		issue: dayNumber(inv.IssueDate), due: dayNumber(inv.DueDate),
		cur: b.currencyIndex(cur), terms: b.termsIndex(inv.Terms),
	}
	b.text = append(append(b.text, inv.ID...), inv.PONumber...)
	return it, true
}

func (b *Book) currencyIndex(c Currency) uint16 {
	if i := slices.Index(b.currencies, c); i >= 0 {
		return uint16(i)
	}
	b.currencies = append(b.currencies, c)
	return uint16(len(b.currencies) - 1)
}

func (b *Book) termsIndex(t Terms) uint16 {
	for i, e := range b.terms {
		if e.t.DiscountDays == t.DiscountDays && e.t.NetDays == t.NetDays &&
			e.t.DiscountPercent.Equal(t.DiscountPercent) {
			return uint16(i)
		}
	}
	e := termsEntry{t: t, pctDen: 1}
	if t.DiscountPercent.Sign() > 0 && t.DiscountDays > 0 {
		// Percentages such as 1.5 become 15/10.
		exp := -t.DiscountPercent.Exponent()
		if exp < 0 {
			exp = 0
		}
		scaled := t.DiscountPercent.Shift(exp)
		if exp <= 6 && scaled.IsInteger() && scaled.BigInt().IsInt64() {
			e.pctNum = scaled.BigInt().Int64()
			for range exp {
				e.pctDen *= 10
			}
		}
	}
	b.terms = append(b.terms, e)
	return uint16(len(b.terms) - 1)
}

// PutCustomer adds or replaces a customer, keeping its invoices.
func (b *Book) PutCustomer(c Customer) {
	c.Aliases = slices.Clone(c.Aliases)
	c.Accounts = slices.Clone(c.Accounts)
	if i, ok := b.custByID[c.ID]; ok {
		b.custs[i].c = c
		return
	}
	b.addCustomer(c)
}

// Invoice returns the invoice with the given ID, with its current open
// amount. Its CustomerName and CustomerAccounts are the customer's.
func (b *Book) Invoice(id InvoiceID) (Invoice, bool) {
	if i, ok := b.lookup([]byte(id)); ok {
		return b.invoice(i), true
	}
	inv, ok := b.unmatchable[id]
	return inv, ok
}

func (b *Book) invoice(i int32) Invoice {
	it := &b.items[i]
	c := &b.custs[it.cust].c
	cur := b.currencies[it.cur]
	return Invoice{
		ID: b.invoiceID(i), Customer: c.ID, CustomerName: c.Name,
		Amount: FromMinor(it.amount, cur), Open: FromMinor(it.open, cur),
		IssueDate: dateOfDay(it.issue), DueDate: dateOfDay(it.due),
		Terms: b.terms[it.terms].t, PONumber: string(b.po(i)),
		CustomerAccounts: slices.Clone(c.Accounts),
	}
}

// Customer returns the customer with the given ID.
func (b *Book) Customer(id CustomerID) (Customer, bool) {
	i, ok := b.custByID[id]
	if !ok {
		return Customer{}, false
	}
	c := b.custs[i].c
	c.Aliases = slices.Clone(c.Aliases)
	c.Accounts = slices.Clone(c.Accounts)
	return c, true
}

// Customers returns the IDs of all customers in the order they were added.
func (b *Book) Customers() []CustomerID {
	ids := make([]CustomerID, len(b.custs))
	for i := range b.custs {
		ids[i] = b.custs[i].c.ID
	}
	return ids
}

// CustomerInvoices returns the IDs of a customer's matchable invoices in ID
// order, open or not.
func (b *Book) CustomerInvoices(id CustomerID) []InvoiceID {
	c, ok := b.custByID[id]
	if !ok {
		return nil
	}
	ids := make([]InvoiceID, len(b.custs[c].items))
	for k, i := range b.custs[c].items {
		ids[k] = b.invoiceID(i)
	}
	return ids
}

// Len returns the number of invoices.
func (b *Book) Len() int { return b.count + len(b.unmatchable) }

// EachInvoice calls fn with a copy of every invoice, in no particular order.
// Changing the copy does not change the book.
func (b *Book) EachInvoice(fn func(*Invoice)) {
	for i := range b.items {
		if b.items[i].cust < 0 {
			continue
		}
		inv := b.invoice(int32(i))
		fn(&inv)
	}
	for _, inv := range b.unmatchable {
		fn(&inv)
	}
}

// Apply reduces the open amounts of the invoices that d allocates to or
// adjusts. It changes nothing and returns an error when an invoice is
// unknown or unmatchable, in another currency, or would be left beyond zero.
func (b *Book) Apply(d Decision) error {
	next := make(map[int32]int64)
	reduce := func(id InvoiceID, a Amount) error {
		i, ok := b.lookup([]byte(id))
		if !ok {
			return fmt.Errorf("payment %s: unknown invoice %s", d.Payment, id)
		}
		it := &b.items[i]
		if cur := b.currencies[it.cur]; a.Currency != cur {
			return fmt.Errorf("payment %s: %s %s against invoice %s in %s",
				d.Payment, a, a.Currency, id, cur)
		}
		units, ok := a.Minor()
		if !ok {
			return fmt.Errorf("payment %s: amount %s against invoice %s is not in minor units", d.Payment, a, id)
		}
		open, ok := next[i]
		if !ok {
			open = it.open
		}
		open -= units
		if !withinAmount(open, it.amount) {
			return fmt.Errorf("payment %s: invoice %s would be left at %s",
				d.Payment, id, FromMinor(open, a.Currency))
		}
		next[i] = open
		return nil
	}
	for _, a := range d.Allocations {
		if err := reduce(a.Invoice, a.Amount); err != nil {
			return err
		}
	}
	for _, a := range d.Adjustments {
		if err := reduce(a.Invoice, a.Amount); err != nil {
			return err
		}
	}
	for i, open := range next {
		b.items[i].open = open
	}
	return nil
}

// withinAmount reports whether open lies between zero and amount.
func withinAmount(open, amount int64) bool {
	if amount < 0 {
		return open <= 0 && open >= amount
	}
	return open >= 0 && open <= amount
}

// noDay is the day number of an unknown date.
const noDay int32 = -1 << 31

// dayNumber returns the number of days from 1970-01-01 to d, or noDay for
// the zero date. It counts in the proleptic Gregorian calendar.
func dayNumber(d Date) int32 {
	if d.IsZero() {
		return noDay
	}
	y, m, day := int64(d.Year), int64(d.Month), int64(d.Day)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// dateOfDay is the inverse of dayNumber.
func dateOfDay(n int32) Date {
	if n == noDay {
		return Date{}
	}
	z := int64(n) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{Year: int(y), Month: time.Month(m), Day: int(day)}
}
