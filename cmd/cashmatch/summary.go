package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cashmatch/cashmatch/engine"
)

// printSummary prints decision totals as a short table a treasury user reads.
func printSummary(w io.Writer, s engine.Summary, took time.Duration) {
	row := func(label string, value string) { fmt.Fprintf(w, "  %-22s %s\n", label, value) }
	row("payments read", fmt.Sprint(s.Payments))
	row("auto-applied", fmt.Sprintf("%d%s", s.Auto, percent(s.Auto, s.Payments)))
	row("suggested", fmt.Sprint(s.Suggested))
	row("exceptions", fmt.Sprint(s.Exceptions))
	reasons := make([]string, 0, len(s.ByReason))
	for r := range s.ByReason {
		reasons = append(reasons, r)
	}
	slices.Sort(reasons)
	for _, r := range reasons {
		row("  "+r, fmt.Sprint(s.ByReason[r]))
	}
	if s.Skipped > 0 {
		row("skipped (not payments)", fmt.Sprint(s.Skipped))
	}
	for _, c := range s.Currencies() {
		row("applied "+string(c), groupThousands(s.Applied[c].String()))
		row("on account "+string(c), groupThousands(s.OnAccount[c].String()))
		row("unapplied "+string(c), groupThousands(s.Unapplied[c].String()))
	}
	row("time", took.Round(time.Millisecond).String())
}

func percent(n, of int) string {
	if of == 0 {
		return ""
	}
	tenths := (n*1000 + of/2) / of
	return fmt.Sprintf(" (%d.%d%%)", tenths/10, tenths%10)
}

// groupThousands inserts commas between groups of three integer digits of a
// decimal string: "1234567.50" becomes "1,234,567.50".
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return sign + b.String()
}
