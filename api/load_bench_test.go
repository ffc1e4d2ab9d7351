package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// genQueue writes a BAI2 statement of n payments from payers nobody knows,
// without remittance and of amounts no invoice has: each becomes an
// exception. The one invoice it returns lets the store hold a customer.
func genQueue(n int, seed uint64) ([]byte, []engine.Invoice) {
	rng := rand.New(rand.NewPCG(seed, 2))
	var b bytes.Buffer
	b.WriteString("01,121000248,CASHMATCH,261103,0800,1,,,2/\n02,CASHMATCH,121000248,1,261103,0800,USD,2/\n")
	b.WriteString("03,9876543210,USD,010,0,,/\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "16,165,%d,0,%09d,,WIRE FROM STRANGER %d/\n", 100+rng.IntN(10_000_000), i, rng.IntN(1_000_000))
	}
	b.WriteString("49,0,0/\n98,0,1,0/\n99,0,1,0/\n")
	inv := engine.Invoice{ID: "INV-LOAD-1", Customer: "C-LOAD", CustomerName: "Load Customer",
		Amount: engine.FromMinor(1, "USD"), Open: engine.FromMinor(1, "USD"),
		IssueDate: engine.Date{Year: 2026, Month: 10, Day: 1}, DueDate: engine.Date{Year: 2026, Month: 10, Day: 31}}
	return b.Bytes(), []engine.Invoice{inv}
}

// loadClient is one specialist of the load benchmark: it lists a page of the
// queue, opens an exception of it and resolves it, again and again.
type loadClient struct {
	base, token string
	http        *http.Client
	list, get   []time.Duration
	resolve     []time.Duration
	conflicts   int
	errs        []string
}

func (c *loadClient) call(method, path string, body []byte, hdr http.Header) (int, []byte, time.Duration) {
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.token)
	for k, v := range hdr {
		req.Header[k] = v
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.errs = append(c.errs, err.Error())
		return 0, nil, time.Since(start)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, b, time.Since(start)
}

// run works the queue for rounds rounds. Each client reads its own slice of
// the queue by amount, as a team splits work, so that conflicts stay rare
// but possible.
func (c *loadClient) run(rounds, id int) {
	lo, hi := id*5000, (id+1)*5000
	for range rounds {
		code, body, took := c.call("GET", fmt.Sprintf("/v1/exceptions?limit=50&sort=amount&min_amount=%d&max_amount=%d", lo, hi), nil, nil)
		c.list = append(c.list, took)
		var page struct {
			Exceptions []struct{ ID, Version string } `json:"exceptions"`
		}
		if code != http.StatusOK || json.Unmarshal(body, &page) != nil {
			c.errs = append(c.errs, fmt.Sprintf("list: %d %s", code, body))
			return
		}
		if len(page.Exceptions) == 0 {
			return
		}
		x := page.Exceptions[0]
		code, _, took = c.call("GET", "/v1/exceptions/"+x.ID, nil, nil)
		c.get = append(c.get, took)
		if code != http.StatusOK {
			c.errs = append(c.errs, fmt.Sprintf("get: %d", code))
		}
		code, body, took = c.call("POST", "/v1/exceptions/"+x.ID+"/resolve",
			[]byte(`{"not_receivable":true,"note":"load test"}`),
			http.Header{"If-Match": {`"` + x.Version + `"`}, "Content-Type": {"application/json"}})
		c.resolve = append(c.resolve, took)
		switch code {
		case http.StatusOK:
		case http.StatusConflict:
			c.conflicts++
		default:
			c.errs = append(c.errs, fmt.Sprintf("resolve: %d %s", code, body))
		}
	}
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// BenchmarkQueue20Clients has 20 specialists work a queue of 20,000
// exceptions at once over loopback HTTP: each lists a page, opens an
// exception and resolves it, 25 times per iteration. It reports the p50 and
// p99 latency of each kind of request.
func BenchmarkQueue20Clients(b *testing.B) {
	const clients, rounds, queue = 20, 25, 20000
	bai2, invs := genQueue(queue, 3)
	st, err := store.Open(b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.PutInvoices(ctx, engine.DefaultEntity, invs); err != nil {
		b.Fatal(err)
	}
	tokens, _ := ParseTokens(bytes.NewReader([]byte(testTokensFile())))
	srv, err := New(Options{Store: st, Tokens: tokens, TempDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	up := &loadClient{base: ts.URL, token: testTokens[Uploader], http: hc}
	if code, body, _ := up.call("POST", "/v1/statements?name=queue.bai2", bai2, nil); code != http.StatusCreated {
		b.Fatalf("upload: %d %s", code, body)
	}

	var all []*loadClient
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range clients {
			c := &loadClient{base: ts.URL, token: testTokens[Specialist], http: hc}
			all = append(all, c)
			wg.Go(func() { c.run(rounds, i) })
		}
		wg.Wait()
	}
	b.StopTimer()

	var list, get, resolve []time.Duration
	conflicts := 0
	for _, c := range all {
		if len(c.errs) > 0 {
			b.Fatalf("client errors: %v", c.errs[:min(3, len(c.errs))])
		}
		list, get, resolve = append(list, c.list...), append(get, c.get...), append(resolve, c.resolve...)
		conflicts += c.conflicts
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(percentile(list, 50)), "list-p50-ms")
	b.ReportMetric(ms(percentile(list, 99)), "list-p99-ms")
	b.ReportMetric(ms(percentile(get, 99)), "get-p99-ms")
	b.ReportMetric(ms(percentile(resolve, 50)), "resolve-p50-ms")
	b.ReportMetric(ms(percentile(resolve, 99)), "resolve-p99-ms")
	b.ReportMetric(float64(len(list)+len(get)+len(resolve))/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(float64(conflicts), "conflicts")
}
