package engine

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/cashmatch/cashmatch"

// TestLint_EngineImportsNoModulePackage keeps dependencies pointing inward:
// parsers, store and api import engine, never the reverse.
func TestLint_EngineImportsNoModulePackage(t *testing.T) {
	for _, f := range parseEngineFiles(t) {
		for _, imp := range f.file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == modulePath || strings.HasPrefix(path, modulePath+"/") {
				t.Errorf("%s imports %s: engine must import no other package of the module", f.name, path)
			}
		}
	}
}

// TestLint_NoFloatInEngine keeps money and scores exact: the engine model
// uses decimals and integers only.
func TestLint_NoFloatInEngine(t *testing.T) {
	for _, f := range parseEngineFiles(t) {
		ast.Inspect(f.file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && (id.Name == "float64" || id.Name == "float32") {
				t.Errorf("%s: %s uses %s", f.name, f.fset.Position(id.Pos()), id.Name)
			}
			return true
		})
	}
}

type parsedFile struct {
	name string
	fset *token.FileSet
	file *ast.File
}

func parseEngineFiles(t *testing.T) []parsedFile {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []parsedFile
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, parsedFile{name, fset, f})
	}
	if len(out) == 0 {
		t.Fatal("no engine source files found")
	}
	return out
}
