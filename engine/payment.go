package engine

import (
	"encoding/json"
	"fmt"
)

// StatementID identifies a statement: the lower-case hex SHA-256 of the bank
// file's bytes.
type StatementID string

// PaymentID identifies a payment within a legal entity. It is stable: the
// same statement read again yields the same IDs.
type PaymentID string

// Format names a bank-file format.
type Format string

// The formats cashmatch reads.
const (
	FormatBAI2    Format = "bai2"
	FormatCamt053 Format = "camt.053"
	FormatCamt054 Format = "camt.054"
	FormatCamt052 Format = "camt.052"
	FormatACH     Format = "ach"
)

// Direction says whether money came in (Credit) or went out (Debit) of the
// reported account.
type Direction uint8

// Directions.
const (
	Credit Direction = iota
	Debit
)

func (d Direction) String() string {
	if d == Debit {
		return "debit"
	}
	return "credit"
}

// MarshalText encodes the direction as "credit" or "debit".
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "credit" or "debit".
func (d *Direction) UnmarshalText(b []byte) error {
	switch string(b) {
	case "credit":
		*d = Credit
	case "debit":
		*d = Debit
	default:
		return fmt.Errorf("unknown direction %q", b)
	}
	return nil
}

// Status is the booking state of a payment.
type Status uint8

// Statuses. Reversal is a bank's reversal of an earlier entry (camt RvslInd,
// BAI2 reversal codes); Return is an ACH return of an earlier entry.
const (
	Booked Status = iota
	Pending
	Reversal
	Return
	// Informational is a non-monetary record, such as an ACH notification of
	// change; it moves no money.
	Informational
)

var statusNames = [...]string{"booked", "pending", "reversal", "return", "info"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", s)
}

// MarshalText encodes the status by name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q", b)
}

// Payment is one entry of a statement, normalized from any bank format.
// Amount is positive; Direction says which way the money moved.
type Payment struct {
	ID PaymentID
	// Seq is the payment's sequence number within its legal entity,
	// assigned once when a store first keeps it; zero before.
	Seq          uint64
	Statement    StatementID
	Format       Format
	Source       string // file and position: "file.bai2:17", "file.xml:/Document/.../Ntry[3]"
	Account      string // the reported (receiving) account
	Amount       Amount
	Direction    Direction
	Status       Status
	ValueDate    Date
	BookingDate  Date
	TypeCode     string // BAI2 type code, camt bank transaction code, ACH SEC code and transaction code
	BankRef      string // the bank's reference: BAI2 bank reference, camt AcctSvcrRef, ACH trace number
	CustomerRef  string // the reference given by the account owner's side (BAI2 customer reference)
	EndToEndID   string
	PayerName    string
	PayerID      string // an identifier of the payer: ACH company id, camt party id
	PayerAccount string
	PayerBank    string // the payer's bank: routing number or BIC
	// UltimatePayer is the party on whose behalf the payer paid, when the
	// bank reports one (camt UltmtDbtr, ACH IAT).
	UltimatePayer string
	Remittance    Remittance
	// OriginalRef names the entry a return or reversal undoes: for ACH the
	// original trace number.
	OriginalRef string
	// ReturnReason is the return or change code (ACH R01, C01; camt reason).
	ReturnReason string
	// TransactionID is the interbank transaction id (camt TxId) and UETR the
	// SWIFT unique end-to-end transaction reference, where the bank reports
	// them.
	TransactionID string
	UETR          string
	// Charges are the bank charges the bank reports for this payment; zero
	// when it reports none.
	Charges Amount
	// InstructedAmount is the amount as the payer instructed it, before
	// currency exchange and charges, and ExchangeRate the rate the bank
	// applied, as written; both empty when the bank reports none.
	InstructedAmount Amount
	ExchangeRate     string
	// Warnings are departures from the format that the reader tolerated.
	Warnings []string
}

// Remittance is what the payer said about what it pays: its free text, and the
// references found in structured fields or recognised in the text.
type Remittance struct {
	Lines      []string
	References []Reference
}

// Text joins the free-text lines with single spaces.
func (r Remittance) Text() string {
	n := 0
	for _, l := range r.Lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for i, l := range r.Lines {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, l...)
	}
	return string(b)
}

// RefKind classifies a reference.
type RefKind uint8

// Reference kinds.
const (
	RefOther RefKind = iota
	RefInvoice
	RefRF       // ISO 11649 creditor reference, check digits verified
	RefPO       // purchase order
	RefCustomer // the payer's customer number with the payee
	RefCreditNote
)

var refKindNames = [...]string{"other", "invoice", "rf", "po", "customer", "credit_note"}

func (k RefKind) String() string {
	if int(k) < len(refKindNames) {
		return refKindNames[k]
	}
	return "other"
}

// MarshalText encodes the kind by name.
func (k RefKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a kind name.
func (k *RefKind) UnmarshalText(b []byte) error {
	for i, n := range refKindNames {
		if n == string(b) {
			*k = RefKind(i)
			return nil
		}
	}
	return fmt.Errorf("unknown reference kind %q", b)
}

// Reference is one document the payer names, with the amounts it states for
// it. Amounts that the remittance does not state are zero-valued with an empty
// currency (see HasAmount).
type Reference struct {
	Kind  RefKind
	Value string
	// Amount is what the payer pays against this document.
	Amount Amount
	// Due, Discount and Adjustment are the document's total, the discount
	// taken and any other adjustment, where the remittance states them.
	Due        Amount
	Discount   Amount
	Adjustment Amount
	// Qualifier is the format's own code for the reference: X12 RMR01 "IV",
	// camt document type "CINV", BAI2 text key.
	Qualifier string
	Date      Date
}

// HasAmount reports whether the remittance stated an amount paid.
func (r Reference) HasAmount() bool { return r.Amount.Currency != "" }

type referenceJSON struct {
	Kind   RefKind `json:"kind"`
	Value  string  `json:"value"`
	Amount string  `json:"amount,omitempty"`
}

// MarshalJSON encodes the reference in the shape of the parse output.
func (r Reference) MarshalJSON() ([]byte, error) {
	j := referenceJSON{Kind: r.Kind, Value: r.Value}
	if r.HasAmount() {
		j.Amount = r.Amount.String()
	}
	return json.Marshal(j)
}

// paymentJSON is the line format of `cashmatch parse`.
type paymentJSON struct {
	Statement     StatementID `json:"statement,omitempty"`
	Format        Format      `json:"format,omitempty"`
	Source        string      `json:"source,omitempty"`
	ID            PaymentID   `json:"id,omitempty"`
	Account       string      `json:"account,omitempty"`
	Currency      Currency    `json:"currency,omitempty"`
	Amount        Amount      `json:"amount"`
	Direction     Direction   `json:"direction"`
	Status        Status      `json:"status"`
	ValueDate     Date        `json:"value_date,omitzero"`
	BookingDate   Date        `json:"booking_date,omitzero"`
	TypeCode      string      `json:"type_code,omitempty"`
	BankRef       string      `json:"bank_ref,omitempty"`
	CustomerRef   string      `json:"customer_ref,omitempty"`
	EndToEndID    string      `json:"end_to_end_id,omitempty"`
	PayerName     string      `json:"payer_name,omitempty"`
	PayerID       string      `json:"payer_id,omitempty"`
	PayerAccount  string      `json:"payer_account,omitempty"`
	PayerBank     string      `json:"payer_bank,omitempty"`
	UltimatePayer string      `json:"ultimate_payer,omitempty"`
	Remittance    string      `json:"remittance,omitempty"`
	References    []Reference `json:"references,omitempty"`
	OriginalRef   string      `json:"original_ref,omitempty"`
	ReturnReason  string      `json:"return_reason,omitempty"`
	TransactionID string      `json:"transaction_id,omitempty"`
	UETR          string      `json:"uetr,omitempty"`
	Charges       string      `json:"charges,omitempty"`
	ChargesCcy    Currency    `json:"charges_currency,omitempty"`
	Instructed    string      `json:"instructed_amount,omitempty"`
	InstructedCcy Currency    `json:"instructed_currency,omitempty"`
	ExchangeRate  string      `json:"exchange_rate,omitempty"`
	Warnings      []string    `json:"warnings,omitempty"`
}

// MarshalJSON encodes the payment in the line format of `cashmatch parse`:
// flat, amounts as decimal strings, absent values omitted.
func (p Payment) MarshalJSON() ([]byte, error) {
	j := paymentJSON{
		Statement: p.Statement, Format: p.Format, Source: p.Source, ID: p.ID,
		Account: p.Account, Currency: p.Amount.Currency, Amount: p.Amount,
		Direction: p.Direction, Status: p.Status,
		ValueDate: p.ValueDate, BookingDate: p.BookingDate, TypeCode: p.TypeCode,
		BankRef: p.BankRef, CustomerRef: p.CustomerRef, EndToEndID: p.EndToEndID,
		PayerName: p.PayerName, PayerID: p.PayerID, PayerAccount: p.PayerAccount,
		PayerBank: p.PayerBank, UltimatePayer: p.UltimatePayer,
		Remittance: p.Remittance.Text(), References: p.Remittance.References,
		OriginalRef: p.OriginalRef, ReturnReason: p.ReturnReason, Warnings: p.Warnings,
		TransactionID: p.TransactionID, UETR: p.UETR, ExchangeRate: p.ExchangeRate,
	}
	if !p.Charges.IsZero() {
		j.Charges, j.ChargesCcy = p.Charges.String(), p.Charges.Currency
	}
	if p.InstructedAmount.Currency != "" {
		j.Instructed = p.InstructedAmount.String()
		j.InstructedCcy = p.InstructedAmount.Currency
	}
	return json.Marshal(j)
}
