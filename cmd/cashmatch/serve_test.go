package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// e2eTokens is the tokens file the end-to-end tests serve with.
const e2eTokens = `# people of the end-to-end test
tok-e2e-uploader-00000001   uploader    Ana Treasury
tok-e2e-specialist-000001   specialist  Sam Specialist
tok-e2e-approver-00000001   approver    Pat Approver
tok-e2e-viewer-0000000001   viewer      ERP Export
`

// server is a running `cashmatch serve` process.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
	done chan error
}

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildBinary builds cashmatch once per run of the tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "cashmatch-e2e-"); binErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "cashmatch"), ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "cashmatch")
}

// startServer starts the binary on a free loopback port with a fresh store
// and waits until it answers.
func startServer(t *testing.T, bin string, extra ...string) *server {
	t.Helper()
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte(e2eTokens), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"serve", "--data", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0",
		"--tokens", tokens, "--log-format", "json"}, extra...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, logs: logs, done: make(chan error, 1)}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("serve printed no address: %v\n%s", err, logs)
	}
	s.base = strings.TrimSpace(strings.TrimPrefix(line, "cashmatch serving on "))
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	return s
}

// call sends a request as the holder of token and returns the status and
// body.
func (s *server) call(token, method, path, contentType string, body io.Reader, header ...string) (int, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
		if err != nil {
			s.t.Errorf("serve exited with %v\n%s", err, s.logs)
		}
	case <-time.After(20 * time.Second):
		s.t.Fatalf("serve did not stop on SIGTERM\n%s", s.logs)
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
}

func demoFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "lockbox", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	tokUploader   = "tok-e2e-uploader-00000001"
	tokSpecialist = "tok-e2e-specialist-000001"
	tokViewer     = "tok-e2e-viewer-0000000001"
)

// TestServe_EndToEnd runs the treasury and specialist jobs against the real
// binary on a loopback port.
func TestServe_EndToEnd(t *testing.T) {
	bin := buildBinary(t)
	s := startServer(t, bin)

	// Unauthenticated routes answer; the rest want a token.
	if code, _ := s.call("", "GET", "/healthz", "", nil); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	if code, body := s.call("", "GET", "/v1/statements", "", nil); code != 401 || !bytes.Contains(body, []byte(`"status":401`)) {
		t.Fatalf("no token: %d %s", code, body)
	}

	// Treasury loads the open items and uploads the morning's bank file.
	code, body := s.call(tokUploader, "POST", "/v1/invoices", "text/csv", bytes.NewReader(demoFile(t, "invoices.csv")))
	if code != 200 {
		t.Fatalf("invoices: %d %s", code, body)
	}
	code, body = s.call(tokUploader, "POST", "/v1/statements?name=lockbox.bai2", "application/octet-stream",
		bytes.NewReader(demoFile(t, "lockbox-2026-11-03.bai2")))
	if code != 201 {
		t.Fatalf("upload: %d %s", code, body)
	}
	var st struct {
		ID      string `json:"id"`
		Summary struct {
			Payments, Auto, Suggested, Exceptions int
		} `json:"summary"`
	}
	mustJSON(t, body, &st)
	if st.Summary.Payments != 300 || st.Summary.Auto == 0 || st.Summary.Exceptions+st.Summary.Suggested == 0 {
		t.Errorf("upload summary: %+v", st.Summary)
	}
	code, body = s.call(tokViewer, "GET", "/v1/statements/"+st.ID, "", nil)
	if code != 200 || !bytes.Contains(body, []byte(st.ID)) {
		t.Errorf("statement: %d %s", code, body)
	}

	// Roles hold: an uploader does not read customers.
	if code, _ := s.call(tokUploader, "GET", "/v1/customers/C1001", "", nil); code != 403 {
		t.Errorf("uploader reading a customer: %d, want 403", code)
	}

	// A specialist lists the queue and resolves the oldest exception.
	code, body = s.call(tokSpecialist, "GET", "/v1/exceptions?limit=5", "", nil)
	var queue struct {
		Exceptions []struct{ ID, Version, Amount string } `json:"exceptions"`
	}
	mustJSON(t, body, &queue)
	if code != 200 || len(queue.Exceptions) == 0 {
		t.Fatalf("queue: %d %s", code, body)
	}
	x := queue.Exceptions[0]
	if code, _ := s.call(tokUploader, "POST", "/v1/exceptions/"+x.ID+"/resolve", "application/json",
		strings.NewReader(`{"not_receivable":true}`), "If-Match", x.Version); code != 403 {
		t.Errorf("uploader resolving: %d, want 403", code)
	}
	code, body = s.call(tokSpecialist, "POST", "/v1/exceptions/"+x.ID+"/resolve", "application/json",
		strings.NewReader(`{"on_account":"`+x.Amount+`","customer_id":"C1001","note":"confirmed by phone"}`),
		"If-Match", x.Version)
	if code != 200 || !bytes.Contains(body, []byte(`"status":"resolved"`)) {
		t.Fatalf("resolve: %d %s", code, body)
	}
	if code, _ := s.call(tokSpecialist, "POST", "/v1/exceptions/"+x.ID+"/resolve", "application/json",
		strings.NewReader(`{"not_receivable":true}`), "If-Match", x.Version); code != 409 {
		t.Errorf("stale resolve: %d, want 409", code)
	}

	// The ERP reads the export; the specialist unapplies the first payment
	// in it, and the export shows the reversal.
	code, body = s.call(tokViewer, "GET", "/v1/export/allocations?since=0", "", nil)
	var export struct {
		Entries []struct {
			Payment  string `json:"payment_id"`
			Reverses string `json:"reverses"`
		} `json:"entries"`
		NextSince string `json:"next_since"`
	}
	mustJSON(t, body, &export)
	if code != 200 || len(export.Entries) == 0 {
		t.Fatalf("export: %d %s", code, body)
	}
	pid := export.Entries[0].Payment
	code, body = s.call(tokSpecialist, "GET", "/v1/payments/"+pid, "", nil)
	if code != 200 {
		t.Fatalf("payment: %d %s", code, body)
	}
	var p struct{ Version string }
	mustJSON(t, body, &p)
	code, body = s.call(tokSpecialist, "POST", "/v1/payments/"+pid+"/unapply", "application/json",
		strings.NewReader(`{"note":"wrong customer"}`), "If-Match", p.Version)
	if code != 200 {
		t.Fatalf("unapply: %d %s", code, body)
	}
	code, body = s.call(tokViewer, "GET", "/v1/export/allocations?format=csv&since="+export.NextSince, "", nil)
	if code != 200 || !strings.HasPrefix(string(body), "entry,time,kind,payment_id") || !strings.Contains(string(body), pid) {
		t.Errorf("export after unapply: %d %s", code, body)
	}

	// Prometheus reads the service's, the store's and the runtime's metrics
	// without a token.
	code, body = s.call("", "GET", "/metrics", "", nil)
	for _, want := range []string{"cashmatch_statements_total", "cashmatch_exceptions_open",
		"cashmatch_store_write_batches_total", "go_goroutines"} {
		if code != 200 || !strings.Contains(string(body), want) {
			t.Errorf("/metrics: %d, lacks %s", code, want)
		}
	}

	// The request log names people, never tokens.
	s.stop()
	logs := s.logs.String()
	if !strings.Contains(logs, `"user":"Ana Treasury"`) {
		t.Errorf("log does not name the uploader:\n%s", logs)
	}
	if strings.Contains(logs, tokUploader) || strings.Contains(logs, tokSpecialist) {
		t.Errorf("log holds a token")
	}
}

// TestServe_ShutdownFinishesInFlightRequests sends SIGTERM while an upload
// is still arriving and checks that the upload completes before the process
// exits cleanly.
func TestServe_ShutdownFinishesInFlightRequests(t *testing.T) {
	bin := buildBinary(t)
	s := startServer(t, bin)
	file := demoFile(t, "lockbox-2026-11-03.bai2")

	pr, pw := io.Pipe()
	type result struct {
		code int
		body []byte
	}
	res := make(chan result, 1)
	go func() {
		code, body := s.call(tokUploader, "POST", "/v1/statements?name=slow.bai2", "application/octet-stream", pr)
		res <- result{code, body}
	}()
	half := len(file) / 2
	pw.Write(file[:half])
	time.Sleep(200 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-s.done:
		t.Fatalf("serve exited with a request in flight: %v\n%s", err, s.logs)
	default:
	}
	pw.Write(file[half:])
	pw.Close()
	r := <-res
	if r.code != 201 {
		t.Errorf("in-flight upload: %d %s", r.code, r.body)
	}
	select {
	case err := <-s.done:
		s.done <- err
		if err != nil {
			t.Errorf("serve exit: %v\n%s", err, s.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit after its last request")
	}
}

func TestServe_RefusesBadTokensFile(t *testing.T) {
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	os.WriteFile(tokens, []byte("short admin Al\n"), 0o600)
	code, _, errOut := runCmd(t, "serve", "--data", filepath.Join(dir, "data"), "--tokens", tokens)
	if code != 1 || !strings.Contains(errOut, "line 1: token shorter") {
		t.Errorf("bad tokens file: exit %d, stderr %q", code, errOut)
	}
	code, _, _ = runCmd(t, "serve", "--data", filepath.Join(dir, "data"))
	if code != 2 {
		t.Errorf("serve without --tokens: exit %d, want 2", code)
	}
}
