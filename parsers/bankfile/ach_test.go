package bankfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// TestReadAll_CorpusACHInvalid opens the invalid NACHA files of the corpus
// as the CLI does. Each is recognised as NACHA, also when it starts with
// another record than the file header, so that the ACH reader says what is
// wrong with it or reads what it tolerates.
func TestReadAll_CorpusACHInvalid(t *testing.T) {
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	files, _ := filepath.Glob(filepath.Join(root, "ach", "invalid", "*.ach"))
	if len(files) == 0 {
		t.Fatal("no files in ach/invalid")
	}
	// The files without a file header first, and the ACH reader's refusal.
	noHeader := map[string]string{
		"dwilkins-ach-masked-sample.ach":        "dwilkins-ach-masked-sample.ach:1: the file does not start with a file header",
		"moov-ach-5-record-before-1.ach":        "moov-ach-5-record-before-1.ach:1: the file does not start with a file header",
		"moov-ach-return-no-batch-controls.ach": "moov-ach-return-no-batch-controls.ach:1: the file does not start with a file header",
	}
	seen := 0
	for _, path := range files {
		name := filepath.Base(path)
		st, _, err := ReadAll(path, &parsers.Options{})
		if errors.Is(err, parsers.ErrUnknownFormat) {
			t.Errorf("%s: not recognised as NACHA: %v", name, err)
			continue
		}
		want, ok := noHeader[name]
		if !ok {
			if err == nil && st.Format != engine.FormatACH {
				t.Errorf("%s: format %s", name, st.Format)
			}
			continue
		}
		seen++
		var pe *parsers.ParseError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want the ACH reader's %q", name, err, want)
		}
	}
	if seen != len(noHeader) {
		t.Errorf("%d of the %d files without a file header found", seen, len(noHeader))
	}
}
