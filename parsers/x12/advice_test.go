package x12

import (
	"errors"
	"strings"
	"testing"
)

// ctx820 is a complete 820 with the separators NACHA CTX files commonly use.
const ctx820 = `ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *260317*1200*U*00401*000000001*0*P*>\` +
	`GS*RA*PAYER*PAYEE*20260317*1200*1*X*004010\` +
	`ST*820*0001\` +
	`BPR*C*1000.00*C*ACH*CTX*01*121042882*DA*123456789*1234567890**01*231380104*DA*987654321*20260318\` +
	`TRN*1*REASSOC-1*1234567890\` +
	`CUR*PR*USD\` +
	`REF*TN*PAY-77\` +
	`DTM*097*20260317\` +
	`N1*PR*ACME CORPORATION*91*C-0042\` +
	`N1*PE*CASHMATCH DEMO INC\` +
	`ENT*1\` +
	`ADX*-5.00*90\` +
	`RMR*IV*INV-1001**605.00*605.00\` +
	`REF*PO*PO-9\` +
	`DTM*003*20260301\` +
	`RMR*IV*INV-1002**400.00*420.00*20.00\` +
	`ADX*-20.00*01*IV*INV-1002\` +
	`SE*16*0001\` +
	`GE*1*1\` +
	`IEA*1*000000001\`

func TestParse_Complete820(t *testing.T) {
	adv, err := Parse(ctx820)
	if err != nil {
		t.Fatal(err)
	}
	if adv.Separators != (Separators{Element: '*', Component: '>', Segment: '\\'}) {
		t.Errorf("separators = %q", adv.Separators)
	}
	if adv.TransactionSet != "820" || adv.Trace != "REASSOC-1" || adv.TraceOriginator != "1234567890" || adv.Currency != "USD" {
		t.Errorf("heading = %q %q %q %q", adv.TransactionSet, adv.Trace, adv.TraceOriginator, adv.Currency)
	}
	pay := adv.Payment
	if pay.Amount.String() != "1000" || pay.CreditDebit != "C" || pay.Method != "ACH" || pay.Format != "CTX" ||
		pay.PayerBank != "121042882" || pay.PayerAccount != "123456789" || pay.PayeeAccount != "987654321" || pay.Date != "20260318" {
		t.Errorf("payment = %+v", pay)
	}
	if len(adv.Parties) != 2 || adv.Parties[0] != (Party{"PR", "ACME CORPORATION", "91", "C-0042"}) {
		t.Errorf("parties = %+v", adv.Parties)
	}
	if len(adv.References) != 1 || adv.References[0] != (Ref{Qualifier: "TN", Value: "PAY-77"}) {
		t.Errorf("references = %+v", adv.References)
	}
	if len(adv.Adjustments) != 1 || adv.Adjustments[0].Amount.String() != "-5" || adv.Adjustments[0].Reason != "90" {
		t.Errorf("payment adjustments = %+v", adv.Adjustments)
	}
	if len(adv.Items) != 2 {
		t.Fatalf("items = %+v", adv.Items)
	}
	first, second := adv.Items[0], adv.Items[1]
	if first.Qualifier != "IV" || first.Number != "INV-1001" || first.Paid.String() != "605" || first.Entity != "1" {
		t.Errorf("first item = %+v", first)
	}
	if len(first.References) != 1 || first.References[0].Value != "PO-9" || len(first.Dates) != 1 || first.Dates[0].Date != "20260301" {
		t.Errorf("first item loop = %+v %+v", first.References, first.Dates)
	}
	if second.Total.String() != "420" || second.Discount.String() != "20" || len(second.Adjustments) != 1 ||
		second.Adjustments[0].Reason != "01" || second.Adjustments[0].Ref != "INV-1002" {
		t.Errorf("second item = %+v", second)
	}
	if got := strings.Join(adv.Lines, "|"); strings.Contains(got, "ISA") || strings.Contains(got, "SE*") || !strings.HasPrefix(got, "BPR*C*1000.00") {
		t.Errorf("lines = %q", got)
	}
	if adv.Segments != 20 {
		t.Errorf("segments = %d, want 20", adv.Segments)
	}
}

func TestParse_CustomSeparators(t *testing.T) {
	in := strings.NewReplacer("*", "|", `\`, "!\r\n", ">", "^").Replace(ctx820)
	adv, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if adv.Separators != (Separators{Element: '|', Component: '^', Segment: '!'}) {
		t.Errorf("separators = %q", adv.Separators)
	}
	if len(adv.Items) != 2 || adv.Items[1].Number != "INV-1002" || adv.Items[1].Discount.String() != "20" {
		t.Errorf("items = %+v", adv.Items)
	}
}

func TestParse_TrimmedISA(t *testing.T) {
	in := "ISA*00**00**ZZ*PAYER*ZZ*PAYEE*260317*1200*U*00401*1*0*P*:~RMR*IV*A1**10.5~"
	adv, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if adv.Separators.Segment != '~' || len(adv.Items) != 1 || adv.Items[0].Paid.String() != "10.5" {
		t.Errorf("advice = %+v", adv)
	}
}

func TestParse_BareSegments(t *testing.T) {
	tests := []struct {
		name, in    string
		items       int
		paid, total string
	}{
		{"no terminator", "RMR*OI*0140611**-1170.49*25*1170.36*", 1, "-1170.49", "25"},
		{"backslash", `RMR*IV*A-1**100.00\RMR*IV*A-2**50\`, 2, "100", ""},
		{"padded", "RMR*ADG*504058968                              ", 1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			adv, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(adv.Items) != tt.items {
				t.Fatalf("items = %+v", adv.Items)
			}
			it := adv.Items[0]
			if got := amountString(it.Paid); got != tt.paid {
				t.Errorf("paid = %q, want %q", got, tt.paid)
			}
			if got := amountString(it.Total); got != tt.total {
				t.Errorf("total = %q, want %q", got, tt.total)
			}
		})
	}
}

func amountString(a Amount) string { return a.String() }

func TestParse_NotX12(t *testing.T) {
	for _, in := range []string{"", "paygate transaction", "RE: invoice 12", "ISA", "ISA*00*short"} {
		if adv, err := Parse(in); err == nil || adv != nil {
			t.Errorf("Parse(%q) = %+v, %v; want an error", in, adv, err)
		}
	}
}

func TestParse_MalformedSegmentsAreReportedAndSkipped(t *testing.T) {
	in := `ST*820*0001\BPR*C*12,00*C\RMR*IV*A-1**1O.00\RMR*IV*A-2**5.00\ADX**01\RMR*IV\SE*9*0002\`
	adv, err := Parse(in)
	if err == nil {
		t.Fatal("no error for malformed segments")
	}
	var se *SegmentError
	if !errors.As(err, &se) || se.Index != 2 || se.ID != "BPR" || se.Element != 2 {
		t.Errorf("first error = %#v", se)
	}
	for _, want := range []string{"segment 3 RMR04", "segment 5 ADX01", "segment 6 RMR02", "segment 7 SE01", "segment 7 SE02"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if len(adv.Items) != 3 || adv.Items[1].Paid.String() != "5" {
		t.Errorf("items = %+v", adv.Items)
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1170.36", "1170.36"}, {"-25", "-25"}, {".5", "0.5"}, {"0", "0"}, {" 12.00 ", "12"},
		{"123456789012345678", "123456789012345678"},
	}
	for _, tt := range tests {
		a, err := ParseAmount(tt.in)
		if err != nil || !a.Valid() || a.String() != tt.want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %s", tt.in, a, err, tt.want)
		}
	}
	for _, in := range []string{"1,00", "1.2.3", "-", ".", "1e5", "+5", "1234567890123456789"} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
	if a, err := ParseAmount(""); err != nil || a.Valid() {
		t.Errorf("empty amount = %v, %v", a, err)
	}
}

func TestAmount_Minor(t *testing.T) {
	tests := []struct {
		in     string
		digits int32
		want   int64
		ok     bool
	}{
		{"1170.36", 2, 117036, true}, {"-25", 2, -2500, true}, {".5", 2, 50, true},
		{"1.005", 2, 0, false}, {"1.005", 3, 1005, true}, {"999999999999999999", 2, 0, false},
	}
	for _, tt := range tests {
		a, err := ParseAmount(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := a.Minor(tt.digits); got != tt.want || ok != tt.ok {
			t.Errorf("%q.Minor(%d) = %d, %v; want %d, %v", tt.in, tt.digits, got, ok, tt.want, tt.ok)
		}
	}
}

func TestScanner_Segments(t *testing.T) {
	sc := NewScanner("ST*820*0001~ RMR*IV*A-1**10.00 ~\r\nSE~", Separators{Element: '*', Segment: '~'})
	want := []struct {
		id       string
		elements []string
	}{
		{"ST", []string{"820", "0001"}},
		{"RMR", []string{"IV", "A-1", "", "10.00"}},
		{"SE", nil},
	}
	for i, w := range want {
		if !sc.Scan() {
			t.Fatalf("segment %d: no more segments", i+1)
		}
		seg := sc.Segment()
		if seg.ID != w.id || seg.Index != i+1 || strings.Join(seg.Elements, "|") != strings.Join(w.elements, "|") || len(seg.Elements) != len(w.elements) {
			t.Errorf("segment %d = %q %d %q, want %q %q", i+1, seg.ID, seg.Index, seg.Elements, w.id, w.elements)
		}
		if n := len(w.elements); seg.Element(n+1) != "" || n > 0 && seg.Element(n) != w.elements[n-1] {
			t.Errorf("segment %d: Element(%d) = %q", i+1, n, seg.Element(n))
		}
	}
	if sc.Scan() {
		t.Errorf("a fourth segment %q", sc.Segment().Text)
	}
}
