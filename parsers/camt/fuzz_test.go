package camt

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(minimal("02", "0", "10.00", oneEntry)))
	f.Add([]byte(minimal("08", "5.00", "15.00", oneEntry)))
}

// FuzzReader reads arbitrary input leniently and strictly. It must never
// panic, and every payment it accepts carries a known currency, a
// non-negative amount and its source.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, strict := range []bool{false, true} {
			ps, _, err := readAll(t, "fuzz.xml", in, strict)
			if err != nil {
				continue
			}
			for _, p := range ps {
				if p.Amount.Sign() < 0 && !strings.Contains(strings.Join(p.Warnings, " "), "remains") {
					t.Errorf("negative amount %s at %s", p.Amount, p.Source)
				}
				if p.Amount.Currency == "" && len(p.Warnings) == 0 {
					t.Errorf("payment without currency at %s", p.Source)
				}
				if _, err := engine.ParseCurrency(string(p.Amount.Currency)); err != nil && p.Amount.Currency != "" {
					t.Errorf("unknown currency %q at %s", p.Amount.Currency, p.Source)
				}
				if !strings.HasPrefix(p.Source, "fuzz.xml:") {
					t.Errorf("source %q", p.Source)
				}
			}
		}
	})
}

// FuzzScanner compares the scanner with encoding/xml: when both accept a
// document they must see the same elements, attributes and text.
func FuzzScanner(f *testing.F) {
	addSeeds(f)
	for _, s := range []string{`<a x="1&amp;2">t<![CDATA[c]]></a>`, "<a>\r\n<b/></a>", `<p:a xmlns:p="u"><p:b/></p:a>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := scanTokens(in)
		if err != nil {
			return
		}
		want, err := stdTokens(normalizeAttrs(in))
		if err != nil {
			return
		}
		if got != want {
			t.Errorf("tokens differ\nscanner:\n%s\nencoding/xml:\n%s", got, want)
		}
	})
}

// normalizeAttrs applies to in the attribute-value normalization of XML
// 1.0 (tabs and line ends in attribute values read as spaces), which
// encoding/xml does not do, so that both readers can be compared.
// Comments, CDATA sections and processing instructions are left alone.
func normalizeAttrs(in []byte) []byte {
	out := bytes.Clone(in)
	for i := 0; i < len(out); i++ {
		if out[i] != '<' {
			continue
		}
		rest := out[i:]
		skip := func(end string) {
			if j := bytes.Index(rest, []byte(end)); j >= 0 {
				i += j + len(end) - 1
			} else {
				i = len(out)
			}
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			skip("-->")
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			skip("]]>")
			continue
		case bytes.HasPrefix(rest, []byte("<?")), bytes.HasPrefix(rest, []byte("<!")):
			skip(">")
			continue
		}
		var quote byte
		for i++; i < len(out); i++ {
			c := out[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				} else if c == '\t' || c == '\n' || c == '\r' {
					out[i] = ' '
				}
				continue
			}
			if c == '"' || c == '\'' {
				quote = c
			} else if c == '>' {
				break
			}
		}
	}
	return out
}
