package invoices

import (
	"errors"
	"strings"
	"testing"
)

func TestRead_ValidAndInvalidRows(t *testing.T) {
	in := "invoice_id,customer_id,customer_name,amount,currency,issue_date,due_date,open_amount,terms,customer_accounts\n" +
		"INV-1,C1,Acme Corp,100.00,usd,2026-10-01,2026-10-31,40.00,2/10 net 30,111;222\n" +
		"INV-2,C1,Acme Corp,12.345,USD,2026-10-01,2026-10-31,,,\n" +
		"INV-3,C2,Globex,-50.00,EUR,2026-10-02,2026-11-01,,net 30,\n" +
		"INV-1,C9,Dup,1.00,USD,2026-10-01,2026-10-31,,,\n"
	invs, err := Read(strings.NewReader(in))
	if len(invs) != 2 {
		t.Fatalf("got %d invoices, want 2", len(invs))
	}
	if invs[0].Open.String() != "40.00" || invs[0].Terms.DiscountDays != 10 || len(invs[0].CustomerAccounts) != 2 {
		t.Errorf("INV-1 = %+v", invs[0])
	}
	if !invs[1].IsCreditNote() || invs[1].Open.String() != "-50.00" {
		t.Errorf("INV-3 = %+v, want a credit note open at -50.00", invs[1])
	}
	var rowErrs []*RowError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var re *RowError
		if errors.As(e, &re) {
			rowErrs = append(rowErrs, re)
		}
	}
	if len(rowErrs) != 2 || rowErrs[0].Line != 3 || rowErrs[0].Column != "amount" || rowErrs[1].Line != 5 {
		t.Errorf("row errors = %v, want line 3 amount and line 5 duplicate", err)
	}
}

func TestRead_MissingColumns(t *testing.T) {
	_, err := Read(strings.NewReader("invoice_id,amount\nINV-1,1.00\n"))
	if err == nil || !strings.Contains(err.Error(), "customer_id") {
		t.Errorf("err = %v, want the missing columns named", err)
	}
}
