package bai2

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

var errOverflow = errors.New("amounts add up to more than 18 digits")

// tally adds up the records of an account, a group or a file in the ways
// banks compute control totals. Amounts are in minor units.
type tally struct {
	records  int64 // records, 88 continuations included
	conts    int64 // 88 continuation records
	total    int64 // every 03 and 16 amount: the BAI2 control total
	status   int64 // 03 amounts of status (balance) type codes
	details  int64 // 16 amounts
	net      int64 // 16 credits minus 16 debits
	stated   int64 // what the trailers of the accounts (of a group) or groups (of a file) state
	children int64 // accounts of a group, groups of a file
	unsure   bool  // a trailer inside matches its records in no known way
}

func (t *tally) addSummary(v int64, status bool) error {
	ok := addChecked(&t.total, v)
	if status {
		ok = ok && addChecked(&t.status, v)
	}
	if !ok {
		return errOverflow
	}
	return nil
}

func (t *tally) addDetail(v int64, class Class) error {
	ok := addChecked(&t.total, v) && addChecked(&t.details, v)
	switch {
	case class.Credit():
		ok = ok && addChecked(&t.net, v)
	case class.Debit():
		ok = ok && addChecked(&t.net, -v)
	}
	if !ok {
		return errOverflow
	}
	return nil
}

// merge adds the tally c of a closed account (or group), whose trailer
// stated the control total stated, to t.
func (t *tally) merge(c *tally, stated int64) error {
	t.records += c.records
	t.conts += c.conts
	t.children++
	if !addChecked(&t.total, c.total) || !addChecked(&t.status, c.status) ||
		!addChecked(&t.details, c.details) || !addChecked(&t.net, c.net) || !addChecked(&t.stated, stated) {
		return errOverflow
	}
	return nil
}

// totalConventions are the ways real banks compute control totals other
// than the BAI2 rule (the sum of every 03 and 16 amount).
var totalConventions = []struct {
	name string
	of   func(t *tally) (int64, bool)
}{
	{"the sum of the 16 detail amounts without the 03 amounts",
		func(t *tally) (int64, bool) { return t.details, true }},
	{"the 16 credits minus the 16 debits, without the 03 amounts",
		func(t *tally) (int64, bool) { return t.net, true }},
	{"the sum without the 03 status (balance) amounts",
		func(t *tally) (int64, bool) { return sub(t.total, t.status) }},
	{"the 03 amounts plus the 16 credits minus the 16 debits",
		func(t *tally) (int64, bool) {
			v, ok := sub(t.total, t.details)
			if !ok || !addChecked(&v, t.net) {
				return 0, false
			}
			return v, true
		}},
}

// sub returns a-b, and false when it overflows.
func sub(a, b int64) (int64, bool) {
	if b == math.MinInt64 {
		return 0, false
	}
	ok := addChecked(&a, -b)
	return a, ok
}

// trailer is what a 49, 98 or 99 record states about the records it
// closes.
type trailer struct {
	level        int // codeAccountEnd, codeGroupEnd or codeFileEnd
	line         int
	label        string // "account 123", "group", "file"
	total        int64
	totalKnown   bool
	count        int64
	countKnown   bool
	children     int64 // accounts (98) or groups (99)
	childrenName string
}

// reconcile compares a trailer with the records it closes (t). A figure
// that follows a known bank convention is tolerated; one that matches
// nothing is refused in strict reading and, in lenient reading, judged with
// the group and file trailers (see judge).
func (r *Reader) reconcile(tr trailer, t *tally) error {
	record := codeName(tr.level)
	var conventions, issues []string
	loss, amount := false, false
	switch name := totalConvention(t, tr); {
	case !tr.totalKnown:
		conventions = append(conventions, "control total is blank; it was not checked")
	case name == "":
	case name != "?":
		conventions = append(conventions, fmt.Sprintf("control total %d is %s, not the BAI2 sum of all amounts (%d)",
			tr.total, name, t.total))
	default:
		amount = true
		issues = append(issues, fmt.Sprintf("control total %d does not match the records, whose amounts sum to %d",
			tr.total, t.total))
	}
	switch {
	case !tr.countKnown:
		conventions = append(conventions, "record count is missing; it was not checked")
	case tr.count == t.records:
	case tr.count == t.records-t.conts:
		conventions = append(conventions, fmt.Sprintf("record count %d leaves out the %d continuation (88) records",
			tr.count, t.conts))
	default:
		loss = tr.count > t.records
		issues = append(issues, fmt.Sprintf("record count %d, but %d records are present", tr.count, t.records))
	}
	if tr.level != codeAccountEnd && tr.children != t.children {
		loss = loss || tr.children > t.children
		issues = append(issues, fmt.Sprintf("number of %s %d, but %d are present",
			tr.childrenName, tr.children, t.children))
	}
	for _, c := range conventions {
		if err := r.tolerate(nil, tr.line, record, "", "%s: %s", tr.label, c); err != nil {
			return err
		}
	}
	if len(issues) == 0 {
		return nil
	}
	p := problem{line: tr.line, record: record, msg: tr.label + ": " + strings.Join(issues, "; ")}
	if r.strict {
		return r.errAt(p.line, p.record, "%s", p.msg)
	}
	return r.judge(tr, p, loss, amount && len(issues) == 1)
}

// totalConvention returns "" when the stated total follows the BAI2 rule,
// the name of the bank convention it follows, or "?" when it follows none.
func totalConvention(t *tally, tr trailer) string {
	if !tr.totalKnown || tr.total == t.total {
		return ""
	}
	if tr.level != codeAccountEnd && tr.total == t.stated && !t.unsure {
		return "" // the sum of the inner trailers, which were accepted
	}
	for _, c := range totalConventions {
		if v, ok := c.of(t); ok && v == tr.total {
			return c.name
		}
	}
	return "?"
}

// problem is a trailer that matches its records in no known way, kept until
// the group and file trailers tell whether records were lost.
type problem struct {
	line   int
	record string
	msg    string
}

// judge decides, in lenient reading, on a trailer that matches its records
// in no known way. An account trailer waits for its group's trailer. A group
// or file trailer refuses the file when it counts more records, accounts or
// groups than are present (records were lost), or when its counts match but
// its total does not (an amount changed). Otherwise the trailers were not
// computed from these records: the file is accepted and every mismatch is
// reported as a warning.
func (r *Reader) judge(tr trailer, p problem, loss, amountOnly bool) error {
	if tr.level == codeAccountEnd {
		r.pending = append(r.pending, p)
		r.group.unsure = true
		return nil
	}
	first := r.groupPending
	if tr.level == codeFileEnd {
		first = 0
	}
	if loss || amountOnly {
		why := "records were lost"
		if !loss {
			why = "an amount was changed"
		}
		if first < len(r.pending) {
			q := r.pending[first]
			return r.errAt(q.line, q.record, "%s; the %s trailer on line %d shows that %s: %s",
				q.msg, codeName(tr.level), tr.line, why, strings.TrimPrefix(p.msg, tr.label+": "))
		}
		return r.errAt(p.line, p.record, "%s (%s)", p.msg, why)
	}
	r.pending = append(r.pending, p)
	if tr.level == codeGroupEnd {
		r.file.unsure = true
	}
	return nil
}

// flushPending turns the trailer mismatches that no later trailer showed to
// be losses into warnings, once the file trailer is read.
func (r *Reader) flushPending() {
	for _, q := range r.pending {
		r.warnings = append(r.warnings, fmt.Sprintf("line %d: %s (the trailers do not reconcile with the records, "+
			"but none shows records missing; the file's completeness could not be verified)", q.line, q.msg))
	}
	r.pending = nil
}

// trailerFields reads the control total and the counts of a trailer.
func (r *Reader) trailerFields(tr *trailer, counts int) error {
	f := newFields(&r.rec)
	record := codeName(tr.level)
	b, _ := f.next()
	if len(b) > 0 {
		v, ok := parseSigned(b)
		if !ok {
			return r.errAt(tr.line, record, "%s: control total %q is not a whole number of minor units",
				tr.label, b)
		}
		tr.total, tr.totalKnown = v, true
	}
	for i := range counts {
		b, _ := f.next()
		v, ok := parseUint(b)
		if !ok && len(b) > 0 {
			return r.errAt(tr.line, record, "%s: count %q is not a number", tr.label, b)
		}
		switch {
		case i == counts-1:
			tr.count, tr.countKnown = v, ok
		case !ok:
			return r.errAt(tr.line, record, "%s: number of %s is missing", tr.label, tr.childrenName)
		default:
			tr.children = v
		}
	}
	return r.extraFields(&f, record)
}

// accountTrailer reads a 49 record: control total and record count.
func (r *Reader) accountTrailer() error {
	r.acct.records += 1 + r.rec.continuations()
	r.acct.conts += r.rec.continuations()
	r.expect = expectAccount
	if err := r.bareParts(nil); err != nil {
		return err
	}
	tr := trailer{level: codeAccountEnd, line: r.rec.line, label: r.accountLabel()}
	if err := r.trailerFields(&tr, 1); err != nil {
		return err
	}
	if err := r.reconcile(tr, &r.acct); err != nil {
		return err
	}
	return r.close(&r.group, &r.acct, tr)
}

// groupTrailer reads a 98 record: control total, accounts and records.
func (r *Reader) groupTrailer() error {
	r.group.records += 1 + r.rec.continuations()
	r.group.conts += r.rec.continuations()
	r.expect = expectGroup
	if err := r.bareParts(nil); err != nil {
		return err
	}
	tr := trailer{level: codeGroupEnd, line: r.rec.line, childrenName: "accounts",
		label: fmt.Sprintf("group of line %d", r.grp.line)}
	if err := r.trailerFields(&tr, 2); err != nil {
		return err
	}
	if err := r.reconcile(tr, &r.group); err != nil {
		return err
	}
	return r.close(&r.file, &r.group, tr)
}

// fileTrailer reads a 99 record: control total, groups and records.
func (r *Reader) fileTrailer() error {
	r.file.records += 1 + r.rec.continuations()
	r.file.conts += r.rec.continuations()
	r.expect = expectEnd
	if err := r.bareParts(nil); err != nil {
		return err
	}
	tr := trailer{level: codeFileEnd, line: r.rec.line, label: "file", childrenName: "groups"}
	if err := r.trailerFields(&tr, 2); err != nil {
		return err
	}
	if err := r.reconcile(tr, &r.file); err != nil {
		return err
	}
	r.flushPending()
	return nil
}

// close merges the tally of a closed account or group into its parent.
func (r *Reader) close(parent, child *tally, tr trailer) error {
	stated := child.total
	if tr.totalKnown {
		stated = tr.total
	}
	if err := parent.merge(child, stated); err != nil {
		return r.errAt(tr.line, codeName(tr.level), "%s: %v", tr.label, err)
	}
	return nil
}
