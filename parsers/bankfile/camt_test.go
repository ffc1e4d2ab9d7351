package bankfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// TestReadAll_CorpusCamt opens every camt file of the corpus as the CLI
// does: the format is detected from the namespace, the files to be rejected
// are refused with the file named, and every other file reads to payments
// of its format (or, for statements of balances only, to none).
func TestReadAll_CorpusCamt(t *testing.T) {
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	for _, dir := range []string{"camt052", "camt053", "camt054", "camt053/invalid"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.xml"))
		if len(files) == 0 {
			t.Fatalf("no files in %s", dir)
		}
		format := engine.Format("camt." + strings.TrimPrefix(strings.Split(dir, "/")[0], "camt"))
		for _, path := range files {
			st, ps, err := ReadAll(path, &parsers.Options{})
			name := filepath.Base(path)
			if strings.HasSuffix(dir, "invalid") {
				if err == nil || !strings.Contains(err.Error(), name) {
					t.Errorf("%s: err = %v, want a refusal naming the file", name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if st.Format != format || st.Payments != len(ps) {
				t.Errorf("%s: format %s, %d payments counted, %d read; want %s", name, st.Format, st.Payments, len(ps), format)
			}
			for _, p := range ps {
				if p.Format != format || p.Statement != st.ID || !strings.HasPrefix(p.Source, name+":") {
					t.Errorf("%s: payment %s has format %s, statement %s", name, p.Source, p.Format, p.Statement)
				}
			}
		}
	}
}
