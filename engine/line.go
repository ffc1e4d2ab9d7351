package engine

// DecisionLine is a decision in the JSON shape that `cashmatch match` prints
// and the API returns: the payment it decides, what was applied, why, and
// what a specialist may choose instead.
type DecisionLine struct {
	Payment     string           `json:"payment"` // the payment's source position
	PaymentID   PaymentID        `json:"payment_id"`
	Statement   StatementID      `json:"statement,omitempty"`
	BankRef     string           `json:"bank_ref,omitempty"`
	EndToEndID  string           `json:"end_to_end_id,omitempty"`
	Amount      Amount           `json:"amount"`
	Currency    Currency         `json:"currency"`
	ValueDate   Date             `json:"value_date,omitzero"`
	PayerName   string           `json:"payer_name,omitempty"`
	Decision    Kind             `json:"decision"`
	Customer    CustomerID       `json:"customer_id,omitempty"`
	Allocations []allocationJSON `json:"allocations"`
	Adjustments []adjustmentJSON `json:"adjustments,omitempty"`
	OnAccount   Amount           `json:"on_account"`
	Unapplied   Amount           `json:"unapplied"`
	Confidence  Confidence       `json:"confidence"`
	Reasons     []string         `json:"reasons"`
	Exception   string           `json:"exception,omitempty"`
	Suggestions []suggestionJSON `json:"suggestions,omitempty"`
	// Alternatives are the candidates an automatic decision passed over,
	// each with why it lost.
	Alternatives []suggestionJSON `json:"alternatives,omitempty"`
	// Original is the payment this one returns, reverses or repeats.
	Original PaymentID `json:"original_payment,omitempty"`
}

type allocationJSON struct {
	Invoice InvoiceID `json:"invoice_id"`
	Amount  Amount    `json:"amount"`
}

type adjustmentJSON struct {
	Invoice InvoiceID        `json:"invoice_id"`
	Amount  Amount           `json:"amount"`
	Reason  AdjustmentReason `json:"reason"`
	Code    string           `json:"code,omitempty"`
}

type suggestionJSON struct {
	Customer    CustomerID       `json:"customer_id,omitempty"`
	Allocations []allocationJSON `json:"allocations"`
	Adjustments []adjustmentJSON `json:"adjustments,omitempty"`
	OnAccount   Amount           `json:"on_account"`
	Confidence  Confidence       `json:"confidence"`
	Reasons     []string         `json:"reasons"`
	Lost        string           `json:"lost,omitempty"`
}

// NewDecisionLine returns the line for payment p decided by d.
func NewDecisionLine(p Payment, d Decision) DecisionLine {
	c := p.Amount.Currency
	l := DecisionLine{
		Payment: p.Source, PaymentID: p.ID, Statement: p.Statement,
		BankRef: p.BankRef, EndToEndID: p.EndToEndID,
		Amount: p.Amount, Currency: c, ValueDate: p.ValueDate, PayerName: p.PayerName,
		Decision: d.Kind, Customer: d.Customer,
		Allocations: allocationsJSON(d.Allocations), Adjustments: adjustmentsJSON(d.Adjustments),
		OnAccount: inCurrency(d.OnAccount, c), Unapplied: inCurrency(d.Unapplied, c),
		Confidence: d.Confidence, Reasons: d.Reasons,
	}
	if l.Reasons == nil {
		l.Reasons = []string{}
	}
	if d.Exception != NoReason {
		l.Exception = d.Exception.String()
	}
	l.Suggestions = suggestionsJSON(d.Suggestions, c)
	l.Alternatives = suggestionsJSON(d.Alternatives, c)
	l.Original = d.Original
	return l
}

func suggestionsJSON(ss []Suggestion, c Currency) []suggestionJSON {
	var out []suggestionJSON
	for _, s := range ss {
		out = append(out, suggestionJSON{
			Customer: s.Customer, Allocations: allocationsJSON(s.Allocations),
			Adjustments: adjustmentsJSON(s.Adjustments), OnAccount: inCurrency(s.OnAccount, c),
			Confidence: s.Confidence, Reasons: s.Reasons, Lost: s.Lost,
		})
	}
	return out
}

// inCurrency gives a zero amount without a currency the currency c, so that
// it prints with c's minor digits.
func inCurrency(a Amount, c Currency) Amount {
	if a.Currency == "" {
		a.Currency = c
	}
	return a
}

func allocationsJSON(as []Allocation) []allocationJSON {
	out := make([]allocationJSON, 0, len(as))
	for _, a := range as {
		out = append(out, allocationJSON(a))
	}
	return out
}

func adjustmentsJSON(as []Adjustment) []adjustmentJSON {
	var out []adjustmentJSON
	for _, a := range as {
		out = append(out, adjustmentJSON(a))
	}
	return out
}
