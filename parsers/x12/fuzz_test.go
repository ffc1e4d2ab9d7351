package x12

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse parses arbitrary text as X12. It must never panic; an advice
// comes back unless the text is not X12 at all, and every open item's
// number is text of the input.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.x12")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(ctx820)
	f.Add("RMR*OI*0140611**-1170.49*25*1170.36*")
	f.Fuzz(func(t *testing.T, data string) {
		adv, err := Parse(data)
		if adv == nil {
			if err == nil {
				t.Fatal("no advice and no error")
			}
			return
		}
		for _, it := range adv.Items {
			if !strings.Contains(data, it.Number) {
				t.Fatalf("item number %q is not in the input", it.Number)
			}
		}
		if len(adv.Lines) > adv.Segments {
			t.Fatalf("%d lines from %d segments", len(adv.Lines), adv.Segments)
		}
	})
}
