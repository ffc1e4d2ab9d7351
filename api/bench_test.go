package api

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
	"github.com/cashmatch/cashmatch/store"
)

// statementSet is a generated BAI2 statement and the invoices its payments
// pay: most payments name one invoice and pay it exactly, one in five pays
// a different amount, and one in ten names nothing.
type statementSet struct {
	bai2     []byte
	invoices []engine.Invoice
	payments int
}

// genStatement writes a BAI2 file of about size bytes.
func genStatement(size int, seed uint64) statementSet {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b bytes.Buffer
	b.WriteString("01,121000248,CASHMATCH,261103,0800,1,,,2/\n02,CASHMATCH,121000248,1,261103,0800,USD,2/\n")
	b.WriteString("03,9876543210,USD,010,0,,/\n")
	var set statementSet
	for n := 1; b.Len() < size; n++ {
		cents := int64(1000 + rng.IntN(5_000_000))
		id := engine.InvoiceID(fmt.Sprintf("INV-%07d", n))
		cust := engine.CustomerID(fmt.Sprintf("C%05d", n%5000))
		set.invoices = append(set.invoices, engine.Invoice{ID: id, Customer: cust,
			CustomerName: "Customer " + string(cust), Amount: engine.FromMinor(cents, "USD"),
			Open: engine.FromMinor(cents, "USD"), IssueDate: engine.Date{Year: 2026, Month: 10, Day: 1},
			DueDate: engine.Date{Year: 2026, Month: 10, Day: 31}})
		paid := cents
		if n%5 == 0 {
			paid -= int64(rng.IntN(900) + 100)
		}
		fmt.Fprintf(&b, "16,165,%d,0,%09d,,PAYMENT CUSTOMER %s/\n", paid, n, cust)
		if n%10 != 0 {
			fmt.Fprintf(&b, "88,INV %s/\n", id)
		}
		set.payments++
	}
	b.WriteString("49,0,0/\n98,0,1,0/\n99,0,1,0/\n")
	set.bai2 = b.Bytes()
	return set
}

// freshStore opens a store in a new folder holding the set's invoices.
func freshStore(b *testing.B, set statementSet) *store.Store {
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
	set := genStatement(10<<20, 1)
	path := filepath.Join(b.TempDir(), "big.bai2")
	if err := os.WriteFile(path, set.bai2, 0o600); err != nil {
		b.Fatal(err)
	}

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
			if err != nil || out.Summary.Payments != set.payments {
				b.Fatalf("ingest: %v, %d payments of %d", err, out.Summary.Payments, set.payments)
			}
			b.StopTimer()
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(set.payments)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
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
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Fatalf("upload: %d", resp.StatusCode)
			}
			b.StopTimer()
			ts.Close()
			st.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(set.payments)*float64(b.N)/b.Elapsed().Seconds(), "payments/s")
	})
}

func TestGenStatement_IngestsAsPlanned(t *testing.T) {
	t.Parallel()
	set := genStatement(20<<10, 2)
	h := newHarness(t, nil)
	if err := h.store.PutInvoices(context.Background(), engine.DefaultEntity, set.invoices); err != nil {
		t.Fatal(err)
	}
	w := h.do(request{role: Uploader, method: "POST", path: "/v1/statements", body: set.bai2})
	wantStatus(t, w, http.StatusCreated)
	var st statementResp
	decode(t, w, &st)
	if st.Summary.Payments != set.payments || st.Summary.Auto == 0 || st.Summary.Exceptions+st.Summary.Suggested == 0 {
		t.Errorf("generated statement: %d payments planned, summary %+v", set.payments, st.Summary)
	}
}
