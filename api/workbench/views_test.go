package workbench

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		text string
		refs []string
		want string
	}{
		{"PAYMENT INV-012001 AND inv-012008", []string{"INV-012001", "inv-012008"},
			"PAYMENT <mark>INV-012001</mark> AND <mark>inv-012008</mark>"},
		{"pays inv-1 twice: INV-1", []string{"INV-1"}, "pays <mark>inv-1</mark> twice: <mark>INV-1</mark>"},
		{"<script>alert(1)</script> INV-9", []string{"INV-9"},
			"&lt;script&gt;alert(1)&lt;/script&gt; <mark>INV-9</mark>"},
		{"overlap ABCDEF", []string{"ABCD", "CDEF"}, "overlap <mark>ABCD</mark><mark>EF</mark>"},
		{"Ünïcode İ INV-7 here", []string{"inv-7"}, "Ünïcode İ <mark>INV-7</mark> here"},
		{"no refs & co", nil, "no refs &amp; co"},
		{"x", []string{"", "  "}, "x"},
	} {
		if got := string(highlight(tc.text, tc.refs)); got != tc.want {
			t.Errorf("highlight(%q, %q)\n got %q\nwant %q", tc.text, tc.refs, got, tc.want)
		}
	}
}

func TestConfidencePercent(t *testing.T) {
	for in, want := range map[string]string{"0.973": "97.3%", "1": "100.0%", "0.05": "5.0%", "0": "0.0%"} {
		if got := confidencePercent(json.Number(in)); got != want {
			t.Errorf("confidencePercent(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestResolutionForm(t *testing.T) {
	for _, tc := range []struct {
		name    string
		form    url.Values
		want    string
		wantErr string
	}{
		{"suggestion", url.Values{"action": {"suggestion"}, "rank": {"2"}},
			`{"suggestion":2}`, ""},
		{"bad rank", url.Values{"action": {"suggestion"}, "rank": {"x"}}, "", "not a rank"},
		{"allocations skip untouched open items", url.Values{"action": {"allocate"}, "customer": {"C1"},
			"alloc_invoice": {"INV-1", "INV-2", "", ""}, "alloc_amount": {"100.00", "", "", ""},
			"note": {" checked "}},
			`{"allocations":[{"amount":"100.00","invoice_id":"INV-1"}],"customer_id":"C1","note":"checked"}`, ""},
		{"write-off and on account", url.Values{"action": {"allocate"},
			"alloc_invoice": {"INV-1"}, "alloc_amount": {"95.00"},
			"wo_invoice": {"INV-1", ""}, "wo_amount": {"5.00", ""}, "wo_code": {"bank_fee", ""},
			"on_account": {"1.00"}},
			`{"allocations":[{"amount":"95.00","invoice_id":"INV-1"}],"on_account":"1.00","write_offs":[{"amount":"5.00","code":"bank_fee","invoice_id":"INV-1"}]}`, ""},
		{"write-off without code", url.Values{"action": {"allocate"},
			"wo_invoice": {"INV-1"}, "wo_amount": {"5.00"}, "wo_code": {""}}, "", "needs a reason code"},
		{"amount without invoice", url.Values{"action": {"allocate"},
			"alloc_invoice": {""}, "alloc_amount": {"5.00"}}, "", "enter the invoice"},
		{"nothing", url.Values{"action": {"allocate"}, "alloc_invoice": {"INV-1"}, "alloc_amount": {"0.00"}},
			"", "at least one invoice"},
		{"on account", url.Values{"action": {"on_account"}, "customer": {"C1"}, "on_account": {"12.50"}},
			`{"customer_id":"C1","on_account":"12.50"}`, ""},
		{"not a receivable", url.Values{"action": {"not_receivable"}, "note": {"interest"}},
			`{"not_receivable":true,"note":"interest"}`, ""},
		{"unknown", url.Values{"action": {"delete"}}, "", "unknown action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := resolution(tc.form)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(body)
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestEditor_FillsTopSuggestionThenPosted(t *testing.T) {
	x := exceptionDetailView{
		exceptionView: exceptionView{Suggestions: []suggestionView{{Rank: 1,
			Allocations: []allocationView{{"INV-2", "40.00"}, {"INV-9", "10.00"}}}}},
		OpenItems: []invoiceView{{ID: "INV-1", Open: "100.00"}, {ID: "INV-2", Open: "40.00"}},
	}
	got := editor(x, nil)
	want := []editorRow{{"INV-1", "100.00", ""}, {"INV-2", "40.00", "40.00"}, {"INV-9", "", "10.00"}, {}, {}, {}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	posted := url.Values{"alloc_invoice": {"INV-1", "INV-2", "INV-9", "INV-77"}, "alloc_amount": {"1.00", "", "", "5.00"}}
	got = editor(x, posted)
	if got[0].Amount != "1.00" || got[1].Amount != "" || got[3].Invoice != "INV-77" || got[3].Amount != "5.00" {
		t.Errorf("posted values not kept: %+v", got)
	}
}
