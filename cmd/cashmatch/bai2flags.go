package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// bai2Flags tell the BAI2 reader about a bank's own conventions.
type bai2Flags struct {
	opts parsers.BAI2Options
}

func (b *bai2Flags) register(fs *flag.FlagSet) {
	fs.Func("bai2-code", "classify a bank-defined BAI2 type code (900-999) as CODE=CLASS, CLASS one of "+
		"status, credit-summary, credit-detail, debit-summary, debit-detail, non-monetary; repeatable", b.code)
	fs.Func("bai2-currency", "currency of BAI2 groups and accounts that state none (default USD)", b.currency)
}

func (b *bai2Flags) code(v string) error {
	code, name, ok := strings.Cut(v, "=")
	if !ok || len(code) != 3 || code < "900" || code > "999" {
		return fmt.Errorf("want CODE=CLASS with a code of 900-999, got %q", v)
	}
	var c parsers.BAI2Class
	if err := c.UnmarshalText([]byte(name)); err != nil {
		return err
	}
	if b.opts.CustomCodes == nil {
		b.opts.CustomCodes = map[string]parsers.BAI2Class{}
	}
	b.opts.CustomCodes[code] = c
	return nil
}

func (b *bai2Flags) currency(v string) error {
	c, err := engine.ParseCurrency(v)
	b.opts.Currency = c
	return err
}
