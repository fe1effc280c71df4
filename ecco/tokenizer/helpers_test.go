package tokenizer

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
)

// modelDir is the reference model shipped with the repository.
const modelDir = "../../tests/testdata/models/tiny-a"

var (
	loadOnce                 sync.Once
	fromJSON, fromVocabFiles *Tokenizer
	loadErr                  error
)

// testTokenizers loads tiny-a's tokenizer both ways, once per test binary.
func testTokenizers(tb testing.TB) map[string]*Tokenizer {
	tb.Helper()
	loadOnce.Do(func() {
		if fromJSON, loadErr = LoadDir(modelDir); loadErr != nil {
			return
		}
		fromVocabFiles, loadErr = LoadVocabMerges(os.DirFS(modelDir), VocabFile, MergesFile)
	})
	if loadErr != nil {
		tb.Fatalf("loading %s: %v", modelDir, loadErr)
	}
	return map[string]*Tokenizer{"tokenizer.json": fromJSON, "vocab.json+merges.txt": fromVocabFiles}
}

// gpt2 returns the tokenizer loaded from tokenizer.json.
func gpt2(tb testing.TB) *Tokenizer {
	return testTokenizers(tb)["tokenizer.json"]
}

// modelFiles returns copies of the named tiny-a files in a MapFS.
func modelFiles(tb testing.TB, names ...string) fstest.MapFS {
	tb.Helper()
	fsys := fstest.MapFS{}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(modelDir, name))
		if err != nil {
			tb.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// firstDiff returns the first index where a and b differ, or -1.
func firstDiff[T comparable](a, b []T) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}
