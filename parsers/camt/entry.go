package camt

import (
	"errors"
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
)

// bankCode is a bank transaction code: the ISO domain, family and
// sub-family, and the bank's proprietary code.
type bankCode struct{ domain, family, sub, prtry string }

// String renders "PMNT/RCDT/ESCT" when the ISO code is given, else the
// proprietary code.
func (c bankCode) String() string {
	if c.domain != "" {
		return c.domain + "/" + c.family + "/" + c.sub
	}
	return c.prtry
}

// typeCode returns the code's String, interned: codes repeat on every entry.
func (r *Reader) typeCode(c bankCode) string {
	if c.domain == "" {
		return c.prtry
	}
	b := append(r.scratch[:0], c.domain...)
	b = append(append(b, '/'), c.family...)
	b = append(append(b, '/'), c.sub...)
	r.scratch = b
	return r.intern(b)
}

func (c bankCode) isZero() bool { return c == bankCode{} }

// common is what entries and transactions both report.
type common struct {
	code         bankCode
	txAmount     engine.Amount // AmtDtls/TxAmt
	instructed   engine.Amount // AmtDtls/InstdAmt
	rate         string
	chargesTotal engine.Amount
	chargesSum   engine.Amount
	chargesMixed bool
}

// charges returns the total charges reported: the stated total, else the
// sum of the charge records.
func (c *common) charges() engine.Amount {
	if c.chargesTotal.Currency != "" {
		return c.chargesTotal
	}
	if c.chargesMixed {
		return engine.Amount{}
	}
	return c.chargesSum
}

// entry is the Ntry being read.
type entry struct {
	common
	index, line, col int

	amount     engine.Amount
	units      fixed
	hasAmount  bool
	dir        engine.Direction
	hasDir     bool
	reversal   bool
	statusCode string
	hasStatus  bool
	booking    engine.Date
	value      engine.Date
	bankRef    string
	info       string

	dtls      int // NtryDtls seen
	txInDtls  int // TxDtls seen in the current NtryDtls
	txs       int // TxDtls seen in the entry
	txSum     engine.Amount
	txSumOK   bool
	checked   bool // required elements were checked
	held      *engine.Payment
	heldCount int
}

// transaction is the TxDtls being read.
type transaction struct {
	common
	index, dtls, line int

	amount       engine.Amount
	hasAmount    bool
	dir          engine.Direction
	hasDir       bool
	bankRef      string
	endToEnd     string
	txID         string
	uetr         string
	instrID      string
	debtor       party
	creditor     party
	lines        []string
	refs         []engine.Reference
	returnReason string
	warnings     []string
}

// party is one side of a transaction.
type party struct{ name, ultimate, account, bank, id string }

func (r *Reader) startEntry() {
	st := &r.st
	st.entries++
	r.en = entry{index: st.entries, line: r.leafLine, col: r.leafCol, txSumOK: true}
	r.ntryDepth = r.sc.depth()
	r.ntryBase = len(r.path) + 1
}

func (r *Reader) startTransaction() {
	en := &r.en
	en.txs++
	en.txInDtls++
	dtls := en.dtls
	if r.version == 1 {
		dtls = 0
	}
	r.tx = transaction{index: en.txInDtls, dtls: dtls, line: r.leafLine}
	r.txDepth = r.sc.depth()
	r.txBase = len(r.path) + 1
}

// checkEntry verifies, once the transaction details begin or the entry
// ends, that the entry states what every payment needs.
func (r *Reader) checkEntry() error {
	en := &r.en
	if en.checked {
		return nil
	}
	en.checked = true
	if !en.hasAmount {
		return r.refuse(en.line, en.col, r.where(""), errors.New("entry has no Amt"))
	}
	if !en.hasDir {
		return r.refuse(en.line, en.col, r.where(""), errors.New("entry has no CdtDbtInd"))
	}
	if !en.hasStatus {
		return r.depart(en.line, en.col, r.where(""), "entry has no Sts; read as booked")
	}
	return nil
}

func (r *Reader) endTransaction() error {
	path := r.where("")
	r.txDepth, r.txBase = 0, 0
	if err := r.checkEntry(); err != nil {
		return err
	}
	en, tx := &r.en, &r.tx
	p := r.newPayment(tx.line, path)
	r.applyTransaction(&p, tx)

	amount, ok := tx.ownAmount()
	if !ok {
		r.hold(p)
		return nil
	}
	p.Amount = amount
	if en.txSumOK && amount.Currency == en.amount.Currency {
		addAmount(&en.txSum, amount)
	} else {
		en.txSumOK = false
	}
	r.emit(p)
	return nil
}

// ownAmount returns the amount the transaction states for itself.
func (tx *transaction) ownAmount() (engine.Amount, bool) {
	if tx.hasAmount {
		return tx.amount, true
	}
	if tx.txAmount.Currency != "" {
		return tx.txAmount, true
	}
	return engine.Amount{}, false
}

// hold keeps a transaction without an amount of its own until the entry
// ends. Several such transactions become one payment, since the entry
// amount cannot be divided among them.
func (r *Reader) hold(p engine.Payment) {
	en := &r.en
	en.heldCount++
	if en.held == nil {
		en.held = &p
		return
	}
	h := en.held
	h.Remittance.Lines = append(h.Remittance.Lines, p.Remittance.Lines...)
	h.Remittance.References = append(h.Remittance.References, p.Remittance.References...)
	h.Warnings = append(h.Warnings, p.Warnings...)
	for _, f := range []struct{ dst, src *string }{
		{&h.EndToEndID, &p.EndToEndID}, {&h.PayerName, &p.PayerName}, {&h.PayerAccount, &p.PayerAccount},
		{&h.PayerBank, &p.PayerBank}, {&h.BankRef, &p.BankRef}, {&h.UltimatePayer, &p.UltimatePayer},
	} {
		if *f.dst != *f.src {
			*f.dst = ""
		}
	}
}

func (r *Reader) endEntry() error {
	if err := r.checkEntry(); err != nil {
		return err
	}
	path := r.where("")
	r.ntryDepth, r.ntryBase = 0, 0
	en := &r.en
	r.st.count(en)

	switch {
	case en.txs == 0:
		p := r.newPayment(en.line, path)
		p.Amount = en.amount
		p.Charges = en.charges()
		if en.instructed.Currency != "" {
			p.InstructedAmount = en.instructed
		}
		p.ExchangeRate = en.rate
		if en.info != "" {
			p.Remittance.Lines = append(p.Remittance.Lines, en.info)
		}
		r.emit(p)
	case en.held != nil:
		r.releaseHeld(path)
	}
	return nil
}

// releaseHeld emits the transactions of the entry that had no amount of
// their own, with what remains of the entry amount.
func (r *Reader) releaseHeld(entryPath string) {
	en := &r.en
	p := *en.held
	en.held = nil
	if en.heldCount > 1 {
		p.Source = r.source(en.line, entryPath)
	}
	p.Amount = en.amount
	switch {
	case en.heldCount == en.txs && en.txs == 1:
	case !en.txSumOK:
		p.Amount = engine.Amount{}
		p.Warnings = append(p.Warnings, "transaction amount unknown: the entry's other transactions are in other currencies")
	default:
		if en.txSum.Currency != "" {
			p.Amount = en.amount.Sub(en.txSum)
		}
		if en.heldCount > 1 {
			p.Warnings = append(p.Warnings, fmt.Sprintf(
				"%d transactions without amounts of their own reported as one payment of %s %s",
				en.heldCount, p.Amount, p.Amount.Currency))
		} else {
			p.Warnings = append(p.Warnings, "transaction amount taken as what remains of the entry amount")
		}
	}
	r.emit(p)
}

// newPayment starts a payment with what the statement and the entry say.
func (r *Reader) newPayment(line int, path string) engine.Payment {
	en := &r.en
	p := engine.Payment{
		Format:      r.msg.format,
		Source:      r.source(line, path),
		Account:     r.st.account,
		Direction:   en.dir,
		BookingDate: en.booking,
		ValueDate:   en.value,
		TypeCode:    r.typeCode(en.code),
		BankRef:     en.bankRef,
	}
	p.Status, _ = status(en.statusCode)
	if !en.hasStatus {
		p.Status = engine.Booked
	}
	if en.reversal {
		p.Status = engine.Reversal
	}
	return p
}

// applyTransaction adds what a TxDtls says to a payment begun from its
// entry.
func (r *Reader) applyTransaction(p *engine.Payment, tx *transaction) {
	if tx.hasDir {
		p.Direction = tx.dir
	}
	if !tx.code.isZero() {
		p.TypeCode = r.typeCode(tx.code)
	}
	if tx.bankRef != "" {
		p.BankRef = tx.bankRef
	}
	p.EndToEndID, p.TransactionID, p.UETR = tx.endToEnd, tx.txID, tx.uetr
	if p.Direction == engine.Debit {
		p.CustomerRef = tx.instrID
	}
	side := payerSide(tx, p.Direction, p.Status == engine.Reversal)
	p.PayerName, p.UltimatePayer, p.PayerAccount = side.name, side.ultimate, side.account
	p.PayerBank, p.PayerID = side.bank, side.id
	p.Charges, p.InstructedAmount, p.ExchangeRate = tx.charges(), tx.instructed, tx.rate
	p.Remittance.Lines = tx.lines
	p.Remittance.References = tx.refs
	p.ReturnReason = tx.returnReason
	p.Warnings = tx.warnings
}

// payerSide returns the party that paid: the debtor of a credit, the
// creditor of a debit. A reversal undoes a payment in the other direction,
// so its payer is the other side; when that side is empty (banks that
// report a reversal with the original direction) the usual side is taken.
func payerSide(tx *transaction, dir engine.Direction, reversal bool) party {
	usual, other := tx.debtor, tx.creditor
	if dir == engine.Debit {
		usual, other = other, usual
	}
	if reversal && (other.name != "" || other.account != "") {
		return other
	}
	return usual
}

func (r *Reader) emit(p engine.Payment) {
	r.payments++
	r.queue = append(r.queue, p)
}
