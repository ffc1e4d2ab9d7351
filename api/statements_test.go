package api

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

type statementResp struct {
	ID         string   `json:"id"`
	Source     string   `json:"source"`
	Format     string   `json:"format"`
	Payments   int      `json:"payments"`
	Duplicate  bool     `json:"duplicate"`
	ReceivedBy string   `json:"received_by"`
	Warnings   []string `json:"warnings"`
	Summary    struct {
		Payments   int               `json:"payments"`
		Auto       int               `json:"auto"`
		Suggested  int               `json:"suggested"`
		Exceptions int               `json:"exceptions"`
		ByReason   map[string]int    `json:"exceptions_by_reason"`
		Applied    map[string]string `json:"applied_amount"`
		Unapplied  map[string]string `json:"unapplied_amount"`
	} `json:"summary"`
}

func TestUploadStatement_NewThenDuplicate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.loadDemoInvoices()

	w := h.uploadDemo()
	wantStatus(t, w, http.StatusCreated)
	var first statementResp
	decode(t, w, &first)
	if first.Duplicate || first.Format != "bai2" || first.Source != "lockbox.bai2" || first.Payments != 300 {
		t.Errorf("first upload: %+v", first)
	}
	sum := first.Summary
	if sum.Payments != 300 || sum.Auto == 0 || sum.Suggested+sum.Exceptions == 0 ||
		sum.Applied["USD"] == "" || sum.Applied["USD"] == "0.00" {
		t.Errorf("first summary: %+v", sum)
	}
	if first.ReceivedBy != "Test uploader" {
		t.Errorf("received_by = %q", first.ReceivedBy)
	}
	audit, err := h.store.AuditLog(context.Background(), engine.DefaultEntity, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for _, a := range audit {
		if a.Action == store.ActionReceive {
			actors = append(actors, a.Actor)
		}
	}
	if len(actors) != 1 || actors[0] != "Test uploader" {
		t.Errorf("intake audited as %q, want the uploader", actors)
	}
	if loc := w.Header().Get("Location"); loc != "/v1/statements/"+first.ID {
		t.Errorf("Location = %q", loc)
	}

	// The same bytes again: 200, duplicate, and the first result, although
	// the invoices it paid are now closed.
	w = h.uploadDemo()
	wantStatus(t, w, http.StatusOK)
	var again statementResp
	decode(t, w, &again)
	if !again.Duplicate || again.ID != first.ID {
		t.Errorf("second upload: duplicate=%v id=%s", again.Duplicate, again.ID)
	}
	if fmt.Sprint(again.Summary) != fmt.Sprint(first.Summary) {
		t.Errorf("duplicate summary %+v differs from the first %+v", again.Summary, first.Summary)
	}

	// The list and the statement itself show it.
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/statements"})
	wantStatus(t, w, http.StatusOK)
	var list struct {
		Statements []statementResp `json:"statements"`
	}
	decode(t, w, &list)
	if len(list.Statements) != 1 || list.Statements[0].ID != first.ID {
		t.Errorf("list: %+v", list)
	}
	w = h.do(request{role: Viewer, method: "GET", path: "/v1/statements/" + first.ID})
	wantStatus(t, w, http.StatusOK)
	var one statementResp
	decode(t, w, &one)
	if fmt.Sprint(one.Summary) != fmt.Sprint(first.Summary) || one.Duplicate {
		t.Errorf("get: %+v", one)
	}
}

func TestUploadStatement_Multipart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("note", "ignored")
	fw, _ := mw.CreateFormFile("file", "morning.bai2")
	fw.Write(readDemo(t, "lockbox-2026-11-03.bai2"))
	mw.Close()
	w := h.do(request{role: Admin, method: "POST", path: "/v1/statements", body: body.Bytes(),
		contentType: mw.FormDataContentType()})
	wantStatus(t, w, http.StatusCreated)
	var st statementResp
	decode(t, w, &st)
	if st.Source != "morning.bai2" || st.Payments != 300 {
		t.Errorf("multipart upload: %+v", st)
	}

	// A form without the file part.
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("note", "no file")
	mw.Close()
	w = h.do(request{role: Admin, method: "POST", path: "/v1/statements", body: body.Bytes(),
		contentType: mw.FormDataContentType()})
	wantStatus(t, w, http.StatusBadRequest)
}

func TestUploadStatement_Refused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *Options) { o.MaxUpload = 64 << 10 })
	cases := []struct {
		name   string
		body   string
		status int
		detail string
	}{
		{"broken.bai2", "01,121000248,CASHMATCH,261103,0800,1,,,2/\n02,CASHMATCH,121000248,1,261103/\n77,oops/\n",
			http.StatusUnprocessableEntity, "broken.bai2:3: 77: unknown record type"},
		{"notes.txt", "hello, this is not a bank file\n", http.StatusUnprocessableEntity, "not a BAI2"},
		{"empty.bai2", "", http.StatusBadRequest, "empty"},
		{"big.bai2", "01," + strings.Repeat("x", 70<<10), http.StatusRequestEntityTooLarge, "limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := h.do(request{role: Uploader, method: "POST", path: "/v1/statements?name=" + c.name,
				body: []byte(c.body), contentType: "application/octet-stream"})
			wantStatus(t, w, c.status)
			p := problemOf(t, w)
			if d, _ := p["detail"].(string); !strings.Contains(d, c.detail) {
				t.Errorf("detail %q lacks %q", d, c.detail)
			}
		})
	}
	w := h.do(request{role: Viewer, method: "GET", path: "/v1/statements"})
	if strings.Contains(w.Body.String(), `"id"`) {
		t.Errorf("a refused file was stored: %s", w.Body.String())
	}
	w = h.do(request{role: Uploader, method: "POST", path: "/v1/statements?strict=maybe", body: []byte("x")})
	wantStatus(t, w, http.StatusBadRequest)
}

func TestGetStatement_NotFound(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, id := range []string{"nothex", strings.Repeat("a", 64)} {
		w := h.do(request{role: Viewer, method: "GET", path: "/v1/statements/" + id})
		wantStatus(t, w, http.StatusNotFound)
		problemOf(t, w)
	}
}

func TestListStatements_Pages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	demo := readDemo(t, "lockbox-2026-11-03.bai2")
	for i := range 3 {
		// Three distinct files: each differs by a trailing blank line count.
		body := append(bytes.Clone(demo), bytes.Repeat([]byte("\n"), i+1)...)
		wantStatus(t, h.do(request{role: Uploader, method: "POST", path: "/v1/statements", body: body}), http.StatusCreated)
	}
	seen := map[string]bool{}
	path := "/v1/statements?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		w := h.do(request{role: Viewer, method: "GET", path: path})
		wantStatus(t, w, http.StatusOK)
		var page struct {
			Statements []statementResp `json:"statements"`
			NextCursor string          `json:"next_cursor"`
		}
		decode(t, w, &page)
		for _, s := range page.Statements {
			if seen[s.ID] {
				t.Errorf("statement %s listed twice", s.ID)
			}
			seen[s.ID] = true
		}
		path = ""
		if page.NextCursor != "" {
			path = "/v1/statements?limit=2&cursor=" + page.NextCursor
		}
	}
	if len(seen) != 3 {
		t.Errorf("paged through %d statements, want 3", len(seen))
	}
	for _, bad := range []string{"limit=0", "limit=5000", "cursor=!!!"} {
		w := h.do(request{role: Viewer, method: "GET", path: "/v1/statements?" + bad})
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, w.Code)
		}
	}
}
