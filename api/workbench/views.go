package workbench

import (
	"encoding/json"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The types below mirror the API's answers, with only the members the pages
// show. Amounts stay the API's decimal strings.

// exceptionView is an exception of the queue.
type exceptionView struct {
	ID          string           `json:"id"`
	Status      string           `json:"status"`
	Kind        string           `json:"kind"`
	Reason      string           `json:"reason"`
	Assignee    string           `json:"assignee"`
	Version     string           `json:"version"`
	Created     time.Time        `json:"created"`
	Updated     time.Time        `json:"updated"`
	AgeDays     int              `json:"age_days"`
	Amount      string           `json:"amount"`
	Currency    string           `json:"currency"`
	Customer    string           `json:"customer_id"`
	PayerName   string           `json:"payer_name"`
	ValueDate   string           `json:"value_date"`
	Reasons     []string         `json:"reasons"`
	Suggestions []suggestionView `json:"suggestions"`
	Resolution  *noteView        `json:"resolution"`
	Pending     *resolutionView  `json:"pending"`
}

// Top returns the best suggestion, or nil when there is none.
func (x exceptionView) Top() *suggestionView {
	if len(x.Suggestions) == 0 {
		return nil
	}
	return &x.Suggestions[0]
}

// Open reports whether the exception waits for a resolution that nobody
// has proposed yet.
func (x exceptionView) Open() bool { return x.Status == "open" && x.Pending == nil }

type suggestionView struct {
	Rank        int              `json:"rank"`
	Customer    string           `json:"customer_id"`
	Allocations []allocationView `json:"allocations"`
	Adjustments []adjustmentView `json:"adjustments"`
	OnAccount   string           `json:"on_account"`
	Confidence  json.Number      `json:"confidence"`
	Reasons     []string         `json:"reasons"`
	Lost        string           `json:"lost"`
}

// Invoices lists the invoices the suggestion applies cash to.
func (s suggestionView) Invoices() []string {
	var out []string
	for _, a := range s.Allocations {
		out = append(out, a.Invoice)
	}
	return out
}

type allocationView struct {
	Invoice string `json:"invoice_id"`
	Amount  string `json:"amount"`
}

type adjustmentView struct {
	Invoice string `json:"invoice_id"`
	Amount  string `json:"amount"`
	Reason  string `json:"reason"`
	Code    string `json:"code"`
}

type noteView struct {
	Action string    `json:"action"`
	Actor  string    `json:"actor"`
	Time   time.Time `json:"time"`
	Note   string    `json:"note"`
}

// resolutionView is a resolution as proposed, waiting for an approver.
type resolutionView struct {
	Suggestion    int              `json:"suggestion"`
	Allocations   []allocationView `json:"allocations"`
	OnAccount     string           `json:"on_account"`
	Customer      string           `json:"customer_id"`
	WriteOffs     []writeOffView   `json:"write_offs"`
	NotReceivable bool             `json:"not_receivable"`
	Note          string           `json:"note"`
	ProposedBy    string           `json:"proposed_by"`
}

type writeOffView struct {
	Invoice string `json:"invoice_id"`
	Amount  string `json:"amount"`
	Code    string `json:"code"`
}

// paymentView is a payment as the bank reported it.
type paymentView struct {
	ID            string          `json:"id"`
	Statement     string          `json:"statement"`
	Format        string          `json:"format"`
	Source        string          `json:"source"`
	Account       string          `json:"account"`
	Currency      string          `json:"currency"`
	Amount        string          `json:"amount"`
	Direction     string          `json:"direction"`
	Status        string          `json:"status"`
	ValueDate     string          `json:"value_date"`
	BookingDate   string          `json:"booking_date"`
	TypeCode      string          `json:"type_code"`
	BankRef       string          `json:"bank_ref"`
	CustomerRef   string          `json:"customer_ref"`
	EndToEndID    string          `json:"end_to_end_id"`
	PayerName     string          `json:"payer_name"`
	PayerID       string          `json:"payer_id"`
	PayerAccount  string          `json:"payer_account"`
	PayerBank     string          `json:"payer_bank"`
	UltimatePayer string          `json:"ultimate_payer"`
	Remittance    string          `json:"remittance"`
	References    []referenceView `json:"references"`
	OriginalRef   string          `json:"original_ref"`
	ReturnReason  string          `json:"return_reason"`
	Warnings      []string        `json:"warnings"`
}

type referenceView struct {
	Kind   string `json:"kind"`
	Value  string `json:"value"`
	Amount string `json:"amount"`
}

// RemittanceHTML is the remittance text with the references the engine
// found in it marked.
func (p paymentView) RemittanceHTML() template.HTML {
	refs := make([]string, 0, len(p.References))
	for _, r := range p.References {
		refs = append(refs, r.Value)
	}
	return highlight(p.Remittance, refs)
}

// exceptionDetailView is an exception with its payment and its customer's
// open items.
type exceptionDetailView struct {
	exceptionView
	Payment   paymentView   `json:"payment"`
	OpenItems []invoiceView `json:"open_items"`
}

// paymentDetailView is a payment with the engine's decision and what is
// applied of it now.
type paymentDetailView struct {
	Payment       paymentView      `json:"payment"`
	Decision      string           `json:"decision"`
	Customer      string           `json:"customer_id"`
	Confidence    json.Number      `json:"confidence"`
	Reasons       []string         `json:"reasons"`
	Exception     string           `json:"exception"`
	Version       string           `json:"version"`
	Applied       string           `json:"applied"`
	OnAccount     string           `json:"on_account"`
	NotReceivable string           `json:"not_receivable"`
	Unapplied     string           `json:"unapplied"`
	Allocations   []allocationView `json:"allocations"`
	Entries       []entryView      `json:"entries"`
}

type entryView struct {
	Entry    string    `json:"entry"`
	Time     time.Time `json:"time"`
	Kind     string    `json:"kind"`
	Invoice  string    `json:"invoice_id"`
	Customer string    `json:"customer_id"`
	Amount   string    `json:"amount"`
	Currency string    `json:"currency"`
	Reason   string    `json:"reason"`
	Code     string    `json:"code"`
	Reverses string    `json:"reverses"`
}

// highlight returns text as HTML with every occurrence of each of refs
// marked, ignoring ASCII case. Everything else is escaped.
func highlight(text string, refs []string) template.HTML {
	type span struct{ start, end int }
	lower := asciiLower(text)
	var spans []span
	for _, ref := range refs {
		r := asciiLower(strings.TrimSpace(ref))
		if r == "" {
			continue
		}
		for i := 0; i < len(lower); {
			j := strings.Index(lower[i:], r)
			if j < 0 {
				break
			}
			spans = append(spans, span{i + j, i + j + len(r)})
			i += j + len(r)
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })

	var b strings.Builder
	at := 0
	for _, s := range spans {
		if s.end <= at {
			continue
		}
		start := max(s.start, at)
		b.WriteString(html.EscapeString(text[at:start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:]))
	return template.HTML(b.String())
}

// asciiLower lowers ASCII letters only, so that byte offsets into the result
// are offsets into s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// confidencePercent writes a confidence of 0 to 1 as a percentage with one
// decimal: "0.973" is "97.3%".
func confidencePercent(c json.Number) string {
	d, err := decimal.NewFromString(string(c))
	if err != nil {
		return string(c)
	}
	return d.Shift(2).StringFixed(1) + "%"
}
