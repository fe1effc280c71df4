package main

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/tokenizer/tokenizertest"
)

// TestTokenizeReferenceFamilies runs `ecco tokenize` on folders holding only
// the tokenizer files of each reference tokenizer, for every string of
// expected.json, and compares every field. Each run loads the tokenizer, which
// takes long for the large vocabularies (BENCHMARKS.md), so -short checks every
// 7th string.
func TestTokenizeReferenceFamilies(t *testing.T) {
	expected := tokenizertest.Expected(t)
	for _, name := range tokenizertest.Names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := tokenizertest.Dir(t, name)
			out := filepath.Join(t.TempDir(), "tokens.json")
			// Every string's ids are the tokenizer package's conformance test; here a sample checks
			// the command's plumbing and JSON (each run loads the tokenizer: Gemma 3's takes seconds).
			every := 3
			if testing.Short() {
				every = 7
			}
			for i, row := range expected[name] {
				if i%every != 0 {
					continue
				}
				mustRun(t, "tokenize", "-model", dir, "-prompt", row.Text, "-json", out)
				var got tokenizeJSON
				readJSON(t, out, &got)
				if !slices.Equal(got.TokenIDs, row.IDs) || !slices.Equal(got.IDsNoSpecial, row.IDsNoSpecial) ||
					!slices.Equal(got.Tokens, row.Tokens) || got.Decoded != row.Decoded {
					t.Errorf("%s: ecco tokenize gave\n ids %v\n no special %v\n tokens %q\n decoded %q\nwant\n ids %v\n no special %v\n tokens %q\n decoded %q",
						row.Name, got.TokenIDs, got.IDsNoSpecial, got.Tokens, got.Decoded, row.IDs, row.IDsNoSpecial, row.Tokens, row.Decoded)
				}
				if len(got.Display) != len(got.TokenIDs) || len(got.Partial) != len(got.TokenIDs) {
					t.Errorf("%s: %d display strings and %d partial flags for %d ids", row.Name, len(got.Display), len(got.Partial), len(got.TokenIDs))
				}
			}
		})
	}
}
