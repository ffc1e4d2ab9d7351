package bench

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteText prints the report as the tables a person reads: the set and the
// machine, throughput by stage, memory, quality against the truth beside the
// ERP rule, exceptions by reason, results by kind, and the readers.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }

	fmt.Fprintf(w, "cashmatch bench: %s\n", r.Dir)
	fmt.Fprintf(w, "machine: %s, %d cores, %d MB, %s, %s, load average %s at start\n", r.Machine.CPU,
		r.Machine.Cores, r.Machine.MemoryMB, r.Machine.OS, r.Machine.Go, r.Machine.Load)
	fmt.Fprintf(w, "set: seed %d, %s customers, %s open items, %s payments; %d files ingested (%s MB)\n\n",
		r.Set.Seed, grouped(int64(r.Set.Customers)), grouped(int64(r.Set.Invoices)),
		grouped(int64(r.Set.Payments)), r.Files, Megabytes(r.Bytes))

	row("stage", "seconds", "payments/s", "MB/s")
	for _, s := range r.Stages {
		rate := ""
		switch {
		case s.Payments > 0:
			rate = grouped(perSecond(int64(s.Payments), s.Nanos))
		case s.Items > 0:
			rate = grouped(perSecond(int64(s.Items), s.Nanos)) + " invoices/s"
		}
		mbs := ""
		if s.Bytes > 0 {
			mbs = Megabytes(perSecond(s.Bytes, s.Nanos))
		}
		row(s.Name, seconds(s.Nanos), rate, mbs)
	}
	row("peak RSS", Megabytes(r.PeakRSS)+" MB", "", "")
	tw.Flush()
	fmt.Fprintf(w, "\npayments read %s; not in the truth %d; truth not read %d\n",
		grouped(int64(r.Payments)), r.Unjoined, r.Missing)
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped %s (%d payments): %s\n", s.Name, s.Payments, s.Reason)
	}
	fmt.Fprintln(w)
	r.writeQuality(w)
	fmt.Fprintln(w)
	r.writeReaders(w)
	return nil
}

func (r *Report) writeQuality(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	q, b := r.Quality, r.Baseline
	row("quality", "engine", "ERP rule")
	row("payments scored", grouped(int64(q.Payments)), grouped(int64(b.Payments)))
	row("automation rate", percent(q.AutomationRate()), percent(b.AutomationRate()))
	row("precision of auto", percent(q.Precision()), percent(b.Precision()))
	row("applied correctly (of should apply)", percent(q.Recall()), percent(b.Recall()))
	row("false auto-applications", grouped(int64(q.FalseAuto)), grouped(int64(b.FalseAuto)))
	row("suggested", grouped(int64(q.Suggested)), grouped(int64(b.Suggested)))
	row("exceptions", grouped(int64(q.Exceptions)), grouped(int64(b.Exceptions)))
	row("skipped (not a payment)", grouped(int64(q.Skipped)), grouped(int64(b.Skipped)))
	row("exceptions with the right reason", grouped(int64(q.ExceptionRight)), grouped(int64(b.ExceptionRight)))
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row = func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	row("exception reason", "engine", "truth")
	var reasons []string
	for name := range q.ByReason {
		reasons = append(reasons, name)
	}
	slices.Sort(reasons)
	for _, name := range reasons {
		c := q.ByReason[name]
		row(name, grouped(int64(c.Decided)), grouped(int64(c.Truth)))
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row = func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	row("kind", "payments", "auto", "correct", "false auto", "suggested", "exception", "right reason", "ERP auto", "ERP correct")
	for _, name := range kindOrder(q.ByKind) {
		k := q.ByKind[name]
		e := b.ByKind[name]
		if e == nil {
			e = &KindQuality{}
		}
		row(name, grouped(int64(k.Payments)), grouped(int64(k.Auto)), grouped(int64(k.AutoCorrect)),
			grouped(int64(k.FalseAuto)), grouped(int64(k.Suggested)), grouped(int64(k.Exceptions)),
			grouped(int64(k.ExceptionRight)), grouped(int64(e.Auto)), grouped(int64(e.AutoCorrect)))
	}
	tw.Flush()
}

func (r *Report) writeReaders(w io.Writer) {
	if len(r.Readers) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t") }
	row("reader", "format", "files", "MB", "seconds", "payments/s", "MB/s", "vs library")
	lib := map[string]ReaderTiming{}
	for _, t := range r.Readers {
		if t.Reader != "cashmatch" {
			lib[string(t.Format)] = t
		}
	}
	for _, t := range r.Readers {
		if t.Files == 0 {
			row(t.Reader, string(t.Format), "0", "", "", "", "", "")
			continue
		}
		ratio := ""
		if l, ok := lib[string(t.Format)]; ok && t.Reader == "cashmatch" && l.Nanos > 0 && t.Nanos > 0 {
			ratio = tenths(l.Nanos*10/t.Nanos) + "x"
		}
		row(t.Reader, string(t.Format), strconv.Itoa(t.Files), Megabytes(t.Bytes), seconds(t.Nanos),
			grouped(perSecond(int64(t.Payments), t.Nanos)), Megabytes(perSecond(t.Bytes, t.Nanos)), ratio)
	}
	tw.Flush()
	for _, t := range r.Readers {
		if t.Err != "" {
			fmt.Fprintf(w, "%s on %s: %s\n", t.Reader, t.Format, t.Err)
		}
	}
}

// perSecond returns n per second over nanos nanoseconds.
func perSecond(n, nanos int64) int64 {
	if nanos <= 0 {
		return 0
	}
	return int64((uint64(n)*1_000_000_000 + uint64(nanos)/2) / uint64(nanos))
}

// seconds formats nanoseconds as seconds with two decimals.
func seconds(nanos int64) string {
	cs := (nanos + 5_000_000) / 10_000_000
	return fmt.Sprintf("%d.%02d", cs/100, cs%100)
}

// percent formats thousandths as a percentage with one decimal.
func percent(perMille int) string { return fmt.Sprintf("%d.%d%%", perMille/10, perMille%10) }

// tenths formats n tenths with one decimal.
func tenths(n int64) string { return fmt.Sprintf("%d.%d", n/10, n%10) }

// grouped writes n with thousands separators.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
