package store

import (
	"github.com/cashmatch/cashmatch/engine"
)

// paymentV1 is the first binary encoding of a payment.
const paymentV1 byte = 1

// encodePayment encodes a payment as read from its statement. The sequence
// number is the key and is not repeated in the value.
func encodePayment(buf []byte, p *engine.Payment) []byte {
	e := encoder{b: append(buf[:0], paymentV1)}
	e.str(string(p.ID))
	e.str(string(p.Statement))
	e.str(string(p.Format))
	e.str(p.Source)
	e.str(p.Account)
	e.amount(p.Amount)
	e.byte1(byte(p.Direction))
	e.byte1(byte(p.Status))
	e.date(p.ValueDate)
	e.date(p.BookingDate)
	e.str(p.TypeCode)
	e.str(p.BankRef)
	e.str(p.CustomerRef)
	e.str(p.EndToEndID)
	e.str(p.PayerName)
	e.str(p.PayerID)
	e.str(p.PayerAccount)
	e.str(p.PayerBank)
	e.str(p.UltimatePayer)
	e.strs(p.Remittance.Lines)
	e.uvarint(uint64(len(p.Remittance.References)))
	for _, r := range p.Remittance.References {
		e.byte1(byte(r.Kind))
		e.str(r.Value)
		e.amount(r.Amount)
		e.amount(r.Due)
		e.amount(r.Discount)
		e.amount(r.Adjustment)
		e.str(r.Qualifier)
		e.date(r.Date)
	}
	e.str(p.OriginalRef)
	e.str(p.ReturnReason)
	e.strs(p.Warnings)
	e.str(p.TransactionID)
	e.str(p.UETR)
	e.amount(p.Charges)
	e.amount(p.InstructedAmount)
	e.str(p.ExchangeRate)
	return e.b
}

// decodePayment decodes a payment stored under sequence number seq.
func decodePayment(seq uint64, b []byte) (engine.Payment, error) {
	if len(b) == 0 || b[0] != paymentV1 {
		return engine.Payment{}, errVersion("payment", firstByte(b))
	}
	d := decoder{b: b[1:]}
	p := engine.Payment{Seq: seq}
	p.ID = engine.PaymentID(d.str())
	p.Statement = engine.StatementID(d.str())
	p.Format = engine.Format(d.str())
	p.Source = d.str()
	p.Account = d.str()
	p.Amount = d.amount()
	p.Direction = engine.Direction(d.byte1())
	p.Status = engine.Status(d.byte1())
	p.ValueDate = d.date()
	p.BookingDate = d.date()
	p.TypeCode = d.str()
	p.BankRef = d.str()
	p.CustomerRef = d.str()
	p.EndToEndID = d.str()
	p.PayerName = d.str()
	p.PayerID = d.str()
	p.PayerAccount = d.str()
	p.PayerBank = d.str()
	p.UltimatePayer = d.str()
	p.Remittance.Lines = d.strs()
	if n := d.uvarint(); n > 0 && n <= uint64(len(d.b)) {
		p.Remittance.References = make([]engine.Reference, n)
		for i := range p.Remittance.References {
			r := &p.Remittance.References[i]
			r.Kind = engine.RefKind(d.byte1())
			r.Value = d.str()
			r.Amount = d.amount()
			r.Due = d.amount()
			r.Discount = d.amount()
			r.Adjustment = d.amount()
			r.Qualifier = d.str()
			r.Date = d.date()
		}
	} else if n > 0 {
		d.fail()
	}
	p.OriginalRef = d.str()
	p.ReturnReason = d.str()
	p.Warnings = d.strs()
	p.TransactionID = d.str()
	p.UETR = d.str()
	p.Charges = d.amount()
	p.InstructedAmount = d.amount()
	p.ExchangeRate = d.str()
	return p, d.end("payment")
}

func firstByte(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}
