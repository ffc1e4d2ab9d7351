package ach

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// rmtInf is the ISO 20022 remittance information (RmtInf) that some CTX
// entries carry in their addenda instead of an X12 820.
type rmtInf struct {
	Ustrd []string `xml:"Ustrd"`
	Strd  []struct {
		Doc struct {
			Code    string `xml:"Tp>CdOrPrtry>Cd"`
			Number  string `xml:"Nb"`
			Related string `xml:"RltdDt"`
		} `xml:"RfrdDocInf"`
		Amounts struct {
			Due        *xmlAmount  `xml:"DuePyblAmt"`
			Discount   *xmlAmount  `xml:"DscntApldAmt"`
			Remitted   *xmlAmount  `xml:"RmtdAmt"`
			Adjustment []xmlAmount `xml:"AdjstmntAmtAndRsn>Amt"`
		} `xml:"RfrdDocAmt"`
		CreditorRef string `xml:"CdtrRefInf>Ref"`
	} `xml:"Strd"`
}

type xmlAmount struct {
	Currency string `xml:"Ccy,attr"`
	Value    string `xml:",chardata"`
}

// isoRemittance reads the RmtInf element of XML remittance into references.
// Only that element is decoded: the document around it is often not
// well-formed (a Windows-1252 quote closing an attribute, say).
func (bl *builder) isoRemittance(p *engine.Payment, b *batch, e entryFields, text string) error {
	start, end := strings.Index(text, "<RmtInf"), strings.LastIndex(text, "</RmtInf>")
	if start < 0 || end < start {
		return nil
	}
	var ri rmtInf
	if err := xml.Unmarshal([]byte(text[start:end+len("</RmtInf>")]), &ri); err != nil {
		return bl.entryDeparture(p, e, fmt.Errorf("remittance: ISO 20022 RmtInf: %v", err))
	}
	sum, summed := decimal.Zero, true
	for _, s := range ri.Strd {
		ref := engine.Reference{
			Kind:      docKind(s.Doc.Code),
			Value:     strings.TrimSpace(s.Doc.Number),
			Qualifier: s.Doc.Code,
		}
		if d, err := engine.ParseDate(strings.TrimSpace(s.Doc.Related)); err == nil {
			ref.Date = d
		}
		var err error
		if ref.Amount, err = xmlMoney(s.Amounts.Remitted); err != nil {
			return bl.entryDeparture(p, e, err)
		}
		if ref.Due, err = xmlMoney(s.Amounts.Due); err != nil {
			return bl.entryDeparture(p, e, err)
		}
		if ref.Discount, err = xmlMoney(s.Amounts.Discount); err != nil {
			return bl.entryDeparture(p, e, err)
		}
		for _, a := range s.Amounts.Adjustment {
			adj, err := xmlMoney(&a)
			if err != nil {
				return bl.entryDeparture(p, e, err)
			}
			if ref.Adjustment.Currency == "" {
				ref.Adjustment = engine.Zero(adj.Currency)
			}
			if adj.SameCurrency(ref.Adjustment) {
				ref.Adjustment = ref.Adjustment.Add(adj)
			}
		}
		if ref.HasAmount() && ref.Amount.Currency == b.currency {
			sum = sum.Add(ref.Amount.Value)
		} else {
			summed = false
		}
		p.Remittance.References = append(p.Remittance.References, ref)
		if c := strings.TrimSpace(s.CreditorRef); c != "" {
			p.Remittance.References = append(p.Remittance.References,
				engine.Reference{Kind: engine.RefOther, Value: c, Qualifier: "CdtrRefInf"})
		}
	}
	for _, u := range ri.Ustrd {
		if u = strings.TrimSpace(u); u != "" {
			p.Remittance.Lines = append(p.Remittance.Lines, u)
		}
	}
	if summed && len(ri.Strd) > 0 && p.Status != engine.Informational && !sum.Equal(p.Amount.Value) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("remittance does not add up: the RmtdAmt amounts come to %s, the entry is %s",
			engine.NewAmount(sum, b.currency), p.Amount))
	}
	return nil
}

// xmlMoney converts an ISO 20022 amount with its currency; nil is absent.
func xmlMoney(a *xmlAmount) (engine.Amount, error) {
	if a == nil {
		return engine.Amount{}, nil
	}
	cur, err := engine.ParseCurrency(a.Currency)
	if err != nil {
		return engine.Amount{}, fmt.Errorf("remittance: ISO 20022 amount %q: %v", a.Value, err)
	}
	amt, err := engine.ParseAmount(a.Value, cur)
	if err != nil {
		return engine.Amount{}, fmt.Errorf("remittance: ISO 20022 amount: %v", err)
	}
	return amt, nil
}

// docKind classifies an ISO 20022 document type code (RfrdDocInf/Tp).
func docKind(code string) engine.RefKind {
	switch code {
	case "CINV", "DNFA", "CMCN", "HIRI", "SBIN", "DEBN":
		return engine.RefInvoice
	case "CREN", "CNFA":
		return engine.RefCreditNote
	case "PUOR":
		return engine.RefPO
	}
	return engine.RefOther
}
