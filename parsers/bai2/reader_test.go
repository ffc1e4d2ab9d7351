package bai2

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

func readAll(t *testing.T, in string) ([]engine.Payment, error) {
	t.Helper()
	r := NewReader(strings.NewReader(in), &parsers.Options{Name: "t.bai2"})
	var ps []engine.Payment
	for {
		p, err := r.Next()
		if err == io.EOF {
			return ps, nil
		}
		if err != nil {
			return ps, err
		}
		ps = append(ps, p)
	}
}

func TestReader_DetailWithContinuation(t *testing.T) {
	in := "01,121140399,3333333333,100831,1720,000001,80,1,2/\n" +
		"02,3333333333,121140399,1,100831,1720,USD,4/\n" +
		"03,3333333333,USD,,,,/\n" +
		"16,195,8325982,,,,FED NO: 2010\n" +
		"88,OBI:=INVOICE 123456\n" +
		"16,475,100,0,REF1,CUST1,CHECK/\n" +
		"49,8326082,5/\n98,8326082,1,7/\n99,8326082,1,9/\n"
	ps, err := readAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("got %d payments, want 2", len(ps))
	}
	p := ps[0]
	if p.Amount.String() != "83259.82" || p.Direction != engine.Credit || p.TypeCode != "195" ||
		p.Remittance.Text() != "FED NO: 2010 OBI:=INVOICE 123456" || p.Source != "t.bai2:4" ||
		p.ValueDate.String() != "2010-08-31" {
		t.Errorf("first payment = %+v", p)
	}
	if q := ps[1]; q.Direction != engine.Debit || q.BankRef != "REF1" || q.CustomerRef != "CUST1" {
		t.Errorf("second payment = %+v", q)
	}
}

func TestReader_UnknownRecordNamesLine(t *testing.T) {
	_, err := readAll(t, "01,a,b,100831,1720,1,,,2/\n00,zz/\n")
	var pe *parsers.ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || pe.File != "t.bai2" {
		t.Fatalf("err = %v, want a ParseError at t.bai2:2", err)
	}
}
