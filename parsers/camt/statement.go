package camt

import (
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/shopspring/decimal"
)

// statement is the account report (Stmt, Rpt or Ntfctn) being read, with
// the totals its entries add up to.
type statement struct {
	index, line, col int
	id               string
	account          string
	ccy              engine.Currency
	bals             []balance
	summary          summary

	entries      int // Ntry begun
	transactions int
	reversals    int

	// Totals over every entry, whatever its status.
	counted, credits, debits int
	sum, creditSum, debitSum total
	net                      total
	firstCcy                 engine.Currency
	mixedCcy                 bool
	booked                   map[engine.Currency]*total // signed, booked entries only
}

type balance struct {
	index, line, col int
	code             string
	amount           engine.Amount
	dir              engine.Direction
}

// signed returns the balance with a debit balance negative.
func (b *balance) signed() decimal.Decimal {
	if b.dir == engine.Debit {
		return b.amount.Value.Neg()
	}
	return b.amount.Value
}

func (b *balance) String() string {
	return fmt.Sprintf("%s %s", b.signed().StringFixed(b.amount.Currency.Digits()), b.amount.Currency)
}

func (st *statement) lastBalance() *balance {
	if len(st.bals) == 0 {
		st.bals = append(st.bals, balance{index: 1})
	}
	return &st.bals[len(st.bals)-1]
}

// stated is a number TxsSummry states, with where it stands.
type stated struct {
	value     decimal.Decimal
	present   bool
	path      string
	line, col int
}

func (s *stated) set(text, path string, line, col int) error {
	// DecimalNumber is an xs:decimal of at most 18 digits: no exponent,
	// which decimal.NewFromString would accept (and "1e999999999" would
	// take forever to compare).
	if !isDecimalNumber(text) {
		return fmt.Errorf("%q is not a decimal number", text)
	}
	v, err := decimal.NewFromString(text)
	if err != nil {
		return fmt.Errorf("%q is not a number", text)
	}
	*s = stated{value: v, present: true, path: path, line: line, col: col}
	return nil
}

type summary struct {
	count, sum, net                              stated
	netDebit                                     bool
	creditCount, creditSum, debitCount, debitSum stated
}

func (r *Reader) startStatement() {
	r.reports++
	r.st = statement{index: r.reports, line: r.leafLine, col: r.leafCol,
		booked: map[engine.Currency]*total{}}
	r.stmtDepth = r.sc.depth()
	r.stmtBase = len(r.path) + 1
}

// count adds an entry to the statement's totals.
func (st *statement) count(en *entry) {
	v, f := en.amount.Value, en.units
	st.counted++
	st.transactions += en.txs
	if en.reversal {
		st.reversals++
	}
	st.sum.add(v, f, false)
	debit := en.dir == engine.Debit
	if debit {
		st.debits++
		st.debitSum.add(v, f, false)
	} else {
		st.credits++
		st.creditSum.add(v, f, false)
	}
	st.net.add(v, f, debit)
	switch {
	case st.firstCcy == "":
		st.firstCcy = en.amount.Currency
	case st.firstCcy != en.amount.Currency:
		st.mixedCcy = true
	}
	booked := !en.hasStatus || en.statusCode == "BOOK"
	if booked {
		t := st.booked[en.amount.Currency]
		if t == nil {
			t = &total{}
			st.booked[en.amount.Currency] = t
		}
		t.add(v, f, debit)
	}
}

func (r *Reader) endStatement() error {
	st := &r.st
	r.stmtDepth, r.stmtBase = 0, 0
	where := appendIndexed(nil, r.msg.report, st.index)
	if st.account == "" {
		if err := r.depart(st.line, st.col, string(where), "no account identification (Acct/Id)"); err != nil {
			return err
		}
	}
	if r.msg.format == engine.FormatCamt053 && len(st.bals) == 0 {
		if err := r.depart(st.line, st.col, string(where), "statement has no balance (Bal)"); err != nil {
			return err
		}
	}
	check, err := r.checkBalances(string(where))
	if err != nil {
		return err
	}
	r.reportList = append(r.reportList, Report{
		Path: string(where), ID: st.id, Account: st.account,
		Entries: st.counted, Transactions: st.transactions, Reversals: st.reversals,
		Credits: st.credits, Debits: st.debits, CreditSum: st.creditSum.value(), DebitSum: st.debitSum.value(),
		Balances: check,
	})
	return r.checkSummary()
}

// checkBalances checks that the opening booked balance (OPBD, else the
// previously closed PRCD) plus the booked entries gives the closing booked
// balance (CLBD).
func (r *Reader) checkBalances(where string) (BalanceCheck, error) {
	st := &r.st
	var open, closing *balance
	for i := range st.bals {
		b := &st.bals[i]
		switch b.code {
		case "OPBD":
			if open == nil || open.code != "OPBD" {
				open = b
			}
		case "PRCD":
			if open == nil {
				open = b
			}
		case "CLBD":
			closing = b
		}
	}
	if open == nil || closing == nil {
		return BalancesAbsent, nil
	}
	at := func(b *balance) string { return fmt.Sprintf("%s/Bal[%d]", where, b.index) }
	if open.amount.Currency != closing.amount.Currency {
		return BalancesNotChecked, r.depart(closing.line, closing.col, at(closing), fmt.Sprintf(
			"closing balance (%s) is %s but opening balance (%s) is %s: balances in different currencies",
			closing.code, closing, open.code, open))
	}
	ccy := open.amount.Currency
	for c := range st.booked {
		if c != ccy {
			r.warn(fmt.Sprintf("%s: booked entries in %s on a %s balance: balances not checked", where, c, ccy))
			return BalancesNotChecked, nil
		}
	}
	var moved decimal.Decimal
	if t := st.booked[ccy]; t != nil {
		moved = t.value()
	}
	got := open.signed().Add(moved)
	if got.Equal(closing.signed()) {
		return BalancesAgree, nil
	}
	d := ccy.Digits()
	return BalancesDisagree, r.depart(closing.line, closing.col, at(closing), fmt.Sprintf(
		"closing balance (%s) states %s, but opening balance (%s) %s plus booked entries %s gives %s %s",
		closing.code, closing, open.code, open, moved.StringFixed(d), got.StringFixed(d), ccy))
}

// checkSummary compares TxsSummry with the entries of the statement.
func (r *Reader) checkSummary() error {
	st := &r.st
	s := &st.summary
	net := st.net.value()
	if s.netDebit {
		net = net.Neg()
	}
	checks := []struct {
		f    *stated
		got  decimal.Decimal
		what string
		sum  bool
	}{
		{&s.count, decimal.NewFromInt(int64(st.counted)), "entries", false},
		{&s.sum, st.sum.value(), "all entries", true},
		{&s.net, net, "all entries, net,", true},
		{&s.creditCount, decimal.NewFromInt(int64(st.credits)), "credit entries", false},
		{&s.creditSum, st.creditSum.value(), "credit entries", true},
		{&s.debitCount, decimal.NewFromInt(int64(st.debits)), "debit entries", false},
		{&s.debitSum, st.debitSum.value(), "debit entries", true},
	}
	var mismatches []string
	first := -1
	for i, c := range checks {
		if !c.f.present {
			continue
		}
		if c.sum && st.mixedCcy {
			r.warn(fmt.Sprintf("%s: entries in several currencies: sums not checked", c.f.path))
			continue
		}
		if c.f.value.Equal(c.got) {
			continue
		}
		var m string
		if c.sum {
			got := c.got.String()
			if st.firstCcy != "" {
				got = c.got.StringFixed(st.firstCcy.Digits())
			}
			m = fmt.Sprintf("%s states %s where %s come to %s", c.f.path, c.f.value, c.what, got)
		} else {
			m = fmt.Sprintf("%s states %s where the statement has %s %s", c.f.path, c.f.value, c.got, c.what)
		}
		mismatches = append(mismatches, m)
		if first < 0 {
			first = i
		}
	}
	if first < 0 {
		return nil
	}
	f := checks[first].f
	if r.strict {
		return r.depart(f.line, f.col, f.path, strings.TrimPrefix(mismatches[0], f.path+" "))
	}
	for _, m := range mismatches {
		r.warn(m)
	}
	return nil
}

// isDecimalNumber reports whether s is an optionally signed decimal of at
// most 30 digits with at most one point.
func isDecimalNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0 && digits <= 30
}
