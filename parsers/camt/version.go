package camt

import (
	"strconv"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// This file and the path tables in fields.go are the one place that knows
// how the thirteen published versions of camt.052, camt.053 and camt.054
// differ in what this reader uses. The tables accept every spelling listed
// here in every version; strict mode refuses the entry status form that the
// message's own version does not define.
//
//   - 001.01 names the message element with its version (BkToCstmrStmtV01,
//     BkToCstmrAcctRptV01, BkToCstmrDbtCdtNtfctnV01), puts Btch and TxDtls
//     directly in Ntry, types balances as Bal/Tp/Cd, may identify accounts
//     by Id/PrtryAcct/Id, Id/BBAN or Id/UPIC, and writes structured
//     remittance as RfrdDocInf/RfrdDocTp and RfrdDocNb, RfrdDocRltdDt, and
//     CdtrRefInf/CdtrRefTp with CdtrRef.
//   - 001.02 on: NtryDtls (repeatable) holds Btch and TxDtls; balances are
//     typed Bal/Tp/CdOrPrtry/Cd; RfrdDocInf/Tp/CdOrPrtry with Nb and
//     RltdDt; CdtrRefInf/Tp/CdOrPrtry with Ref.
//   - The net total of TxsSummry/TtlNtries is TtlNetNtryAmt with CdtDbtInd
//     in 001.02 and TtlNetNtry/Amt with TtlNetNtry/CdtDbtInd later.
//   - Agents are FinInstnId/BIC in early versions and FinInstnId/BICFI in
//     later ones; TxDtls/Amt and TxDtls/CdtDbtInd appear in later versions
//     (earlier ones give the amount only in AmtDtls); charges are repeated
//     Chrgs/Amt early and Chrgs/TtlChrgsAndTaxAmt with Chrgs/Rcrd later;
//     a discount is RfrdDocAmt/DscntApldAmt early and DscntApldAmt/Amt
//     later.
//   - 001.07 on: the entry status is coded, Sts/Cd (or Sts/Prtry); before
//     it is the plain code in Sts. Refs/UETR carries the SWIFT gpi
//     reference.
//   - 001.08 on: related parties are a choice of party or agent, so the
//     payer's name is Dbtr/Pty/Nm (Dbtr/Nm before); likewise UltmtDbtr,
//     Cdtr and UltmtCdtr.
//   - 001.12 on: the amounts of a structured block are typed,
//     RfrdDocAmt/RmtAmtAndTp with Tp/Cd (REMI remitted, DUPA due, CREN
//     credit note, APDS, STDS and TMDS discounts) and Amt, where earlier
//     versions name them RmtdAmt, DuePyblAmt, CdtNoteAmt and DscntApldAmt;
//     RfrdDocInf/RltdDt is a typed date, RltdDt/Dt, instead of a date.
//
// Later versions add elements this reader does not use (postal address
// details, card data, supplementary data), which it skips.

// newestVersion is the newest version this reader knows.
const newestVersion = 13

// message describes the message kind of a namespace.
type message struct {
	format engine.Format
	// element is the message element's name below Document.
	element string
	// report is the name of each account report inside it.
	report string
}

var messages = map[string]message{
	"053": {engine.FormatCamt053, "BkToCstmrStmt", "Stmt"},
	"052": {engine.FormatCamt052, "BkToCstmrAcctRpt", "Rpt"},
	"054": {engine.FormatCamt054, "BkToCstmrDbtCdtNtfctn", "Ntfctn"},
}

const namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt."

// parseNamespace returns the message kind and version number of a camt
// namespace such as "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08".
func parseNamespace(uri string) (message, int, bool) {
	rest, ok := strings.CutPrefix(uri, namespacePrefix)
	if !ok || len(rest) != len("053.001.08") || rest[3:8] != ".001." {
		return message{}, 0, false
	}
	m, ok := messages[rest[:3]]
	if !ok {
		return message{}, 0, false
	}
	v, err := strconv.Atoi(rest[8:])
	if err != nil || v < 1 {
		return message{}, 0, false
	}
	return m, v, true
}

// messageElement returns the message element's name in version v.
func (m message) messageElement(v int) string {
	if v == 1 {
		return m.element + "V01"
	}
	return m.element
}

// codedStatus reports whether version v writes the entry status as Sts/Cd.
func codedStatus(v int) bool { return v >= 7 }
