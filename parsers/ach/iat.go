package ach

import (
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers/x12"
)

// international reads the addenda of an IAT entry. The originator (the
// payer) is named in addenda 11, its bank in addenda 13; addenda 17 carry the
// payment-related information; addenda 10 the foreign trace number.
func (bl *builder) international(p *engine.Payment, b *batch, e entryFields) error {
	var info []string
	for _, a := range bl.add {
		switch a.addendaType() {
		case "10":
			if id := a.get(25, 46); id != "" {
				p.EndToEndID = id
			}
		case "11":
			p.PayerName = a.get(4, 38)
		case "13":
			p.PayerBank = a.get(41, 74)
		case "12", "14", "15", "16", "18":
		case "17":
			info = append(info, a.raw(4, 83))
		default:
			if err := bl.entryDeparture(p, e, fmt.Errorf("addenda type %s does not belong to an IAT entry", a.addendaType())); err != nil {
				return err
			}
		}
	}
	if len(info) == 0 {
		return nil
	}
	text := strings.TrimRight(strings.Join(info, ""), " ")
	if x12.LooksLikeX12(text) {
		adv, err := bl.x12.Parse(text)
		if adv != nil {
			p.Remittance.Lines = bl.cloneLines(adv.Lines)
			bl.advice(p, b, e, adv)
		}
		if err != nil {
			return bl.entryDeparture(p, e, fmt.Errorf("remittance: %v", err))
		}
		return nil
	}
	for _, s := range info {
		if s = strings.TrimSpace(s); s != "" {
			p.Remittance.Lines = append(p.Remittance.Lines, s)
		}
	}
	return nil
}
