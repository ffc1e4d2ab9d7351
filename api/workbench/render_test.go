package workbench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestFormatAmount(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"0.00", "0.00"},
		{"999.99", "999.99"},
		{"1000", "1,000"},
		{"1234567.50", "1,234,567.50"},
		{"-1234.5", "-1,234.5"},
		{"123456", "123,456"},
		{"", ""},
		{"n/a", "n/a"},
	} {
		if got := formatAmount(tc.in); got != tc.want {
			t.Errorf("formatAmount(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPercentAndBars(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     string
	}{{209, 300, "69.7"}, {0, 0, "0.0"}, {1, 3, "33.3"}, {2, 3, "66.7"}, {3, 3, "100.0"}, {1, 2000, "0.1"}} {
		if got := percent(tc.n, tc.total); got != tc.want {
			t.Errorf("percent(%d, %d) = %q, want %q", tc.n, tc.total, got, tc.want)
		}
	}
	for _, tc := range []struct{ n, max, want int }{{34, 34, 100}, {25, 34, 73}, {1, 1000, 1}, {0, 5, 0}, {3, 0, 0}} {
		if got := barWidth(tc.n, tc.max); got != tc.want {
			t.Errorf("barWidth(%d, %d) = %d, want %d", tc.n, tc.max, got, tc.want)
		}
	}
}

func TestWithQuery(t *testing.T) {
	q := url.Values{"reason": {"ambiguous"}, "cursor": {"abc"}}
	if got := withQuery(q, "cursor", ""); got != "?reason=ambiguous" {
		t.Errorf("got %q", got)
	}
	if got := withQuery(q, "sort", "-amount"); got != "?cursor=abc&reason=ambiguous&sort=-amount" {
		t.Errorf("got %q", got)
	}
	if q.Get("sort") != "" {
		t.Error("withQuery changed its argument")
	}
}

func TestStatic_VersionedAndCached(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for _, name := range []string{"app.css", "app.js"} {
		v := staticVersions[name]
		if v == "" {
			t.Fatalf("no version of %s", name)
		}
		resp, err := b.client.Get(h.srv.URL + "/static/" + name + "?v=" + v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, Cache-Control %q", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no CSP", name)
		}
	}
	resp, err := b.client.Get(h.srv.URL + "/static/nothing.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown asset: %d", resp.StatusCode)
	}
}

func TestUnknownPage(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	p := b.get("/no/such/page")
	wantStatus(t, p, http.StatusNotFound)
	wantText(t, p, "There is no page at /no/such/page")
}
