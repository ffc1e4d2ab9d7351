package store

import (
	"github.com/cashmatch/cashmatch/engine"
)

// invoiceRecord is an invoice as stored.
type invoiceRecord struct {
	ID           engine.InvoiceID  `json:"id"`
	Customer     engine.CustomerID `json:"customer"`
	CustomerName string            `json:"customer_name,omitempty"`
	Amount       money             `json:"amount"`
	Open         money             `json:"open"`
	IssueDate    engine.Date       `json:"issue_date,omitzero"`
	DueDate      engine.Date       `json:"due_date,omitzero"`
	Terms        string            `json:"terms,omitempty"`
	PONumber     string            `json:"po,omitempty"`
	Accounts     []string          `json:"accounts,omitempty"`
}

func toInvoiceRecord(inv engine.Invoice) invoiceRecord {
	return invoiceRecord{
		ID: inv.ID, Customer: inv.Customer, CustomerName: inv.CustomerName,
		Amount: toMoney(inv.Amount), Open: toMoney(inv.Open),
		IssueDate: inv.IssueDate, DueDate: inv.DueDate, Terms: inv.Terms.String(),
		PONumber: inv.PONumber, Accounts: inv.CustomerAccounts,
	}
}

func (r invoiceRecord) invoice() (engine.Invoice, error) {
	amount, err := r.Amount.amount()
	if err != nil {
		return engine.Invoice{}, err
	}
	open, err := r.Open.amount()
	if err != nil {
		return engine.Invoice{}, err
	}
	terms, err := engine.ParseTerms(r.Terms)
	if err != nil {
		return engine.Invoice{}, err
	}
	return engine.Invoice{
		ID: r.ID, Customer: r.Customer, CustomerName: r.CustomerName,
		Amount: amount, Open: open, IssueDate: r.IssueDate, DueDate: r.DueDate,
		Terms: terms, PONumber: r.PONumber, CustomerAccounts: r.Accounts,
	}, nil
}

// statementRecord is a statement as stored.
type statementRecord struct {
	ID       engine.StatementID `json:"id"`
	Source   string             `json:"source"`
	Format   engine.Format      `json:"format"`
	Size     int64              `json:"size"`
	Received string             `json:"received"`
	Payments int                `json:"payments"`
	Warnings []string           `json:"warnings,omitempty"`
}

// paymentRecord is a payment with its decision, as stored.
type paymentRecord struct {
	Payment  engine.Payment      `json:"payment"`
	Currency engine.Currency     `json:"currency"`
	Decision engine.DecisionLine `json:"decision"`
}
