package bench

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// camtNamespace is the message the generated camt files are:
// camt.053.001.08, the version moov-io/iso20022 also reads.
const camtNamespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"

// camtAccount is one statement of a camt.053 file.
type camtAccount struct {
	iban     string // or, outside IBAN countries,
	other    string // the account number
	currency engine.Currency
	opening  int64
	payments []*payment
}

// camtEntry is one Ntry: a single credit or a batch of several.
type camtEntry struct {
	payments []*payment
	amount   int64
}

type camtWriter struct {
	w    *bufio.Writer
	g    *rng
	date engine.Date
	seq  int
	emit func(*payment, string)
}

func writeCamt(w *bufio.Writer, g *rng, date engine.Date, accts []*camtAccount, emit func(*payment, string)) error {
	c := &camtWriter{w: w, g: g, date: date, emit: emit}
	iso := date.String()
	c.printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	c.printf("<Document xmlns=\"%s\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n", camtNamespace)
	c.printf("<BkToCstmrStmt>\n<GrpHdr><MsgId>CM053-%s</MsgId><CreDtTm>%sT18:00:00</CreDtTm></GrpHdr>\n",
		strings.ReplaceAll(iso, "-", ""), iso)
	for _, a := range accts {
		c.writeStatement(a)
	}
	c.printf("</BkToCstmrStmt>\n</Document>\n")
	return w.Flush()
}

func (c *camtWriter) printf(format string, args ...any) { fmt.Fprintf(c.w, format, args...) }

// batchEntries groups the account's payments into entries: most alone, some
// in consecutive batches as banks book bulk credits.
func (c *camtWriter) batchEntries(ps []*payment) []camtEntry {
	var out []camtEntry
	for i := 0; i < len(ps); {
		n := 1
		if ps[i].nonReceipt == "" && c.g.chance(150) {
			n = 2 + c.g.intn(7)
		}
		var e camtEntry
		for ; n > 0 && i < len(ps) && (len(e.payments) == 0 || ps[i].nonReceipt == ""); n-- {
			e.payments = append(e.payments, ps[i])
			e.amount += ps[i].amount
			i++
		}
		out = append(out, e)
	}
	return out
}

func (c *camtWriter) writeStatement(a *camtAccount) {
	entries := c.batchEntries(a.payments)
	var credits int64
	for _, e := range entries {
		credits += e.amount
	}
	cur := a.currency
	amt := func(units int64) string { return decimalString(units, cur) }
	iso := c.date.String()
	acct := a.iban
	c.printf("<Stmt>\n<Id>STMT-%s-%s</Id>\n<CreDtTm>%sT18:00:00</CreDtTm>\n", strings.ReplaceAll(iso, "-", ""), cur, iso)
	if acct != "" {
		c.printf("<Acct><Id><IBAN>%s</IBAN></Id><Ccy>%s</Ccy></Acct>\n", acct, cur)
	} else {
		c.printf("<Acct><Id><Othr><Id>%s</Id></Othr></Id><Ccy>%s</Ccy></Acct>\n", a.other, cur)
	}
	for _, b := range []struct {
		code  string
		value int64
	}{{"OPBD", a.opening}, {"CLBD", a.opening + credits}} {
		c.printf("<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy=\"%s\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>\n",
			b.code, cur, amt(b.value), iso)
	}
	c.printf("<TxsSummry><TtlNtries><NbOfNtries>%d</NbOfNtries><Sum>%s</Sum><TtlNetNtry><Amt>%s</Amt><CdtDbtInd>CRDT</CdtDbtInd></TtlNetNtry></TtlNtries>",
		len(entries), amt(credits), amt(credits))
	c.printf("<TtlCdtNtries><NbOfNtries>%d</NbOfNtries><Sum>%s</Sum></TtlCdtNtries>", len(entries), amt(credits))
	c.printf("<TtlDbtNtries><NbOfNtries>0</NbOfNtries><Sum>%s</Sum></TtlDbtNtries></TxsSummry>\n", amt(0))
	for _, e := range entries {
		c.writeEntry(e, cur)
	}
	c.printf("</Stmt>\n")
}

func (c *camtWriter) writeEntry(e camtEntry, cur engine.Currency) {
	iso := c.date.String()
	c.seq++
	entryRef := fmt.Sprintf("AS%s%07d", strings.ReplaceAll(iso, "-", "")[2:], c.seq)
	c.printf("<Ntry><Amt Ccy=\"%s\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>", cur, decimalString(e.amount, cur))
	c.printf("<BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>%s</AcctSvcrRef>", iso, iso, entryRef)
	domain, family, sub := bankTxCode(e.payments[0], len(e.payments) > 1)
	c.printf("<BkTxCd><Domn><Cd>%s</Cd><Fmly><Cd>%s</Cd><SubFmlyCd>%s</SubFmlyCd></Fmly></Domn></BkTxCd>\n",
		domain, family, sub)
	c.printf("<NtryDtls>")
	if len(e.payments) > 1 {
		c.printf("<Btch><NbOfTxs>%d</NbOfTxs><TtlAmt Ccy=\"%s\">%s</TtlAmt><CdtDbtInd>CRDT</CdtDbtInd></Btch>",
			len(e.payments), cur, decimalString(e.amount, cur))
	}
	for i, pm := range e.payments {
		c.writeTx(pm, cur, entryRef, i)
	}
	c.printf("</NtryDtls></Ntry>\n")
}

// bankTxCode returns the ISO bank transaction code of an entry.
func bankTxCode(pm *payment, batch bool) (domain, family, sub string) {
	switch {
	case pm.nonReceipt == "interest":
		return "ACMT", "MCOP", "INTR"
	case pm.nonReceipt == "transfer":
		return "CAMT", "ACCB", "ZABA"
	case batch:
		return "PMNT", "RCDT", "BOOK"
	case pm.currency == "EUR":
		return "PMNT", "RCDT", "ESCT"
	case pm.currency == "USD" || pm.currency == "JPY":
		return "PMNT", "RCDT", "DMCT"
	}
	return "PMNT", "RCDT", "XBCT"
}

func (c *camtWriter) writeTx(pm *payment, cur engine.Currency, entryRef string, i int) {
	pm.bankRef = fmt.Sprintf("%s-%d", entryRef, i+1)
	pm.ref = "E2E" + pm.bankRef[2:]
	c.printf("<TxDtls><Refs><AcctSvcrRef>%s</AcctSvcrRef><EndToEndId>%s</EndToEndId></Refs>", pm.bankRef, pm.ref)
	c.printf("<Amt Ccy=\"%s\">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd>", cur, decimalString(pm.amount, cur))
	if pm.payerName != "" && pm.nonReceipt == "" {
		c.printf("<RltdPties><Dbtr><Pty><Nm>%s</Nm></Pty></Dbtr>", xmlText(mangle(c.g, pm.payerName, 70)))
		if pm.payerAcct != "" {
			if strings.HasPrefix(pm.payerAcct, "DE") || strings.HasPrefix(pm.payerAcct, "GB") {
				c.printf("<DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>", pm.payerAcct)
			} else {
				c.printf("<DbtrAcct><Id><Othr><Id>%s</Id></Othr></Id></DbtrAcct>", pm.payerAcct)
			}
		}
		if pm.ultimate != "" {
			c.printf("<UltmtDbtr><Pty><Nm>%s</Nm></Pty></UltmtDbtr>", xmlText(pm.ultimate))
		}
		c.printf("</RltdPties>")
	}
	c.writeRemittance(pm, cur)
	c.printf("</TxDtls>\n")
	c.emit(pm, pm.ref)
}

// writeRemittance writes the payment's remittance: structured documents
// (with their amounts where the payer stated them, or an RF creditor
// reference) or free-text lines.
func (c *camtWriter) writeRemittance(pm *payment, cur engine.Currency) {
	amt := func(tag string, units int64) {
		c.printf("<%s Ccy=\"%s\">%s</%s>", tag, cur, decimalString(units, cur), tag)
	}
	if len(pm.docs) > 0 && pm.kind != Wrapped && c.g.chance(600) {
		c.printf("<RmtInf>")
		for _, d := range pm.docs {
			c.printf("<Strd>")
			if pm.kind == Exact && len(pm.docs) == 1 && c.g.chance(200) {
				c.printf("<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>%s</Ref></CdtrRefInf></Strd>",
					creditorReference(engine.NormalizeNumber(d.number)))
				continue
			}
			code := "CINV"
			if d.credit {
				code = "CREN"
			}
			c.printf("<RfrdDocInf><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Nb>%s</Nb></RfrdDocInf>", code, xmlText(d.number))
			if d.stated {
				c.printf("<RfrdDocAmt>")
				if d.due != 0 {
					amt("DuePyblAmt", d.due)
				}
				if d.discount != 0 {
					c.printf("<DscntApldAmt>")
					amt("Amt", d.discount)
					c.printf("</DscntApldAmt>")
				}
				if d.credit {
					amt("CdtNoteAmt", -d.paid)
				} else {
					amt("RmtdAmt", d.paid)
				}
				c.printf("</RfrdDocAmt>")
			}
			c.printf("</Strd>")
		}
		c.printf("</RmtInf>")
		return
	}
	if pm.text == "" {
		return
	}
	width := 140
	if pm.wrap > 0 {
		width = pm.wrap
	}
	c.printf("<RmtInf>")
	for _, l := range wrapWords(pm.text, width, width) {
		c.printf("<Ustrd>%s</Ustrd>", xmlText(l))
	}
	c.printf("</RmtInf>")
}

// creditorReference returns the ISO 11649 RF reference of ref: "RF", two
// check digits, ref. The check is the same mod-97 as an IBAN's.
func creditorReference(ref string) string { return iban("RF", ref) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;", "'", "&apos;")

func xmlText(s string) string { return xmlEscaper.Replace(s) }
