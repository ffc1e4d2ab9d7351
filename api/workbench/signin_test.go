package workbench

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSignIn_StartsSessionWithSafeCookie(t *testing.T) {
	h := newHarness(t)
	b := h.browser()

	p := b.get("/statements")
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Location(); got != "/signin?next=%2Fstatements" {
		t.Errorf("redirect to %q", got)
	}
	p = b.get("/signin?next=%2Fstatements")
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "API token")

	p = b.post("/signin", url.Values{"token": {specialistToken}, "next": {"/statements"}})
	wantStatus(t, p, http.StatusSeeOther)
	if got := p.Location(); got != "/statements" {
		t.Errorf("after sign-in, redirect to %q, want /statements", got)
	}
	var c *http.Cookie
	for _, sc := range (&http.Response{Header: p.Header}).Cookies() {
		if sc.Name == sessionCookie {
			c = sc
		}
	}
	if c == nil {
		t.Fatalf("no session cookie; Set-Cookie: %q", p.Header.Values("Set-Cookie"))
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 || c.Expires.IsZero() {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/ and an expiry", c)
	}
	if c.Secure {
		t.Error("cookie marked Secure over plain HTTP; browsers would drop it")
	}
	if strings.Contains(c.Value, specialistToken) || len(c.Value) < 40 {
		t.Errorf("cookie value %q: want a random ID that does not hold the token", c.Value)
	}

	p = b.follow(p)
	wantStatus(t, p, http.StatusOK)
	wantText(t, p, "Sam Specialist", "specialist", "Bank statements")
	if strings.Contains(p.Body, specialistToken) {
		t.Error("a page shows the API token")
	}
}

func TestSignIn_SecureCookieOverTLS(t *testing.T) {
	for _, tc := range []struct {
		name         string
		secureOption bool
		tls          bool
	}{{"option", true, false}, {"tls", false, true}} {
		ss := newSessions(time.Hour, time.Now, tc.secureOption)
		r := httptest.NewRequest("POST", "/signin", nil)
		if tc.tls {
			r = httptest.NewRequest("POST", "https://example.test/signin", nil)
		}
		w := httptest.NewRecorder()
		ss.start(w, r, specialistToken, me{Name: "x"})
		if c := w.Result().Cookies()[0]; !c.Secure {
			t.Errorf("%s: cookie %+v: want Secure", tc.name, c)
		}
		w = httptest.NewRecorder()
		ss.end(w, r)
		if c := w.Result().Cookies()[0]; !c.Secure || c.MaxAge >= 0 {
			t.Errorf("%s: clearing cookie %+v: want Secure and expired", tc.name, c)
		}
	}
}

func TestSignIn_RefusesUnknownToken(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.get("/signin")
	p := b.post("/signin", url.Values{"token": {"tok-nobody-knows-this-one"}})
	wantStatus(t, p, http.StatusUnauthorized)
	wantText(t, p, "This token is not known")
	if strings.Contains(p.Header.Get("Set-Cookie"), sessionCookie+"=") {
		t.Error("a refused sign-in set a session cookie")
	}
	p = b.post("/signin", url.Values{"token": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	wantText(t, p, "Enter your API token")
}

func TestSignIn_RefusesFormWithoutItsCSRFToken(t *testing.T) {
	h := newHarness(t)

	// A form posted without having shown the sign-in page: no cookie.
	b := h.browser()
	p := b.post("/signin", url.Values{"token": {specialistToken}, csrfField: {"made-up"}})
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, p, "expired")

	// The page was shown, but the form carries another token.
	b.get("/signin")
	p = b.post("/signin", url.Values{"token": {specialistToken}, csrfField: {"not-the-token-of-the-cookie"}})
	wantStatus(t, p, http.StatusForbidden)
}

func TestSignIn_NextStaysOnThisServer(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/exceptions?status=open", "/exceptions?status=open"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"", "/"},
		{"statements", "/"},
	} {
		if got := localPath(tc.next); got != tc.want {
			t.Errorf("localPath(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
	h := newHarness(t)
	b := h.browser()
	b.get("/signin")
	p := b.post("/signin", url.Values{"token": {viewerToken}, "next": {"//evil.example/"}})
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location() != "/" {
		t.Errorf("redirect to %q, want /", p.Location())
	}
}

func TestSignOut_EndsSession(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	wantStatus(t, b.get("/statements"), http.StatusOK)

	// Signing out is a form like any other: without the token it is refused.
	p := b.post("/signout", url.Values{csrfField: {"wrong"}})
	wantStatus(t, p, http.StatusForbidden)
	wantStatus(t, b.get("/statements"), http.StatusOK)

	p = b.post("/signout", nil)
	wantStatus(t, p, http.StatusSeeOther)
	if p.Location() != "/signin" {
		t.Errorf("redirect to %q", p.Location())
	}
	if len(h.wb.sessions.mu.byID) != 0 {
		t.Errorf("%d sessions kept after signing out", len(h.wb.sessions.mu.byID))
	}
	wantStatus(t, b.get("/statements"), http.StatusSeeOther)
}

func TestSession_Expires(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(viewerToken)
	h.now.Advance(8*time.Hour - time.Minute)
	wantStatus(t, b.get("/statements"), http.StatusOK)
	h.now.Advance(2 * time.Minute)
	p := b.get("/statements")
	wantStatus(t, p, http.StatusSeeOther)
	if !strings.HasPrefix(p.Location(), "/signin") {
		t.Errorf("redirect to %q", p.Location())
	}

	// A form posted after the session ended says so and changes nothing.
	p = b.post("/signout", nil)
	wantStatus(t, p, http.StatusUnauthorized)
	wantText(t, p, "Your session has ended")
}

func TestSession_StoreIsBounded(t *testing.T) {
	now := time.Now()
	ss := newSessions(time.Hour, func() time.Time { return now }, false)
	ss.max = 50
	var first, last *http.Request
	for i := range ss.max + 10 {
		now = now.Add(time.Minute)
		w := httptest.NewRecorder()
		ss.start(w, httptest.NewRequest("POST", "/signin", nil), "t", me{Name: "p"})
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(w.Result().Cookies()[0])
		if i == 0 {
			first = r
		}
		last = r
	}
	if n := len(ss.mu.byID); n > ss.max {
		t.Errorf("%d sessions kept, limit %d", n, ss.max)
	}
	if ss.get(first) != nil {
		t.Error("the oldest session was kept when the store was full")
	}
	if ss.get(last) == nil {
		t.Error("the newest session was dropped")
	}

	// Expired sessions go first.
	now = now.Add(2 * time.Hour)
	w := httptest.NewRecorder()
	ss.start(w, httptest.NewRequest("POST", "/signin", nil), "t", me{Name: "p"})
	if n := len(ss.mu.byID); n != 1 {
		t.Errorf("%d sessions kept after all but one expired", n)
	}
}

func TestCrossOriginFormIsRefused(t *testing.T) {
	h := newHarness(t)
	b := h.signedIn(adminToken)
	b.get("/statements")
	p := b.post("/signout", nil, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, p, http.StatusForbidden)
	wantText(t, p, "came from another site")
	wantStatus(t, b.get("/statements"), http.StatusOK)

	p = b.post("/signout", nil, "Origin", "https://evil.example")
	wantStatus(t, p, http.StatusForbidden)
}
