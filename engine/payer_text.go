package engine

import (
	"strings"
)

// payerLabels are the labels that banks put before the payer's name in
// free text: Fedwire originator ("ORG:"), ACH company name, lockbox
// remitter, "BY ORDER OF".
var payerLabels = []string{"ORIG CO NAME:", "ORG:", "REMITTER ", "BY ORDER OF ", "B/O ", "ORDERING CUSTOMER:",
	"FROM:"}

// payerStops end a payer name found in free text.
var payerStops = setOf("OBI", "BNF", "ORIG", "ID", "PAYMENT", "PMT", "INV", "INVOICE", "INVOICES", "REF",
	"RE", "ADVANCE", "PO", "FOR", "REMITTANCE", "ENTRY", "DESCR", "ADDENDA", "SEC", "TRN", "IMAD", "OMAD",
	"ACCT", "ACCOUNT", "CHECK", "CHK", "PARTIAL", "WIRE", "LESS", "THANK", "PLEASE", "SEE")

// payerFromText returns the payer's name as labelled free text gives it,
// for payments whose reader found no payer name: "WIRE TYPE:FTR IN ORG:ACME
// CORP OBI:..." gives "ACME CORP". It returns "" when no label is found.
func payerFromText(lines []string) string {
	text := strings.Join(lines, " ")
	upper := strings.ToUpper(text)
	for _, label := range payerLabels {
		i := strings.Index(upper, label)
		if i < 0 {
			continue
		}
		rest := upper[i+len(label):]
		var words []string
		for _, w := range strings.Fields(rest) {
			bare := strings.TrimRight(w, ":,;")
			if payerStops[bare] || hasDigit(bare) || strings.Contains(w, ":") && len(words) > 0 {
				break
			}
			words = append(words, bare)
			if len(words) == 8 {
				break
			}
		}
		if len(words) > 0 {
			return strings.Join(words, " ")
		}
	}
	return ""
}
