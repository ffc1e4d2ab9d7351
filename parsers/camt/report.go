package camt

import "github.com/shopspring/decimal"

// Report describes one account report of the file (a Stmt, Rpt or Ntfctn)
// as read: what it identifies, how many entries it holds and what its
// checks found.
type Report struct {
	// Path names the report: "Stmt[1]", "Rpt[2]".
	Path    string
	ID      string
	Account string
	// Entries counts Ntry, Transactions the TxDtls among them, Reversals
	// the entries with RvslInd.
	Entries, Transactions, Reversals int
	// Credits and Debits count the entries of each direction, whatever
	// their status; CreditSum and DebitSum add their amounts (in whatever
	// currencies the entries are).
	Credits, Debits     int
	CreditSum, DebitSum decimal.Decimal
	Balances            BalanceCheck
}

// BalanceCheck is the outcome of checking opening balance plus booked
// entries against the closing balance.
type BalanceCheck uint8

// Outcomes of the balance check.
const (
	// BalancesAbsent: the report has no opening or no closing booked
	// balance, so nothing was checked.
	BalancesAbsent BalanceCheck = iota
	BalancesAgree
	BalancesDisagree
	// BalancesNotChecked: balances or entries are in different currencies.
	BalancesNotChecked
)

var balanceCheckNames = [...]string{"absent", "agree", "disagree", "not checked"}

func (b BalanceCheck) String() string { return balanceCheckNames[b] }

// Reports returns the account reports read so far, in file order; it is
// complete once Next has returned io.EOF.
func (r *Reader) Reports() []Report { return r.reportList }
