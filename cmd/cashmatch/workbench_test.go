package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
)

// chromium returns the path of a Chromium or Chrome binary, or skips the
// test when there is none. CI installs Debian's chromium, so there a
// missing browser fails the test instead of skipping it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CASHMATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH; .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium, or set CASHMATCH_CHROMIUM); the browser test runs in CI")
	return ""
}

// newChrome starts headless Chromium with a fresh profile and the flags
// this machine needs: no sandbox (root), no GPU, and no background
// connections to anywhere but the server under test.
func newChrome(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	return ctx
}

// screenshot saves a PNG of the whole page as name, in the test's artifact
// directory and, when CASHMATCH_SCREENSHOTS names a directory, there too
// (the README's pictures are made so).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("CASHMATCH_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// textOf returns the visible text of the first element sel matches, with
// blanks collapsed.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func wantIn(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q; it reads: %s", what, w, got)
		}
	}
}

// signIn opens the sign-in page and signs in with token.
func signIn(t *testing.T, ctx context.Context, base, token string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible("#token"),
		chromedp.SendKeys("#token", token),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible("form.signout"),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
}

// TestWorkbench_Browser drives the workbench of the real binary in headless
// Chromium: treasury signs in and uploads the open items and a bank file
// from the page, and the overview shows what the engine did.
func TestWorkbench_Browser(t *testing.T) {
	bin := buildBinary(t)
	ctx := newChrome(t)
	s := startServer(t, bin)

	// Treasury uploads the ERP's open items and the bank file by hand.
	signIn(t, ctx, s.base, tokUploader)
	dir := filepath.Join(repoRoot, "testdata", "lockbox")
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/invoices"),
		chromedp.WaitVisible(`form.upload input[type="file"]`),
		chromedp.SetUploadFiles(`form.upload input[type="file"]`, []string{filepath.Join(dir, "invoices.csv")}),
		chromedp.Click(`form.upload button[type="submit"]`),
		chromedp.WaitVisible(".flash"),
	)
	if err != nil {
		t.Fatalf("upload invoices: %v", err)
	}
	wantIn(t, "invoices page", textOf(t, ctx, ".flash"), "invoices.csv: 365 invoices added or updated.")

	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/statements"),
		chromedp.WaitVisible(`form.upload input[type="file"]`),
		chromedp.SetUploadFiles(`form.upload input[type="file"]`, []string{filepath.Join(dir, "lockbox-2026-11-03.bai2")}),
		chromedp.Click(`form.upload button[type="submit"]`),
		chromedp.WaitVisible(".flash"),
	)
	if err != nil {
		t.Fatalf("upload statement: %v", err)
	}

	// The page shows what the API says the engine did.
	_, body := s.call(tokUploader, "GET", "/v1/statements", "", nil)
	var list struct {
		Statements []struct {
			ID string `json:"id"`
		} `json:"statements"`
	}
	mustJSON(t, body, &list)
	if len(list.Statements) != 1 {
		t.Fatalf("statements: %s", body)
	}
	_, body = s.call(tokUploader, "GET", "/v1/statements/"+list.Statements[0].ID, "", nil)
	var st struct {
		Summary struct {
			Payments   int `json:"payments"`
			Auto       int `json:"auto"`
			Exceptions int `json:"exceptions"`
		} `json:"summary"`
	}
	mustJSON(t, body, &st)
	wantIn(t, "statement page", textOf(t, ctx, "main"),
		"lockbox-2026-11-03.bai2 was read: 300 payments.",
		fmt.Sprintf("Applied automatically %d (", st.Summary.Auto),
		fmt.Sprintf("Exceptions %d", st.Summary.Exceptions))
	screenshot(t, ctx, "statement.png")

	for _, route := range []string{"/v1/reports/summary", "/v1/exceptions"} {
		if code, _ := s.call(tokViewer, "GET", route, "", nil); code == http.StatusNotFound {
			t.Skipf("the API does not serve %s in this build", route)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible("table.chart")); err != nil {
		t.Fatalf("overview: %v", err)
	}
	wantIn(t, "overview", textOf(t, ctx, "main"),
		fmt.Sprintf("%d of %d payments", st.Summary.Auto, st.Summary.Payments))
	screenshot(t, ctx, "overview.png")

	// A specialist signs in, opens the oldest exception from the queue with
	// the keyboard and applies its top suggestion with one key.
	if err := chromedp.Do(ctx, chromedp.Click(`form.signout button`), chromedp.WaitVisible("#token")); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	signIn(t, ctx, s.base, tokSpecialist)
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/exceptions"),
		chromedp.WaitVisible("table.queue"),
	)
	if err != nil {
		t.Fatalf("queue: %v", err)
	}
	screenshot(t, ctx, "queue.png")
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("j"),
		chromedp.WaitVisible("table.queue tr.selected"),
		chromedp.KeyEvent("o"),
		chromedp.WaitVisible("table.suggestions"),
	)
	if err != nil {
		t.Fatalf("open the first exception with the keyboard: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], s.base+"/exceptions/")

	// What the API says the page must show: the top suggestion's invoice and
	// its open amount now.
	_, body = s.call(tokSpecialist, "GET", "/v1/exceptions/"+id, "", nil)
	var x struct {
		Suggestions []struct {
			Customer    string `json:"customer_id"`
			Allocations []struct {
				Invoice string `json:"invoice_id"`
				Amount  string `json:"amount"`
			} `json:"allocations"`
		} `json:"suggestions"`
	}
	mustJSON(t, body, &x)
	if len(x.Suggestions) == 0 || len(x.Suggestions[0].Allocations) == 0 {
		t.Fatalf("the oldest exception %s has no suggestion to apply: %s", id, body)
	}
	customer, alloc := x.Suggestions[0].Customer, x.Suggestions[0].Allocations[0]
	before := openAmount(t, s, customer, alloc.Invoice)
	shown := textOf(t, ctx, "#inv-"+alloc.Invoice+" .open-amount")
	if want := groupThousands(before.StringFixed(2)); shown != want {
		t.Errorf("the page shows %s open on %s, the API %s", shown, alloc.Invoice, want)
	}
	screenshot(t, ctx, "exception.png")

	if err := chromedp.Do(ctx, chromedp.KeyEvent("a"), chromedp.WaitVisible(".flash")); err != nil {
		t.Fatalf("apply with the a key: %v", err)
	}
	wantIn(t, "page after applying", textOf(t, ctx, ".flash"), "Resolved the payment of")

	// The invoice's new open amount, on the invoices page and in the API.
	want := before.Sub(decimal.RequireFromString(alloc.Amount))
	if got := openAmount(t, s, customer, alloc.Invoice); !got.Equal(want) {
		t.Fatalf("API: %s open on %s after applying %s, want %s", got, alloc.Invoice, alloc.Amount, want)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/invoices?status=all&customer="+customer),
		chromedp.WaitVisible("#inv-"+alloc.Invoice),
	)
	if err != nil {
		t.Fatalf("invoices page: %v", err)
	}
	if got := textOf(t, ctx, "#inv-"+alloc.Invoice+" .open-amount"); got != groupThousands(want.StringFixed(2)) {
		t.Errorf("invoices page shows %s open on %s, want %s", got, alloc.Invoice, want.StringFixed(2))
	}

	// Undo it from the payment's page; the page asks for confirmation.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.base+"/payments/"+id),
		chromedp.WaitVisible(`form[action$="/unapply"] button`),
		chromedp.Click(`form[action$="/unapply"] button`),
		chromedp.WaitVisible(".flash"),
	)
	if err != nil {
		t.Fatalf("unapply: %v", err)
	}
	wantIn(t, "payment page", textOf(t, ctx, ".flash"), "Unapplied")
	if got := openAmount(t, s, customer, alloc.Invoice); !got.Equal(before) {
		t.Errorf("%s open on %s after unapplying, want %s", got, alloc.Invoice, before)
	}
}

// openAmount returns an invoice's open amount as the API says.
func openAmount(t *testing.T, s *server, customer, invoice string) decimal.Decimal {
	t.Helper()
	_, body := s.call(tokSpecialist, "GET", "/v1/invoices?status=all&limit=1000&customer="+customer, "", nil)
	var page struct {
		Invoices []struct {
			ID   string `json:"invoice_id"`
			Open string `json:"open_amount"`
		} `json:"invoices"`
	}
	mustJSON(t, body, &page)
	for _, inv := range page.Invoices {
		if inv.ID == invoice {
			return decimal.RequireFromString(inv.Open)
		}
	}
	t.Fatalf("no invoice %s of %s: %s", invoice, customer, body)
	return decimal.Decimal{}
}
