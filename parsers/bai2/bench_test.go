package bai2

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"testing"

	"github.com/cashmatch/cashmatch/parsers"
	moov "github.com/moov-io/bai2/pkg/lib"
)

// benchSize is the size of the generated file the readers are compared on.
const benchSize = 100 << 20

var bench struct {
	once    sync.Once
	file    []byte
	details int
}

func benchFile() ([]byte, int) {
	bench.once.Do(func() { bench.file, bench.details = generate(benchSize, 20, 500) })
	return bench.file, bench.details
}

// BenchmarkRead reads the same generated 100 MB file with this reader, with
// github.com/moov-io/bai2 and with a bare scan that only finds the 16
// records and adds up their amounts (a floor for any reader), in one run. It
// reports MB/s, MB per second of CPU time (steadier than wall time on a
// shared machine; with -cpu 1 it is the speed on one core, garbage
// collection included) and allocations per detail.
//
//	go test -run '^$' -bench Read -benchtime 5x -cpu 1 ./parsers/bai2
func BenchmarkRead(b *testing.B) {
	file, details := benchFile()
	b.Run("bare-scan", func(b *testing.B) {
		measure(b, file, details, func() int { return bareScan(file) })
	})
	b.Run("cashmatch", func(b *testing.B) {
		measure(b, file, details, func() int {
			r := NewReader(bytes.NewReader(file), &parsers.Options{Name: "bench.bai2"})
			n := 0
			for {
				_, err := r.Next()
				if err == io.EOF {
					return n
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		})
	})
	b.Run("moov-io-bai2", func(b *testing.B) {
		measure(b, file, details, func() int {
			f := moov.NewBai2()
			scan := moov.NewBai2Scanner(bytes.NewReader(file))
			if err := f.Read(&scan); err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, g := range f.Groups {
				for _, a := range g.Accounts {
					n += len(a.Details)
				}
			}
			return n
		})
	})
}

// measure runs read (which returns the details it read) b.N times and
// reports throughput and allocations per detail.
func measure(b *testing.B, file []byte, details int, read func() int) {
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	runs := 0
	for b.Loop() {
		if n := read(); n != details {
			b.Fatalf("read %d details, want %d", n, details)
		}
		runs++
	}
	cpu = cpuTime() - cpu
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(runs*details), "allocs/detail")
	if cpu > 0 {
		b.ReportMetric(float64(runs*len(file))/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

// bareScan finds the 16 records of file and adds up their amounts: the
// least work any reader does. It returns the number of 16 records.
func bareScan(file []byte) int {
	n := 0
	var sum int64
	for len(file) > 0 {
		i := bytes.IndexByte(file, '\n')
		if i < 0 {
			i = len(file) - 1
		}
		line := file[:i]
		file = file[i+1:]
		if len(line) > 7 && line[0] == '1' && line[1] == '6' && line[2] == ',' {
			var v int64
			for _, c := range line[7:] {
				if c == ',' {
					break
				}
				v = v*10 + int64(c-'0')
			}
			sum += v
			n++
		}
	}
	if sum < 0 {
		return -1
	}
	return n
}
