package x12

import (
	"errors"
	"fmt"
	"strconv"
)

// Advice is what an 820 Payment Order/Remittance Advice says, or what the
// bare remittance segments of a CCD+ addenda say. Its strings share memory
// with the parsed text.
type Advice struct {
	Separators Separators
	// TransactionSet is ST01, "820" for a remittance advice; empty when the
	// stream has no ST segment.
	TransactionSet string
	// Payment is the BPR segment; its zero value means there was none.
	Payment Payment
	// Trace is TRN02, the reassociation number that ties the remittance to
	// its payment; TraceOriginator is TRN03.
	Trace, TraceOriginator string
	// Currency is CUR02, empty when the advice names none.
	Currency string
	// References are the REF segments outside any RMR loop.
	References []Ref
	// Dates are the DTM segments outside any RMR loop.
	Dates []DateRef
	// Parties are the N1 segments: payer (PR), payee (PE) and others.
	Parties []Party
	// Items are the RMR loops in the order of the stream.
	Items []Item
	// Adjustments are the ADX segments outside any RMR loop: they adjust the
	// payment as a whole.
	Adjustments []Adjustment
	// Notes are the texts of the NTE segments.
	Notes []string
	// Lines are the texts of the segments other than the envelope (ISA, GS,
	// ST, SE, GE, IEA), in order.
	Lines []string
	// Segments counts every segment read, the envelope included.
	Segments int
}

// Payment is the BPR segment of an 820.
type Payment struct {
	Handling     string // BPR01: C payment and remittance, I remittance only, ...
	Amount       Amount // BPR02: the total paid
	CreditDebit  string // BPR03: C or D
	Method       string // BPR04: ACH, CHK, FWT, ...
	Format       string // BPR05: CTX, CCP, ...
	PayerBankQ   string // BPR06: qualifier of BPR07, 01 for an ABA routing number
	PayerBank    string // BPR07
	PayerAccount string // BPR09
	OriginatorID string // BPR10
	PayeeBank    string // BPR13
	PayeeAccount string // BPR15
	Date         string // BPR16: effective date, CCYYMMDD
}

// Ref is a REF segment: a qualified reference number.
type Ref struct {
	Qualifier   string // REF01, e.g. PO, IV, TN
	Value       string // REF02
	Description string // REF03
}

// DateRef is a DTM segment.
type DateRef struct {
	Qualifier string // DTM01, e.g. 003 invoice date, 234 settlement date
	Date      string // DTM02, CCYYMMDD
}

// Party is an N1 segment.
type Party struct {
	Role        string // N101, e.g. PR payer, PE payee
	Name        string // N102
	IDQualifier string // N103
	ID          string // N104
}

// Item is an RMR loop: one open item the payment pays, with the segments
// that belong to it.
type Item struct {
	// Entity is ENT01 of the enclosing ENT loop, empty outside one.
	Entity    string
	Qualifier string // RMR01: IV invoice, OI original invoice, PO, CR, ...
	Number    string // RMR02
	Paid      Amount // RMR04: the amount paid against the item
	Total     Amount // RMR05: the item's total
	Discount  Amount // RMR06: the discount taken
	// References, Dates and Adjustments are the REF, DTM and ADX segments
	// of the RMR loop.
	References  []Ref
	Dates       []DateRef
	Adjustments []Adjustment
	// Segment is the index of the RMR segment in the stream.
	Segment int
}

// Adjustment is an ADX segment: an amount deducted or added, with its reason.
type Adjustment struct {
	Amount       Amount // ADX01, negative for a deduction
	Reason       string // ADX02, an adjustment reason code
	RefQualifier string // ADX03
	Ref          string // ADX04
}

// SegmentError reports a malformed segment.
type SegmentError struct {
	Index   int    // 1-based position of the segment in the stream
	ID      string // segment ID
	Element int    // 1-based element number, zero for the segment as a whole
	Err     error
}

func (e *SegmentError) Error() string {
	if e.Element > 0 {
		return fmt.Sprintf("segment %d %s%02d: %v", e.Index, e.ID, e.Element, e.Err)
	}
	return fmt.Sprintf("segment %d %s: %v", e.Index, e.ID, e.Err)
}

func (e *SegmentError) Unwrap() error { return e.Err }

// maxErrors caps the segment errors one advice reports.
const maxErrors = 10

// Parse reads the X12 segments in data. It returns ErrNotX12 or ErrShortISA
// (and a nil advice) when data is not X12 at all. Otherwise it returns the
// advice with every segment it could read and, when some segments were
// malformed or the envelope does not add up, an error joining a
// *SegmentError for each (at most ten).
func Parse(data string) (*Advice, error) {
	var p Parser
	return p.Parse(data)
}

// Parser parses X12 streams and reuses its memory from one call to the
// next. The zero value is ready to use. It is not safe for concurrent use.
type Parser struct {
	sc  Scanner
	adv Advice
	parser
}

// Parse is like the package's Parse, but the advice it returns, and the
// slices in it, are only valid until the next call.
func (p *Parser) Parse(data string) (*Advice, error) {
	seps, err := DetectSeparators(data)
	if err != nil {
		return nil, err
	}
	a := &p.adv
	*a = Advice{
		Separators: seps,
		References: a.References[:0], Dates: a.Dates[:0], Parties: a.Parties[:0],
		Items: a.Items[:0], Adjustments: a.Adjustments[:0], Notes: a.Notes[:0], Lines: a.Lines[:0],
	}
	p.parser = parser{adv: a, errs: p.errs[:0]}
	p.sc.Reset(data, seps)
	for p.sc.Scan() {
		p.segment(&p.sc)
	}
	p.finish()
	if len(p.errs) == 0 {
		return a, nil
	}
	return a, errors.Join(p.errs...)
}

// parser holds the state of one Parse: the loop the stream is in.
type parser struct {
	adv    *Advice
	errs   []error
	entity string
	item   int // index+1 in adv.Items of the open RMR loop; zero when none
	stAt   int // index of the ST segment; zero outside a transaction set
	stCtl  string
	seSeen bool
}

func (p *parser) fail(seg *Segment, element int, err error) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, &SegmentError{Index: seg.Index, ID: seg.ID, Element: element, Err: err})
	}
}

func (p *parser) amount(sc *Scanner, element int) Amount {
	a, err := ParseAmount(sc.element(element))
	if err != nil {
		p.fail(&sc.seg, element, err)
	}
	return a
}

func (p *parser) segment(sc *Scanner) {
	p.adv.Segments++
	switch sc.seg.ID {
	case "ISA", "GS", "GE", "IEA":
		return
	case "ST", "SE", "BPR", "TRN", "CUR", "N1", "ENT", "RMR", "REF", "DTM", "ADX", "NTE":
		sc.splitElements() // for the segments read below
	}
	switch sc.seg.ID {
	case "ST":
		p.adv.TransactionSet = sc.element(1)
		p.stAt, p.stCtl, p.seSeen = sc.seg.Index, sc.element(2), false
		if p.adv.TransactionSet != "820" {
			p.fail(&sc.seg, 1, fmt.Errorf("transaction set %q is not an 820", p.adv.TransactionSet))
		}
		return
	case "SE":
		p.checkTrailer(sc)
		return
	}
	p.adv.Lines = append(p.adv.Lines, sc.seg.Text)
	switch sc.seg.ID {
	case "BPR":
		p.payment(sc)
	case "TRN":
		p.adv.Trace, p.adv.TraceOriginator = sc.element(2), sc.element(3)
	case "CUR":
		p.adv.Currency = sc.element(2)
	case "N1":
		p.item = 0
		p.adv.Parties = append(p.adv.Parties, Party{
			Role: sc.element(1), Name: sc.element(2), IDQualifier: sc.element(3), ID: sc.element(4),
		})
	case "ENT":
		p.item, p.entity = 0, sc.element(1)
	case "RMR":
		p.remittance(sc)
	case "REF":
		ref := Ref{Qualifier: sc.element(1), Value: sc.element(2), Description: sc.element(3)}
		if p.item > 0 {
			it := &p.adv.Items[p.item-1]
			it.References = append(it.References, ref)
		} else {
			p.adv.References = append(p.adv.References, ref)
		}
	case "DTM":
		d := DateRef{Qualifier: sc.element(1), Date: sc.element(2)}
		if p.item > 0 {
			it := &p.adv.Items[p.item-1]
			it.Dates = append(it.Dates, d)
		} else {
			p.adv.Dates = append(p.adv.Dates, d)
		}
	case "ADX":
		p.adjustment(sc)
	case "NTE":
		p.adv.Notes = append(p.adv.Notes, sc.element(2))
	}
}

func (p *parser) payment(sc *Scanner) {
	p.adv.Payment = Payment{
		Handling:     sc.element(1),
		Amount:       p.amount(sc, 2),
		CreditDebit:  sc.element(3),
		Method:       sc.element(4),
		Format:       sc.element(5),
		PayerBankQ:   sc.element(6),
		PayerBank:    sc.element(7),
		PayerAccount: sc.element(9),
		OriginatorID: sc.element(10),
		PayeeBank:    sc.element(13),
		PayeeAccount: sc.element(15),
		Date:         sc.element(16),
	}
}

func (p *parser) remittance(sc *Scanner) {
	it := Item{
		Entity:    p.entity,
		Qualifier: sc.element(1),
		Number:    sc.element(2),
		Paid:      p.amount(sc, 4),
		Total:     p.amount(sc, 5),
		Discount:  p.amount(sc, 6),
		Segment:   sc.seg.Index,
	}
	if it.Number == "" {
		p.fail(&sc.seg, 2, errors.New("open item has no reference number"))
	}
	p.adv.Items = append(p.adv.Items, it)
	p.item = len(p.adv.Items)
}

func (p *parser) adjustment(sc *Scanner) {
	adj := Adjustment{
		Amount:       p.amount(sc, 1),
		Reason:       sc.element(2),
		RefQualifier: sc.element(3),
		Ref:          sc.element(4),
	}
	if !adj.Amount.Valid() {
		p.fail(&sc.seg, 1, errors.New("adjustment has no amount"))
	}
	if p.item > 0 {
		it := &p.adv.Items[p.item-1]
		it.Adjustments = append(it.Adjustments, adj)
		return
	}
	p.adv.Adjustments = append(p.adv.Adjustments, adj)
}

// checkTrailer compares an SE with its ST: SE01 counts the segments from ST
// to SE inclusive and SE02 repeats ST02.
func (p *parser) checkTrailer(sc *Scanner) {
	p.seSeen = true
	if p.stAt == 0 {
		p.fail(&sc.seg, 0, errors.New("transaction set trailer without a header"))
		return
	}
	count := sc.seg.Index - p.stAt + 1
	if n, err := strconv.Atoi(sc.element(1)); err != nil || n != count {
		p.fail(&sc.seg, 1, fmt.Errorf("trailer counts %q segments, the transaction set has %d", sc.element(1), count))
	}
	if sc.element(2) != p.stCtl {
		p.fail(&sc.seg, 2, fmt.Errorf("trailer control number %q differs from the header's %q", sc.element(2), p.stCtl))
	}
	p.stAt = 0
}

func (p *parser) finish() {
	if p.stAt > 0 && !p.seSeen {
		p.fail(&Segment{Index: p.stAt, ID: "ST"}, 0, errors.New("transaction set has no SE trailer"))
	}
}
