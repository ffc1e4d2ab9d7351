package camt

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/parsers"
	"github.com/moov-io/iso20022/pkg/camt_v08"
	"github.com/moov-io/iso20022/pkg/document"
)

// writeStatement writes a camt.053.001.08 statement of n booked entries,
// each with one transaction: references, payer, payer account and bank,
// free text and a referred invoice with its amount. Amounts cycle through
// a fixed pattern so the balances add up.
func writeStatement(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var credits, debits int64 // cents
	amount := func(i int) int64 { return int64(1000 + (i*7919)%900000) }
	for i := 0; i < n; i++ {
		if i%5 == 4 {
			debits += amount(i)
		} else {
			credits += amount(i)
		}
	}
	cents := func(c int64) string { return strconv.FormatInt(c/100, 10) + "." + fmt.Sprintf("%02d", c%100) }
	const open = int64(100000000)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>BENCH-%d</MsgId>
      <CreDtTm>2026-03-18T06:00:00+01:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>BENCH-STMT</Id>
      <Acct>
        <Id>
          <IBAN>DE89370400440532013000</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">%s</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-03-16</Dt></Dt>
      </Bal>
      <Bal>
        <Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">%s</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-03-17</Dt></Dt>
      </Bal>
`, n, cents(open), cents(open+credits-debits))
	for i := 0; i < n; i++ {
		dir, party := "CRDT", "Dbtr"
		if i%5 == 4 {
			dir, party = "DBIT", "Cdtr"
		}
		a := cents(amount(i))
		fmt.Fprintf(bw, `      <Ntry>
        <Amt Ccy="EUR">%s</Amt>
        <CdtDbtInd>%s</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-03-17</Dt></BookgDt>
        <ValDt><Dt>2026-03-17</Dt></ValDt>
        <AcctSvcrRef>BANK%010d</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>E2E-%010d</EndToEndId>
            </Refs>
            <Amt Ccy="EUR">%s</Amt>
            <CdtDbtInd>%s</CdtDbtInd>
            <RltdPties>
              <%s><Pty><Nm>Customer %06d GmbH &amp; Co. KG</Nm></Pty></%s>
              <%sAcct><Id><IBAN>DE02120300000000%06d</IBAN></Id></%sAcct>
            </RltdPties>
            <RltdAgts>
              <%sAgt><FinInstnId><BICFI>BYLADEM1001</BICFI></FinInstnId></%sAgt>
            </RltdAgts>
            <RmtInf>
              <Ustrd>Payment for invoice INV-%08d order %d</Ustrd>
              <Strd>
                <RfrdDocInf>
                  <Tp><CdOrPrtry><Cd>CINV</Cd></CdOrPrtry></Tp>
                  <Nb>INV-%08d</Nb>
                </RfrdDocInf>
                <RfrdDocAmt><RmtdAmt Ccy="EUR">%s</RmtdAmt></RfrdDocAmt>
              </Strd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
`, a, dir, i, i, a, dir, party, i%1000000, party, party, i%1000000, party, party, party, i, i*3, i, a)
	}
	bw.WriteString("    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n")
	return bw.Flush()
}

// heapSampler records the peak of the Go heap in use (live and dead
// objects plus the unused part of their spans, what MemStats.HeapInuse
// counts) while it runs; runtime/metrics reads it without stopping the
// world.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func sampleHeap(every time.Duration) *heapSampler {
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if v := heapInuse(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	<-s.done
	return s.peak.Load()
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapInuse returns the bytes of heap spans in use.
func heapInuse() uint64 {
	sample := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	metrics.Read(sample)
	return sample[0].Value.Uint64() + sample[1].Value.Uint64()
}

// peakRSS returns the process's peak resident set (VmHWM) as the kernel
// reports it, or "unknown".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

const benchEntries = 100_000

// BenchmarkRead100k reads one generated camt.053.001.08 statement of 100k
// entries with this reader, with encoding/xml's tokenizer alone, and with
// moov-io/iso20022, entry by entry (its types decoded with encoding/xml per
// Ntry) and as a whole document. It
// reports entries/s, MB/s and the peak Go heap in use while reading, above
// what was in use before. The readers
// stream the file from disk, except moov-document, which reads it whole as
// its API requires.
func BenchmarkRead100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "statement.xml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeStatement(f, benchEntries); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	readers := []struct {
		name string
		read func(string) (int, error)
	}{
		{"camt", readCamt},
		{"encoding-xml-tokens", readTokens},
		{"moov-entries", readMoovEntries},
		{"moov-document", readMoovDocument},
	}
	for _, rd := range readers {
		b.Run(rd.name, func(b *testing.B) {
			b.SetBytes(info.Size())
			b.ReportAllocs()
			var peak uint64
			var cpu time.Duration
			for b.Loop() {
				runtime.GC()
				base := heapInuse()
				s := sampleHeap(2 * time.Millisecond)
				c0 := cpuTime()
				n, err := rd.read(path)
				cpu += cpuTime() - c0
				if p := s.Stop(); p > base && p-base > peak {
					peak = p - base
				}
				if err != nil || n != benchEntries {
					b.Fatalf("read %d entries: %v", n, err)
				}
			}
			b.ReportMetric(float64(benchEntries*b.N)/b.Elapsed().Seconds(), "entries/s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			// CPU time of the process (reader, GC and runtime) is steadier
			// than wall time on a shared machine.
			b.ReportMetric(float64(info.Size()*int64(b.N))/1e6/cpu.Seconds(), "MB/cpu-s")
		})
	}
}

func readCamt(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := NewReader(f, &parsers.Options{Name: "bench.xml"})
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			if len(r.Warnings()) > 0 {
				return n, fmt.Errorf("warnings: %v", r.Warnings())
			}
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// readTokens is the floor of any reader on encoding/xml: it only
// tokenizes, counting Ntry start elements.
func readTokens(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	d := xml.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	n := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Ntry" {
			n++
		}
	}
}

func readMoovEntries(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	d := xml.NewDecoder(bufio.NewReaderSize(f, 64<<10))
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Ntry" {
			var e camt_v08.ReportEntry10
			if err := d.DecodeElement(&e, &se); err != nil {
				return n, err
			}
			n++
		}
	}
}

func readMoovDocument(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	doc, err := document.ParseIso20022Document(data)
	if err != nil {
		return 0, err
	}
	msg, ok := doc.InspectMessage().(*camt_v08.BankToCustomerStatementV08)
	if !ok {
		return 0, fmt.Errorf("unexpected message %T", doc.InspectMessage())
	}
	n := 0
	for _, s := range msg.Stmt {
		n += len(s.Ntry)
	}
	return n, nil
}

// TestRead_1GBStreamsInFlatMemory streams a generated statement of about
// 1 GB through the reader and checks that the Go heap stays under 64 MB.
// It takes a minute or more, so it runs only with CASHMATCH_CAMT_1GB=1:
//
//	CASHMATCH_CAMT_1GB=1 go test -run 1GB -v ./parsers/camt
func TestRead_1GBStreamsInFlatMemory(t *testing.T) {
	if os.Getenv("CASHMATCH_CAMT_1GB") == "" {
		t.Skip("set CASHMATCH_CAMT_1GB=1 to stream a 1 GB statement")
	}
	const entries = 760_000
	pr, pw := io.Pipe()
	var size atomic.Int64
	go func() {
		pw.CloseWithError(writeStatement(countWriter{pw, &size}, entries))
	}()
	runtime.GC()
	s := sampleHeap(5 * time.Millisecond)
	start := time.Now()
	r := NewReader(pr, &parsers.Options{Name: "1gb.xml"})
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	elapsed := time.Since(start)
	peak := s.Stop()
	t.Logf("%d entries, %.0f MB in %v: %.0f entries/s, %.1f MB/s, peak heap in use %.1f MB, "+
		"peak RSS of the test process (generator included) %s, warnings %d",
		n, float64(size.Load())/1e6, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(),
		float64(size.Load())/1e6/elapsed.Seconds(), float64(peak)/(1<<20), peakRSS(), len(r.Warnings()))
	if n != entries || size.Load() < 1e9 {
		t.Errorf("read %d entries of %d bytes, want %d entries of at least 1 GB", n, size.Load(), entries)
	}
	if peak >= 64<<20 {
		t.Errorf("peak heap %d bytes, want under 64 MB", peak)
	}
}

type countWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
