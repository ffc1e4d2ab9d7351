package camt

import (
	"bytes"
	"fmt"

	"github.com/cashmatch/cashmatch/engine"
)

// The tables below map element paths, relative to the account report
// (Stmt, Rpt, Ntfctn), the entry (Ntry) and the transaction (TxDtls), to
// what the reader keeps. Where versions spell an element differently every
// spelling is listed (see version.go); elements not listed are skipped.

func (r *Reader) startInStatement() {
	switch string(r.relBytes(r.stmtBase)) {
	case "Ntry":
		r.startEntry()
	case "Bal":
		r.st.bals = append(r.st.bals, balance{index: len(r.st.bals) + 1, line: r.leafLine, col: r.leafCol})
	}
}

func (r *Reader) startInEntry() {
	rel := string(r.relBytes(r.ntryBase))
	switch {
	case rel == "NtryDtls":
		r.en.dtls++
		r.en.txInDtls = 0
	case rel == "NtryDtls/TxDtls", rel == "TxDtls" && r.version == 1:
		r.startTransaction()
	}
}

func (r *Reader) startInTransaction() {
	switch string(r.relBytes(r.txBase)) {
	case "RmtInf/Strd":
		r.strd = structured{docs: r.strd.docs[:0]}
		r.strdDepth = r.sc.depth()
	case "RmtInf/Strd/RfrdDocInf":
		r.strd.docs = append(r.strd.docs, engine.Reference{})
	case "RmtInf/Strd/RfrdDocAmt/RmtAmtAndTp":
		r.strd.amountType = ""
	}
}

func (r *Reader) statementField(rel []byte, text []byte) error {
	st := &r.st
	switch string(rel) {
	case "Id":
		st.id = trim(text)
	case "Acct/Id/IBAN", "Acct/Id/Othr/Id", "Acct/Id/PrtryAcct/Id", "Acct/Id/BBAN", "Acct/Id/UPIC":
		if st.account == "" {
			st.account = trim(text)
		}
	case "Acct/Ccy":
		c, err := engine.ParseCurrency(trim(text))
		if err != nil {
			return r.fail(string(rel), err)
		}
		st.ccy = c
	case "Bal/Tp/CdOrPrtry/Cd", "Bal/Tp/Cd", "Bal/Tp/CdOrPrtry/Prtry":
		st.lastBalance().code = r.code(text)
	case "Bal/Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		st.lastBalance().amount = a
	case "Bal/CdtDbtInd":
		d, err := direction(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		st.lastBalance().dir = d
	default:
		if bytes.HasPrefix(rel, []byte("TxsSummry/")) {
			return r.summaryField(rel, text)
		}
	}
	return nil
}

// summaryField keeps the stated totals of TxsSummry.
func (r *Reader) summaryField(rel []byte, text []byte) error {
	var f *stated
	s := &r.st.summary
	switch string(rel) {
	case "TxsSummry/TtlNtries/NbOfNtries":
		f = &s.count
	case "TxsSummry/TtlNtries/Sum":
		f = &s.sum
	case "TxsSummry/TtlNtries/TtlNetNtryAmt", "TxsSummry/TtlNtries/TtlNetNtry/Amt":
		f = &s.net
	case "TxsSummry/TtlNtries/CdtDbtInd", "TxsSummry/TtlNtries/TtlNetNtry/CdtDbtInd":
		d, err := direction(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		s.netDebit = d == engine.Debit
		return nil
	case "TxsSummry/TtlCdtNtries/NbOfNtries":
		f = &s.creditCount
	case "TxsSummry/TtlCdtNtries/Sum":
		f = &s.creditSum
	case "TxsSummry/TtlDbtNtries/NbOfNtries":
		f = &s.debitCount
	case "TxsSummry/TtlDbtNtries/Sum":
		f = &s.debitSum
	default:
		return nil
	}
	if err := f.set(trim(text), r.where(string(rel)), r.leafLine, r.leafCol); err != nil {
		return r.fail(string(rel), err)
	}
	return nil
}

func (r *Reader) entryField(rel []byte, text []byte) error {
	en := &r.en
	switch string(rel) {
	case "Amt":
		a, f, err := r.moneyUnits(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		en.amount, en.units, en.hasAmount = a, f, true
	case "CdtDbtInd":
		d, err := direction(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		en.dir, en.hasDir = d, true
	case "RvslInd":
		b, err := boolean(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		en.reversal = b
	case "Sts", "Sts/Cd", "Sts/Prtry":
		return r.entryStatus(string(rel), r.code(text))
	case "BookgDt/Dt", "BookgDt/DtTm":
		d, err := parseDate(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		en.booking = d
	case "ValDt/Dt", "ValDt/DtTm":
		d, err := parseDate(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		en.value = d
	case "AcctSvcrRef":
		en.bankRef = trim(text)
	case "AddtlNtryInf":
		en.info = string(text)
	default:
		return r.commonField(rel, text, &en.common)
	}
	return nil
}

// entryStatus reads Sts in its plain (before 001.07) or coded form.
func (r *Reader) entryStatus(rel, code string) error {
	en := &r.en
	en.statusCode, en.hasStatus = code, true
	coded := rel != "Sts"
	if coded != codedStatus(r.version) {
		form := "plain Sts"
		if coded {
			form = "coded Sts/Cd"
		}
		err := r.depart(r.leafLine, r.leafCol, r.where(rel),
			fmt.Sprintf("%s is not the form of %s.001.%02d", form, r.msg.format, r.version))
		if err != nil {
			return err
		}
	}
	if _, ok := status(code); ok || rel == "Sts/Prtry" {
		return nil
	}
	return r.depart(r.leafLine, r.leafCol, r.where(rel),
		fmt.Sprintf("unknown entry status %q read as informational", code))
}

// commonField reads what entries and transactions share: the bank
// transaction code, amount details and charges.
func (r *Reader) commonField(rel []byte, text []byte, c *common) error {
	switch string(rel) {
	case "BkTxCd/Domn/Cd":
		c.code.domain = r.code(text)
	case "BkTxCd/Domn/Fmly/Cd":
		c.code.family = r.code(text)
	case "BkTxCd/Domn/Fmly/SubFmlyCd":
		c.code.sub = r.code(text)
	case "BkTxCd/Prtry/Cd":
		c.code.prtry = r.code(text)
	case "AmtDtls/InstdAmt/Amt", "AmtDtls/TxAmt/Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		if string(rel) == "AmtDtls/TxAmt/Amt" {
			c.txAmount = a
		} else {
			c.instructed = a
		}
	case "AmtDtls/InstdAmt/CcyXchg/XchgRate", "AmtDtls/TxAmt/CcyXchg/XchgRate":
		if c.rate == "" {
			c.rate = trim(text)
		}
	case "Chrgs/TtlChrgsAndTaxAmt":
		a, err := r.money(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		c.chargesTotal = a
	case "Chrgs/Rcrd/Amt", "Chrgs/Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		if !addAmount(&c.chargesSum, a) {
			c.chargesMixed = true
		}
	}
	return nil
}

func (r *Reader) transactionField(rel []byte, text []byte) error {
	tx := &r.tx
	switch string(rel) {
	case "Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		tx.amount, tx.hasAmount = a, true
	case "CdtDbtInd":
		d, err := direction(text)
		if err != nil {
			return r.fail(string(rel), err)
		}
		tx.dir, tx.hasDir = d, true
	case "Refs/AcctSvcrRef":
		tx.bankRef = trim(text)
	case "Refs/EndToEndId":
		if v := trim(text); !notProvided(v) {
			tx.endToEnd = v
		}
	case "Refs/TxId":
		tx.txID = trim(text)
	case "Refs/UETR":
		tx.uetr = trim(text)
	case "Refs/InstrId":
		tx.instrID = trim(text)
	case "RmtInf/Ustrd", "RmtInf/Strd/AddtlRmtInf":
		tx.lines = append(tx.lines, string(text))
	case "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry":
		tx.returnReason = trim(text)
	default:
		switch {
		case bytes.HasPrefix(rel, []byte("RltdPties/")), bytes.HasPrefix(rel, []byte("RltdAgts/")):
			tx.partyField(rel, text)
		case bytes.HasPrefix(rel, []byte("RmtInf/Strd/")):
			return r.structuredField(rel[len("RmtInf/Strd/"):], text)
		default:
			return r.commonField(rel, text, &tx.common)
		}
	}
	return nil
}

// partyField keeps the names, accounts and banks of both sides (rel is
// below RltdPties or RltdAgts); the payment takes the side opposite the
// account holder once the direction is known.
func (tx *transaction) partyField(rel, text []byte) {
	_, rest, _ := bytes.Cut(rel, []byte("/"))
	elem, sub, _ := bytes.Cut(rest, []byte("/"))
	p := &tx.creditor
	if bytes.Contains(elem, []byte("Dbtr")) {
		p = &tx.debtor
	}
	switch string(elem) {
	case "Dbtr", "Cdtr":
		switch string(sub) {
		case "Nm", "Pty/Nm":
			p.name = trim(text)
		case "Id/OrgId/Othr/Id", "Id/PrvtId/Othr/Id", "Pty/Id/OrgId/Othr/Id", "Pty/Id/PrvtId/Othr/Id":
			if p.id == "" {
				p.id = trim(text)
			}
		}
	case "UltmtDbtr", "UltmtCdtr":
		if string(sub) == "Nm" || string(sub) == "Pty/Nm" {
			p.ultimate = trim(text)
		}
	case "DbtrAcct", "CdtrAcct":
		switch string(sub) {
		case "Id/IBAN", "Id/Othr/Id", "Id/BBAN", "Id/PrtryAcct/Id", "Id/UPIC":
			if p.account == "" {
				p.account = trim(text)
			}
		}
	case "DbtrAgt", "CdtrAgt":
		switch string(sub) {
		case "FinInstnId/BIC", "FinInstnId/BICFI":
			p.bank = trim(text)
		case "FinInstnId/ClrSysMmbId/MmbId":
			if p.bank == "" {
				p.bank = trim(text)
			}
		}
	}
}

// structuredField reads one element of RmtInf/Strd, rel being the path
// below Strd.
func (r *Reader) structuredField(rel []byte, text []byte) error {
	s := &r.strd
	switch string(rel) {
	case "RfrdDocInf/Tp/CdOrPrtry/Cd", "RfrdDocInf/RfrdDocTp/Cd":
		d := s.doc()
		d.Qualifier = r.code(text)
		d.Kind = documentKind(d.Qualifier)
	case "RfrdDocInf/Tp/CdOrPrtry/Prtry", "RfrdDocInf/RfrdDocTp/Prtry":
		s.doc().Qualifier = trim(text)
	case "RfrdDocInf/Nb", "RfrdDocInf/RfrdDocNb":
		s.doc().Value = trim(text)
	case "RfrdDocInf/RltdDt", "RfrdDocInf/RltdDt/Dt", "RfrdDocRltdDt":
		d, err := parseDate(text)
		if err != nil {
			return r.fail("RmtInf/Strd/"+string(rel), err)
		}
		s.doc().Date = d
	case "RfrdDocAmt/RmtdAmt", "RfrdDocAmt/DuePyblAmt", "RfrdDocAmt/CdtNoteAmt",
		"RfrdDocAmt/DscntApldAmt", "RfrdDocAmt/DscntApldAmt/Amt", "RfrdDocAmt/AdjstmntAmtAndRsn/Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail("RmtInf/Strd/"+string(rel), err)
		}
		var sum *engine.Amount
		switch string(rel) {
		case "RfrdDocAmt/RmtdAmt":
			sum = &s.remitted
		case "RfrdDocAmt/DuePyblAmt":
			sum = &s.due
		case "RfrdDocAmt/CdtNoteAmt":
			sum = &s.creditNote
		case "RfrdDocAmt/AdjstmntAmtAndRsn/Amt":
			sum = &s.adjustment
		default:
			sum = &s.discount
		}
		if !addAmount(sum, a) {
			return r.fail("RmtInf/Strd/"+string(rel), fmt.Errorf("amounts in %s and %s in one RfrdDocAmt", sum.Currency, a.Currency))
		}
		s.hasAmounts = true
	case "RfrdDocAmt/RmtAmtAndTp/Tp/Cd", "RfrdDocAmt/RmtAmtAndTp/Tp/Prtry":
		s.amountType = r.code(text)
	case "RfrdDocAmt/RmtAmtAndTp/Amt":
		a, err := r.money(text)
		if err != nil {
			return r.fail("RmtInf/Strd/"+string(rel), err)
		}
		sum := s.typedAmount()
		if sum == nil {
			return nil // a tax, fee or balance amount: not kept
		}
		if !addAmount(sum, a) {
			return r.fail("RmtInf/Strd/"+string(rel), fmt.Errorf("amounts in %s and %s in one RfrdDocAmt", sum.Currency, a.Currency))
		}
		s.hasAmounts = true
	case "CdtrRefInf/Tp/CdOrPrtry/Cd", "CdtrRefInf/Tp/CdOrPrtry/Prtry", "CdtrRefInf/CdtrRefTp/Cd",
		"CdtrRefInf/CdtrRefTp/Prtry":
		s.creditorRefType = r.code(text)
	case "CdtrRefInf/Ref", "CdtrRefInf/CdtrRef":
		s.creditorRef, s.hasCreditorRef = trim(text), true
	}
	return nil
}

func (r *Reader) endStructured() {
	refs, warning := r.strd.references(r.tx.refs)
	r.tx.refs = refs
	if warning != "" {
		r.tx.warnings = append(r.tx.warnings, warning)
	}
	r.strdDepth = 0
}

// trim returns a value without the white space XML allows around it.
func trim(b []byte) string { return string(bytes.Trim(b, xmlSpace)) }
