package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGen_WritesASet(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "gen", "--out", out, "--payments", "60", "--invoices", "200",
		"--customers", "20", "--mix", "exact=5,typo=1,return=1")
	if code != 0 {
		t.Fatalf("gen exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "60 payments") {
		t.Errorf("gen printed %q", stdout)
	}
	for _, name := range []string{"invoices.csv", "truth.json", "2026-11-02.bai2"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("gen wrote no %s: %v", name, err)
		}
	}
}

func TestGen_BadMixIsAUsageError(t *testing.T) {
	code, _, stderr := runCmd(t, "gen", "--out", t.TempDir(), "--mix", "exactly=5")
	if code != 2 || !strings.Contains(stderr, "exactly=5") {
		t.Errorf("gen with a bad mix: exit %d, stderr %q", code, stderr)
	}
}

func TestBench_ReportsAGeneratedSet(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCmd(t, "gen", "--out", out, "--payments", "80", "--invoices", "300", "--customers", "30"); code != 0 {
		t.Fatalf("gen exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "bench", "--dir", out, "--no-libraries")
	if code != 0 {
		t.Fatalf("bench exit %d: %s", code, stderr)
	}
	for _, want := range []string{"pipeline", "payments/s", "peak RSS", "automation rate", "ERP rule", "exact"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("bench report lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = runCmd(t, "bench", "--dir", out, "--no-libraries", "--json")
	var r struct {
		Stages  []struct{ Name string } `json:"stages"`
		Quality struct{ Payments int }  `json:"quality"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &r) != nil || len(r.Stages) == 0 || r.Quality.Payments == 0 {
		t.Errorf("bench --json: exit %d, stderr %q, stdout %.200q", code, stderr, stdout)
	}
}
