package storetest

import (
	"fmt"
	"io"
	"strings"
)

// Credit is one incoming payment of a generated BAI2 file.
type Credit struct {
	Cents   int64
	BankRef string
	Text    string // the 16 record's text: the payer
	Lines   []string
}

// WriteBAI2 writes a BAI2 file of one group and one account holding the
// credits, with correct trailers: record counts and control totals. asOf is
// YYMMDD.
func WriteBAI2(w io.Writer, fileID, account, asOf string, credits []Credit) error {
	var b strings.Builder
	records := 0
	put := func(format string, args ...any) {
		fmt.Fprintf(&b, format+"/\n", args...)
		records++
	}
	put("01,CASHMATCH,BANK,%s,0800,%s,,,2", asOf, fileID)
	groupStart := records
	put("02,CASHMATCH,BANK,1,%s,0800,USD,2", asOf)
	accountStart := records
	put("03,%s,USD", account)
	var total int64
	for _, c := range credits {
		put("16,165,%d,0,%s,,%s", c.Cents, c.BankRef, c.Text)
		for _, l := range c.Lines {
			put("88,%s", l)
		}
		total += c.Cents
	}
	put("49,%d,%d", total, records-accountStart+1)
	put("98,%d,1,%d", total, records-groupStart+1)
	put("99,%d,1,%d", total, records+1)
	_, err := io.WriteString(w, b.String())
	return err
}
