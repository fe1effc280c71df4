// Package refdata reads the reference outputs of the original Ecco (tests/testdata/golden) and
// locates the bundled tiny model, for every test package: one reader, one bound, one message.
package refdata

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// maxFileBytes bounds a read: the largest reference file (activations) is a few megabytes.
const maxFileBytes = 256 << 20

// root is the repository root, found from this file's place in it (tests run in the source tree).
func root() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "."
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// TestData is the folder of the bundled reference models and Ecco's outputs on them.
func TestData() string { return filepath.Join(root(), "tests", "testdata") }

// GoldenDir is the folder of Ecco's outputs on the tiny-a model (tests/testdata/REFERENCE.md).
func GoldenDir() string { return filepath.Join(root(), "tests", "testdata", "golden", "tiny-a") }

// ModelDir is the bundled tiny-a model those outputs came from.
func ModelDir() string { return filepath.Join(root(), "tests", "testdata", "models", "tiny-a") }

// ReadJSON decodes the JSON file at path into v, failing t on any error.
func ReadJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := readJSON(path, v); err != nil {
		t.Fatal(err)
	}
}

// File decodes tiny-a's reference file name (e.g. "analysis.json") into v.
func File(t testing.TB, name string, v any) {
	t.Helper()
	ReadJSON(t, filepath.Join(GoldenDir(), name), v)
}

func readJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return fmt.Errorf("reference data %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return fmt.Errorf("reference data %s: larger than %d bytes", path, maxFileBytes)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("reference data %s: %w", path, err)
	}
	return nil
}
