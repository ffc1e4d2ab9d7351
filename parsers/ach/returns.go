package ach

import (
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// returned reads a returned entry: an entry with addenda 99. The payment has
// status Return and names the entry it returns by its trace number. A
// dishonored return (R61-R69) and a contested dishonored return (R70-R77)
// follow the return they answer; the last addenda gives the reason.
//
// In a return, the entry's account, name and identification number are those
// of the original entry's receiver, and addenda 99 names the receiver's bank,
// so they describe the counterparty rather than the batch's company.
func (bl *builder) returned(p *engine.Payment, e entryFields) error {
	p.Status = engine.Return
	counterparty(p, e)
	for _, a := range bl.add {
		if a.addendaType() != "99" {
			if err := bl.entryDeparture(p, e, fmt.Errorf("addenda type %s with a return", a.addendaType())); err != nil {
				return err
			}
			continue
		}
		code := a.get(4, 6)
		p.ReturnReason = code
		if p.OriginalRef == "" {
			p.OriginalRef = a.get(7, 21)
		}
		if p.PayerBank == "" {
			p.PayerBank = routingNumber(a.raw(28, 35))
		}
		p.Remittance.Lines = append(p.Remittance.Lines, returnLine(a, code))
	}
	return nil
}

// returnLine describes one addenda 99 for the remittance text.
func returnLine(a line, code string) string {
	var kind, info string
	switch {
	case code >= "R61" && code <= "R69":
		kind, info = "dishonored return", a.get(59, 79)
	case code >= "R70" && code <= "R77":
		kind = "contested dishonored return"
	default:
		kind, info = "return", a.get(36, 79)
	}
	s := fmt.Sprintf("%s %s of trace %s", kind, code, a.get(7, 21))
	if info != "" {
		s += ": " + info
	}
	return s
}

// notification reads a notification of change: an entry with addenda 98. It
// moves no money (status Informational). ReturnReason is the change code,
// OriginalRef the trace number of the entry to correct, and the corrected
// data are references whose Qualifier names the field, so that the
// receiver's bank details can be updated from them.
func (bl *builder) notification(p *engine.Payment, e entryFields) error {
	p.Status = engine.Informational
	counterparty(p, e)
	for _, a := range bl.add {
		if a.addendaType() != "98" {
			if err := bl.entryDeparture(p, e, fmt.Errorf("addenda type %s with a notification of change", a.addendaType())); err != nil {
				return err
			}
			continue
		}
		code := a.get(4, 6)
		p.ReturnReason, p.OriginalRef = code, a.get(7, 21)
		p.PayerBank = routingNumber(a.raw(28, 35))
		corrected := corrections(code, a.raw(36, 64))
		p.Remittance.References = append(p.Remittance.References, corrected...)
		line := fmt.Sprintf("notification of change %s of trace %s", code, p.OriginalRef)
		for _, c := range corrected {
			line += fmt.Sprintf("; corrected %s %s", strings.ReplaceAll(c.Qualifier, "_", " "), c.Value)
		}
		p.Remittance.Lines = append(p.Remittance.Lines, line)
	}
	return nil
}

// counterparty names the original entry's receiver as the payer of a return
// or notification of change.
func counterparty(p *engine.Payment, e entryFields) {
	p.Account = ""
	p.PayerName, p.PayerID, p.PayerBank = e.name, "", ""
	p.PayerAccount = e.account
}

// corrections splits the corrected data (positions 36-64 of addenda 98) of
// a change code into its fields.
func corrections(code, data string) []engine.Reference {
	field := func(from, to int) string {
		if to > len(data) {
			to = len(data)
		}
		if from > to {
			return ""
		}
		return strings.TrimSpace(data[from-1 : to])
	}
	var out []engine.Reference
	add := func(qualifier, value string) {
		if value != "" {
			out = append(out, engine.Reference{Kind: engine.RefOther, Qualifier: qualifier, Value: value})
		}
	}
	switch code {
	case "C01":
		add("account_number", field(1, 17))
	case "C02":
		add("routing_number", field(1, 9))
	case "C03":
		add("routing_number", field(1, 9))
		add("account_number", field(13, 29))
	case "C04":
		add("individual_name", field(1, 22))
	case "C05":
		add("transaction_code", field(1, 2))
	case "C06":
		add("account_number", field(1, 17))
		add("transaction_code", field(22, 23))
	case "C07":
		add("routing_number", field(1, 9))
		add("account_number", field(10, 26))
		add("transaction_code", field(27, 28))
	case "C08":
		add("receiving_dfi_identification", field(1, 29))
	case "C09":
		add("individual_identification_number", field(1, 22))
	case "C14":
		add("sec_code", field(1, 3))
	}
	return out
}
