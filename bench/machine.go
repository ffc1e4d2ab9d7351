package bench

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes where a run ran.
type Machine struct {
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	MemoryMB int64  `json:"memory_mb"`
	OS       string `json:"os"`
	Go       string `json:"go"`
	// Load is the 1, 5 and 15 minute load averages when the run started:
	// the machine is shared, and a load above the cores slows every stage.
	Load string `json:"load,omitempty"`
}

func thisMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if name, value, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
				m.CPU = strings.TrimSpace(value)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	if kb := procValue("/proc/meminfo", "MemTotal:"); kb > 0 {
		m.MemoryMB = kb / 1024
	}
	return m
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM),
// or 0 where /proc does not tell.
func peakRSS() int64 { return procValue("/proc/self/status", "VmHWM:") * 1024 }

// resetPeakRSS starts a new peak: Linux resets VmHWM to the current resident
// size when "5" is written to clear_refs. It reports whether it could.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// procValue reads a "Name:   123 kB" line of a /proc file and returns the
// number, 0 when absent.
func procValue(path, name string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, name); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				n, _ := strconv.ParseInt(fields[0], 10, 64)
				return n
			}
		}
	}
	return 0
}
