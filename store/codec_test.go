package store

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// fill sets every field of the value v points to, recursively, to a value
// that is not zero and differs from field to field, so that a codec that
// forgets a field fails a round trip.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Interface().(type) {
	case decimal.Decimal:
		v.Set(reflect.ValueOf(decimal.New(int64(*n)*101, -2)))
		return
	case time.Time:
		v.Set(reflect.ValueOf(time.Unix(1_700_000_000+int64(*n), 0).UTC()))
		return
	case engine.Currency:
		v.Set(reflect.ValueOf(engine.Currency("EUR")))
		return
	case engine.Date:
		v.Set(reflect.ValueOf(engine.Date{Year: 2026, Month: time.Month(1 + *n%12), Day: 1 + *n%28}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", *n%5) + string(rune('a'+*n%26)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(1 + *n%3))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), n)
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	default:
		t.Fatalf("fill: no value for %s", v.Type())
	}
}

// equal compares two values field by field, decimals by value.
func equal(a, b reflect.Value) bool {
	if d, ok := a.Interface().(decimal.Decimal); ok {
		return d.Equal(b.Interface().(decimal.Decimal))
	}
	if t, ok := a.Interface().(time.Time); ok {
		return t.Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equal(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}

func TestCodec_PaymentKeepsEveryField(t *testing.T) {
	var p engine.Payment
	n := 0
	fill(t, reflect.ValueOf(&p).Elem(), &n)
	got, err := decodePayment(p.Seq, encodePayment(nil, &p))
	if err != nil {
		t.Fatal(err)
	}
	if !equal(reflect.ValueOf(got), reflect.ValueOf(p)) {
		t.Errorf("payment changed in a round trip:\n got %+v\nwant %+v", got, p)
	}
}

func TestCodec_InvoiceEntryApplicationKeepEveryField(t *testing.T) {
	n := 0
	var inv Invoice
	fill(t, reflect.ValueOf(&inv).Elem(), &n)
	gotInv, err := decodeInvoice(encodeInvoice(nil, &inv))
	if err != nil || !equal(reflect.ValueOf(gotInv), reflect.ValueOf(inv)) {
		t.Errorf("invoice: %v\n got %+v\nwant %+v", err, gotInv, inv)
	}
	var en Entry
	fill(t, reflect.ValueOf(&en).Elem(), &n)
	gotEn, err := decodeEntry(en.Seq, encodeEntry(nil, &en))
	if err != nil || !equal(reflect.ValueOf(gotEn), reflect.ValueOf(en)) {
		t.Errorf("entry: %v\n got %+v\nwant %+v", err, gotEn, en)
	}
	var a application
	fill(t, reflect.ValueOf(&a).Elem(), &n)
	gotA, err := decodeApplication(a.Seq, encodeApplication(nil, &a))
	if err != nil || !equal(reflect.ValueOf(gotA), reflect.ValueOf(a)) {
		t.Errorf("application: %v\n got %+v\nwant %+v", err, gotA, a)
	}
}

// Values written by the first release. A later release must still read
// them: never change these bytes, add a test for the next version instead.
const (
	paymentV1Hex = "0103502d3103737431046261693209736d2e626169323a370539383736350355534400f2c001" +
		"030000d41f0b03d41f0b030331363502423100000441434d4500164445383933373034303034" +
		"34303533323031333030300000010d464f52204f524445522031323301010241420355534400" +
		"98c00103000000000000000000000000000000000000010a6e6f203838207465787400000000" +
		"00000000000000"
	invoiceV1Hex = "0105494e562d310243310941636d6520436f72700355534400a09c01030355534400a09c0103" +
		"0355534400c03e03d41f0a01d41f0a1f0132143c05504f2d3932010a31323334353637383930" +
		"03"
	entryV1Hex       = "01010703502d3105494e562d310243310355534400c03e030000000b80c08fd4cdc0bfe431"
	applicationV1Hex = "0102024331e20700011b696e766f69636520666f756e6420696e2072656d697474616e636500" +
		"0355534400c03e0303555344000003035553440000030355534400000302040500050680c08f" +
		"d4cdc0bfe43180c08fd4cdc0bfe431"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCodec_ReadsVersion1(t *testing.T) {
	p, err := decodePayment(7, mustHex(t, paymentV1Hex))
	if err != nil {
		t.Fatalf("payment v1: %v", err)
	}
	if p.Seq != 7 || p.ID != "P-1" || p.Amount.String() != "123.45" || p.Amount.Currency != "USD" ||
		p.BankRef != "B1" || p.PayerName != "ACME" || p.Remittance.Text() != "FOR ORDER 123" ||
		len(p.Remittance.References) != 1 || p.Remittance.References[0].Amount.String() != "123.00" ||
		p.ValueDate.String() != "2026-11-03" || p.PayerAccount != "DE89370400440532013000" {
		t.Errorf("payment v1 read as %+v", p)
	}
	inv, err := decodeInvoice(mustHex(t, invoiceV1Hex))
	if err != nil {
		t.Fatalf("invoice v1: %v", err)
	}
	if inv.ID != "INV-1" || inv.Amount.String() != "100.00" || inv.Open.String() != "40.00" ||
		inv.Terms.String() != "2/10 net 30" || inv.PONumber != "PO-92" || inv.Version != 3 ||
		inv.DueDate.String() != "2026-10-31" || len(inv.CustomerAccounts) != 1 {
		t.Errorf("invoice v1 read as %+v", inv)
	}
	en, err := decodeEntry(4, mustHex(t, entryV1Hex))
	if err != nil {
		t.Fatalf("entry v1: %v", err)
	}
	if en.Seq != 4 || en.Kind != EntryAllocation || en.PaymentSeq != 7 || en.Invoice != "INV-1" ||
		en.Amount.String() != "40.00" || en.Audit != 11 ||
		!en.Time.Equal(time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("entry v1 read as %+v", en)
	}
	a, err := decodeApplication(7, mustHex(t, applicationV1Hex))
	if err != nil {
		t.Fatalf("application v1: %v", err)
	}
	if a.Kind != engine.Auto || a.Customer != "C1" || a.Confidence != 994 || a.Applied.String() != "40.00" ||
		len(a.Entries) != 2 || a.Audit != 5 || a.Version != 6 {
		t.Errorf("application v1 read as %+v", a)
	}
}

func TestCodec_AmountsBeyondInt64KeepEveryDigit(t *testing.T) {
	big := decimal.RequireFromString("123456789012345678901234567890.12")
	en := Entry{Seq: 1, Kind: EntryAdjustment, Amount: engine.NewAmount(big, "USD")}
	got, err := decodeEntry(1, encodeEntry(nil, &en))
	if err != nil || !got.Amount.Value.Equal(big) {
		t.Errorf("amount %s read back as %s, %v", big, got.Amount.Value, err)
	}
}

func TestCodec_RefusesUnknownVersionAndTruncation(t *testing.T) {
	b := mustHex(t, entryV1Hex)
	if _, err := decodeEntry(1, append([]byte{9}, b[1:]...)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("version 9: %v, want ErrCorrupt", err)
	}
	for i := 1; i < len(b); i++ {
		if _, err := decodeEntry(1, b[:i]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("entry cut at %d bytes: %v, want ErrCorrupt", i, err)
		}
	}
	if _, err := decodeEntry(1, append(b, 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("a byte too many: %v, want ErrCorrupt", err)
	}
}

// FuzzDecode feeds arbitrary bytes to every binary decoder: none may panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{paymentV1Hex, invoiceV1Hex, entryV1Hex, applicationV1Hex} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		decodePayment(1, b)
		decodeInvoice(b)
		decodeEntry(1, b)
		decodeApplication(1, b)
	})
}
