package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

	if err := chromedp.Do(ctx, chromedp.Navigate(s.base+"/"), chromedp.WaitVisible("table.chart")); err != nil {
		t.Fatalf("overview: %v", err)
	}
	wantIn(t, "overview", textOf(t, ctx, "main"),
		fmt.Sprintf("%d of %d payments", st.Summary.Auto, st.Summary.Payments))
	screenshot(t, ctx, "overview.png")
}
