package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the repository root, where the commands look for bundled data.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

// runCmd runs the binary's entry point with args, from the repository root
// so that bundled data is found, and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Chdir(repoRoot)
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDemo_RunsOnBundledData(t *testing.T) {
	code, out, errOut := runCmd(t, "demo")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	for _, want := range []string{"payments read", "auto-applied", "exceptions", "applied USD", "unapplied USD", "time"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo summary lacks %q:\n%s", want, out)
		}
	}
}

// demoBank lists one bank file of each format in the demo data.
var demoBank = []string{
	filepath.Join("testdata", "demo", "2026-11-02.ach"),
	filepath.Join("testdata", "demo", "2026-11-02.bai2"),
	filepath.Join("testdata", "demo", "2026-11-02.camt053.xml"),
}

func TestMatch_OneLinePerPayment(t *testing.T) {
	_, parsed, _ := runCmd(t, append([]string{"parse"}, demoBank...)...)
	code, out, errOut := runCmd(t, append([]string{"match", "--invoices", filepath.Join("testdata", "demo", "invoices.csv")},
		demoBank...)...)
	if code != 0 {
		t.Fatalf("match exit %d: %s", code, errOut)
	}
	payments := strings.Count(parsed, "\n")
	if payments == 0 {
		t.Fatal("parse printed no payments")
	}
	var lines, auto int
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		lines++
		var l struct {
			Payment     string `json:"payment"`
			Decision    string `json:"decision"`
			Allocations []struct {
				Invoice string `json:"invoice_id"`
				Amount  string `json:"amount"`
			} `json:"allocations"`
			Reasons []string `json:"reasons"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d is not JSON: %v", lines, err)
		}
		if l.Payment == "" || l.Decision == "" || len(l.Reasons) == 0 {
			t.Errorf("line %d lacks payment, decision or reasons: %s", lines, sc.Text())
		}
		if l.Decision == "auto" {
			auto++
			if len(l.Allocations) == 0 {
				t.Errorf("line %d is auto without allocations", lines)
			}
		}
	}
	if lines != payments {
		t.Errorf("match printed %d lines for %d payments", lines, payments)
	}
	if auto == 0 {
		t.Error("no payment of the demo was applied automatically")
	}
}

func TestCommands_HelpAndUnbuilt(t *testing.T) {
	for _, c := range commands {
		code, out, errOut := runCmd(t, c.name, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: cashmatch "+c.name) {
			t.Errorf("%s --help: exit %d, stderr %q", c.name, code, errOut)
		}
		if out != "" {
			t.Errorf("%s --help wrote to stdout: %q", c.name, out)
		}
		if strings.Contains(errOut, "not in this release") {
			code, out, errOut := runCmd(t, c.name)
			if code != 2 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("unbuilt %s: exit %d, stdout %q, stderr %q; want exit 2 and one line", c.name, code, out, errOut)
			}
		}
	}
	code, out, errOut := runCmd(t, "nosuch")
	if code != 2 || out != "" || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

func TestParse_UnreadableFileNamesIt(t *testing.T) {
	code, _, errOut := runCmd(t, "parse", filepath.Join("testdata", "demo", "invoices.csv"))
	if code != 1 || !strings.Contains(errOut, "invoices.csv") {
		t.Errorf("parse of a CSV: exit %d, stderr %q", code, errOut)
	}
}
