package engine

import (
	"fmt"
	"slices"
)

// Book is an in-memory snapshot of one entity's receivables: its invoices with
// their open amounts and its customers. The matcher decides against a Book and
// applies its decisions to it, so later payments see what earlier ones
// consumed. A Book is not safe for concurrent use.
type Book struct {
	invoices  map[InvoiceID]*Invoice
	customers map[CustomerID]*Customer
	// byCustomer lists each customer's invoices in ID order.
	byCustomer map[CustomerID][]InvoiceID
}

// NewBook returns a book holding copies of the given invoices and customers.
// A customer named by an invoice but absent from customers is added with the
// invoice's customer name and accounts.
func NewBook(invoices []Invoice, customers []Customer) *Book {
	b := &Book{
		invoices:   make(map[InvoiceID]*Invoice, len(invoices)),
		customers:  make(map[CustomerID]*Customer, len(customers)),
		byCustomer: make(map[CustomerID][]InvoiceID),
	}
	for _, c := range customers {
		b.PutCustomer(c)
	}
	for _, inv := range invoices {
		b.PutInvoice(inv)
	}
	return b
}

// PutInvoice adds or replaces an invoice and makes sure its customer exists.
func (b *Book) PutInvoice(inv Invoice) {
	if _, ok := b.invoices[inv.ID]; !ok {
		ids := b.byCustomer[inv.Customer]
		i, _ := slices.BinarySearch(ids, inv.ID)
		b.byCustomer[inv.Customer] = slices.Insert(ids, i, inv.ID)
	}
	cp := inv
	b.invoices[inv.ID] = &cp
	c, ok := b.customers[inv.Customer]
	if !ok {
		c = &Customer{ID: inv.Customer, Name: inv.CustomerName}
		b.customers[inv.Customer] = c
	}
	for _, acct := range inv.CustomerAccounts {
		if !slices.Contains(c.Accounts, acct) {
			c.Accounts = append(c.Accounts, acct)
		}
	}
}

// PutCustomer adds or replaces a customer.
func (b *Book) PutCustomer(c Customer) {
	cp := c
	b.customers[c.ID] = &cp
}

// Invoice returns the invoice with the given ID.
func (b *Book) Invoice(id InvoiceID) (Invoice, bool) {
	inv, ok := b.invoices[id]
	if !ok {
		return Invoice{}, false
	}
	return *inv, true
}

// Customer returns the customer with the given ID.
func (b *Book) Customer(id CustomerID) (Customer, bool) {
	c, ok := b.customers[id]
	if !ok {
		return Customer{}, false
	}
	return *c, true
}

// CustomerInvoices returns the IDs of a customer's invoices in ID order,
// open or not.
func (b *Book) CustomerInvoices(id CustomerID) []InvoiceID { return b.byCustomer[id] }

// Len returns the number of invoices.
func (b *Book) Len() int { return len(b.invoices) }

// EachInvoice calls fn for every invoice, in no particular order.
func (b *Book) EachInvoice(fn func(*Invoice)) {
	for _, inv := range b.invoices {
		fn(inv)
	}
}

// Apply reduces the open amounts of the invoices that d allocates to or
// adjusts. It changes nothing and returns an error when an invoice is
// unknown, in another currency, or would be left beyond zero.
func (b *Book) Apply(d Decision) error {
	next := make(map[InvoiceID]Amount)
	reduce := func(id InvoiceID, a Amount) error {
		inv, ok := b.invoices[id]
		if !ok {
			return fmt.Errorf("payment %s: unknown invoice %s", d.Payment, id)
		}
		if a.Currency != inv.Open.Currency {
			return fmt.Errorf("payment %s: %s %s against invoice %s in %s",
				d.Payment, a, a.Currency, id, inv.Open.Currency)
		}
		open, ok := next[id]
		if !ok {
			open = inv.Open
		}
		open = open.Sub(a)
		if open.Sign() != 0 && open.Sign() != inv.Amount.Sign() {
			return fmt.Errorf("payment %s: invoice %s would be left at %s", d.Payment, id, open)
		}
		next[id] = open
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
	for id, open := range next {
		b.invoices[id].Open = open
	}
	return nil
}
