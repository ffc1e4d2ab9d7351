package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/cashmatch/cashmatch/bench"
	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/parsers/invoices"
	"github.com/cashmatch/cashmatch/store"
)

// uploadSet is a generated bank statement of about 10 MB and the open
// items of the world it was generated from.
type uploadSet struct {
	bai2     []byte
	invoices []engine.Invoice
}

// genUploadSet generates one statement day with the project's generator,
// sized so that its BAI2 file is about 10 MB, and reads it and the open
// items back.
func genUploadSet(b *testing.B) uploadSet {
	b.Helper()
	dir := b.TempDir()
	cfg := bench.GenConfig{Seed: 1, Customers: 10_000, Invoices: 300_000, Payments: 250_000,
		PaymentsPerDay: 250_000, Out: dir}
	if _, err := bench.Generate(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	var set uploadSet
	files, _ := filepath.Glob(filepath.Join(dir, "*.bai2"))
	if len(files) != 1 {
		b.Fatalf("generated %d BAI2 files, want 1", len(files))
	}
	var err error
	if set.bai2, err = os.ReadFile(files[0]); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "invoices.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if set.invoices, err = invoices.Read(f); err != nil {
		b.Fatal(err)
	}
	return set
}

// freshStore opens a store in a new folder holding the set's invoices.
func freshStore(b *testing.B, set uploadSet) *store.Store {
	b.Helper()
	st, err := store.Open(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.PutInvoices(context.Background(), engine.DefaultEntity, set.invoices); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkUpload10MB ingests a 10 MB BAI2 statement into a store holding
// its invoices, once by calling the engine directly on the file and once by
// uploading it to the API over loopback, so that the cost of the HTTP path
// shows as the difference.
func BenchmarkUpload10MB(b *testing.B) {
	set := genUploadSet(b)
	path := filepath.Join(b.TempDir(), "big.bai2")
	if err := os.WriteFile(path, set.bai2, 0o600); err != nil {
		b.Fatal(err)
	}

	var payments int // in the statement, as the engine counts them
	b.Run("engine", func(b *testing.B) {
		b.SetBytes(int64(len(set.bai2)))
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			st := freshStore(b, set)
			b.StartTimer()
			f, err := bankfile.Open(path, &parsers.Options{})
			if err != nil {
				b.Fatal(err)
			}
			out, err := engine.Ingest(context.Background(), st, engine.DefaultEntity, f, nil)
			f.Close()
			if err != nil || out.Summary.Payments == 0 {
				b.Fatalf("ingest: %v, %+v", err, out.Summary)
			}
			payments = out.Summary.Payments
			b.StopTimer()
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(payments)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
	})

	b.Run("http", func(b *testing.B) {
		b.SetBytes(int64(len(set.bai2)))
		b.ReportAllocs()
		tokens, _ := ParseTokens(bytes.NewReader([]byte(testTokensFile())))
		for b.Loop() {
			b.StopTimer()
			st := freshStore(b, set)
			srv, err := New(Options{Store: st, Tokens: tokens, TempDir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			b.StartTimer()
			req, _ := http.NewRequest("POST", ts.URL+"/v1/statements?name=big.bai2", bytes.NewReader(set.bai2))
			req.Header.Set("Authorization", "Bearer "+testTokens[Uploader])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var answer statementResp
			err = json.NewDecoder(resp.Body).Decode(&answer)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusCreated {
				b.Fatalf("upload: %d %v", resp.StatusCode, err)
			}
			payments = answer.Summary.Payments
			b.StopTimer()
			ts.Close()
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(payments)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
	})
}
