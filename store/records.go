package store

import (
	"fmt"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// Invoice is an invoice as stored: the ERP's invoice with its open amount
// now, the open amount it had when first imported, and a version that grows
// with every change.
type Invoice struct {
	engine.Invoice
	// Opening is the open amount the ERP reported when the invoice was first
	// imported. Opening minus the ledger entries against the invoice is
	// Open.
	Opening engine.Amount
	// Version grows by one with every change of the invoice.
	Version uint64
}

const invoiceV1 byte = 1

func encodeInvoice(buf []byte, inv *Invoice) []byte {
	e := encoder{b: append(buf[:0], invoiceV1)}
	e.str(string(inv.ID))
	e.str(string(inv.Customer))
	e.str(inv.CustomerName)
	e.amount(inv.Amount)
	e.amount(inv.Opening)
	e.amount(inv.Open)
	e.date(inv.IssueDate)
	e.date(inv.DueDate)
	e.str(inv.Terms.DiscountPercent.String())
	e.varint(int64(inv.Terms.DiscountDays))
	e.varint(int64(inv.Terms.NetDays))
	e.str(inv.PONumber)
	e.strs(inv.CustomerAccounts)
	e.uvarint(inv.Version)
	return e.b
}

func decodeInvoice(b []byte) (Invoice, error) {
	if len(b) == 0 || b[0] != invoiceV1 {
		return Invoice{}, errVersion("invoice", firstByte(b))
	}
	d := decoder{b: b[1:]}
	var inv Invoice
	inv.ID = engine.InvoiceID(d.str())
	inv.Customer = engine.CustomerID(d.str())
	inv.CustomerName = d.str()
	inv.Amount = d.amount()
	inv.Opening = d.amount()
	inv.Open = d.amount()
	inv.IssueDate = d.date()
	inv.DueDate = d.date()
	if pct := d.str(); pct != "" && pct != "0" {
		v, err := decimal.NewFromString(pct)
		if err != nil && d.err == nil {
			d.err = fmt.Errorf("%w: discount %q", ErrCorrupt, pct)
		}
		inv.Terms.DiscountPercent = v
	}
	inv.Terms.DiscountDays = int(d.varint())
	inv.Terms.NetDays = int(d.varint())
	inv.PONumber = d.str()
	inv.CustomerAccounts = d.strs()
	inv.Version = d.uvarint()
	return inv, d.end("invoice")
}

// EntryKind says what a ledger entry records.
type EntryKind uint8

// Entry kinds. Allocation, OnAccount and NotReceivable entries account for a
// payment's cash; Adjustment entries reduce an invoice beyond the cash.
const (
	EntryAllocation EntryKind = iota + 1
	EntryAdjustment
	EntryOnAccount
	EntryNotReceivable
)

var entryKindNames = [...]string{"", "allocation", "adjustment", "on_account", "not_receivable"}

func (k EntryKind) String() string {
	if int(k) < len(entryKindNames) && k > 0 {
		return entryKindNames[k]
	}
	return fmt.Sprintf("entry(%d)", k)
}

// MarshalText encodes the kind by name.
func (k EntryKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind name.
func (k *EntryKind) UnmarshalText(b []byte) error {
	for i, n := range entryKindNames {
		if i > 0 && n == string(b) {
			*k = EntryKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown entry kind %q", b)
}

// Entry is one line of an entity's cash-application ledger, which only ever
// grows: cash of a payment applied to an invoice, held on account or set
// aside as not a receivable, or an adjustment of an invoice. A reversal is a
// new entry of the opposite amount that names the entry it reverses.
type Entry struct {
	Seq        uint64 // the entry's sequence number within the entity
	Kind       EntryKind
	PaymentSeq uint64
	Payment    engine.PaymentID
	Invoice    engine.InvoiceID  // allocations and adjustments
	Customer   engine.CustomerID // the customer, where known
	// Amount is in the payment's currency. It reduces the invoice's open
	// amount (allocations, adjustments) and accounts for that much of the
	// payment (all kinds but adjustments). A reversal's amount is the
	// negated amount of the entry it reverses.
	Amount engine.Amount
	Reason engine.AdjustmentReason // adjustments
	Code   string                  // a specialist's reason code, for write-offs
	// Reverses is the seq of the entry this one reverses; zero if none.
	Reverses uint64
	Audit    uint64 // the audit record that wrote the entry
	Time     time.Time
}

const entryV1 byte = 1

func encodeEntry(buf []byte, en *Entry) []byte {
	e := encoder{b: append(buf[:0], entryV1)}
	e.byte1(byte(en.Kind))
	e.uvarint(en.PaymentSeq)
	e.str(string(en.Payment))
	e.str(string(en.Invoice))
	e.str(string(en.Customer))
	e.amount(en.Amount)
	e.byte1(byte(en.Reason))
	e.str(en.Code)
	e.uvarint(en.Reverses)
	e.uvarint(en.Audit)
	e.time(en.Time)
	return e.b
}

func decodeEntry(seq uint64, b []byte) (Entry, error) {
	if len(b) == 0 || b[0] != entryV1 {
		return Entry{}, errVersion("entry", firstByte(b))
	}
	d := decoder{b: b[1:]}
	en := Entry{Seq: seq}
	en.Kind = EntryKind(d.byte1())
	en.PaymentSeq = d.uvarint()
	en.Payment = engine.PaymentID(d.str())
	en.Invoice = engine.InvoiceID(d.str())
	en.Customer = engine.CustomerID(d.str())
	en.Amount = d.amount()
	en.Reason = engine.AdjustmentReason(d.byte1())
	en.Code = d.str()
	en.Reverses = d.uvarint()
	en.Audit = d.uvarint()
	en.Time = d.time()
	return en, d.end("entry")
}

// isCash reports whether the entry accounts for part of its payment's cash.
func (en *Entry) isCash() bool { return en.Kind != EntryAdjustment }

// touchesInvoice reports whether the entry changes an invoice's open amount.
func (en *Entry) touchesInvoice() bool {
	return en.Kind == EntryAllocation || en.Kind == EntryAdjustment
}

// application is what is applied of one payment now, and how the engine
// decided it. Applied, OnAccount and NotReceivable are the sums of the
// payment's cash entries of each kind; Unapplied is the rest of the payment.
type application struct {
	Seq        uint64
	Kind       engine.Kind // the engine's decision
	Customer   engine.CustomerID
	Confidence engine.Confidence
	Exception  engine.Reason // the engine's exception reason
	Reasons    []string
	// Original is the earlier payment this one returns, reverses or
	// repeats, as the engine found it.
	Original engine.PaymentID
	// Amounts in the payment's currency.
	Applied       engine.Amount
	OnAccount     engine.Amount
	NotReceivable engine.Amount
	Unapplied     engine.Amount
	// Entries lists the payment's ledger entries, reversals included, in
	// the order written.
	Entries []uint64
	// HasException is true when an exception record exists for the payment.
	HasException bool
	// Audit is the seq of the audit record of the engine's decision; the
	// entries it wrote are the engine's.
	Audit   uint64
	Version uint64
	Decided time.Time
	Updated time.Time
}

const applicationV1 byte = 1

func encodeApplication(buf []byte, a *application) []byte {
	e := encoder{b: append(buf[:0], applicationV1)}
	e.byte1(byte(a.Kind))
	e.str(string(a.Customer))
	e.uvarint(uint64(a.Confidence))
	e.byte1(byte(a.Exception))
	e.strs(a.Reasons)
	e.str(string(a.Original))
	e.amount(a.Applied)
	e.amount(a.OnAccount)
	e.amount(a.NotReceivable)
	e.amount(a.Unapplied)
	e.uvarint(uint64(len(a.Entries)))
	for _, s := range a.Entries {
		e.uvarint(s)
	}
	if a.HasException {
		e.byte1(1)
	} else {
		e.byte1(0)
	}
	e.uvarint(a.Audit)
	e.uvarint(a.Version)
	e.time(a.Decided)
	e.time(a.Updated)
	return e.b
}

func decodeApplication(seq uint64, b []byte) (application, error) {
	if len(b) == 0 || b[0] != applicationV1 {
		return application{}, errVersion("application", firstByte(b))
	}
	d := decoder{b: b[1:]}
	a := application{Seq: seq}
	a.Kind = engine.Kind(d.byte1())
	a.Customer = engine.CustomerID(d.str())
	a.Confidence = engine.Confidence(d.uvarint())
	a.Exception = engine.Reason(d.byte1())
	a.Reasons = d.strs()
	a.Original = engine.PaymentID(d.str())
	a.Applied = d.amount()
	a.OnAccount = d.amount()
	a.NotReceivable = d.amount()
	a.Unapplied = d.amount()
	if n := d.uvarint(); n <= uint64(len(d.b)) {
		for range n {
			a.Entries = append(a.Entries, d.uvarint())
		}
	} else {
		d.fail()
	}
	a.HasException = d.byte1() == 1
	a.Audit = d.uvarint()
	a.Version = d.uvarint()
	a.Decided = d.time()
	a.Updated = d.time()
	return a, d.end("application")
}

// customerRecord is a customer as stored.
type customerRecord struct {
	ID       engine.CustomerID `json:"id"`
	Name     string            `json:"name"`
	Aliases  []string          `json:"aliases,omitempty"`
	Accounts []string          `json:"accounts,omitempty"`
	Version  uint64            `json:"version"`
}

func (c customerRecord) customer() engine.Customer {
	return engine.Customer{ID: c.ID, Name: c.Name, Aliases: c.Aliases, Accounts: c.Accounts}
}

// summaryRecord is an engine.Summary as stored.
type summaryRecord struct {
	Payments   int                       `json:"payments"`
	Auto       int                       `json:"auto"`
	Suggested  int                       `json:"suggested"`
	Exceptions int                       `json:"exceptions"`
	Skipped    int                       `json:"skipped,omitempty"`
	ByReason   map[string]int            `json:"by_reason,omitempty"`
	Applied    map[engine.Currency]money `json:"applied,omitempty"`
	OnAccount  map[engine.Currency]money `json:"on_account,omitempty"`
	Unapplied  map[engine.Currency]money `json:"unapplied,omitempty"`
}

func toSummaryRecord(s engine.Summary) summaryRecord {
	r := summaryRecord{Payments: s.Payments, Auto: s.Auto, Suggested: s.Suggested,
		Exceptions: s.Exceptions, Skipped: s.Skipped, ByReason: s.ByReason,
		Applied: map[engine.Currency]money{}, OnAccount: map[engine.Currency]money{},
		Unapplied: map[engine.Currency]money{}}
	for c, a := range s.Applied {
		r.Applied[c] = toMoney(a)
	}
	for c, a := range s.OnAccount {
		r.OnAccount[c] = toMoney(a)
	}
	for c, a := range s.Unapplied {
		r.Unapplied[c] = toMoney(a)
	}
	return r
}

func (r summaryRecord) summary() (engine.Summary, error) {
	s := engine.NewSummary()
	s.Payments, s.Auto, s.Suggested, s.Exceptions = r.Payments, r.Auto, r.Suggested, r.Exceptions
	s.Skipped = r.Skipped
	for k, n := range r.ByReason {
		s.ByReason[k] = n
	}
	var err error
	for c, m := range r.Applied {
		s.Applied[c] = m.mustAmount(&err)
	}
	for c, m := range r.OnAccount {
		s.OnAccount[c] = m.mustAmount(&err)
	}
	for c, m := range r.Unapplied {
		s.Unapplied[c] = m.mustAmount(&err)
	}
	return s, err
}

// statementRecord is a statement as stored, with what ingesting it did.
type statementRecord struct {
	ID       engine.StatementID `json:"id"`
	Seq      uint64             `json:"seq"`
	Source   string             `json:"source"`
	Format   engine.Format      `json:"format"`
	Size     int64              `json:"size"`
	Received time.Time          `json:"received"`
	Read     int                `json:"read"`     // payments in the file
	New      int                `json:"new"`      // payments stored
	Repeated int                `json:"repeated"` // payments an earlier statement holds
	FirstSeq uint64             `json:"first_seq,omitempty"`
	LastSeq  uint64             `json:"last_seq,omitempty"`
	Warnings []string           `json:"warnings,omitempty"`
	Summary  summaryRecord      `json:"summary"`
	// ReceivedBy names who sent the file; the audit record of its intake
	// carries the same name.
	ReceivedBy string `json:"received_by,omitempty"`
}

func (r statementRecord) statement(entity engine.EntityID) engine.Statement {
	return engine.Statement{ID: r.ID, Entity: entity, Source: r.Source, Format: r.Format,
		Size: r.Size, Received: r.Received, Payments: r.Read, Warnings: r.Warnings, ReceivedBy: r.ReceivedBy}
}
