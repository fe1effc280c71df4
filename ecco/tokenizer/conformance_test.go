package tokenizer

import (
	"slices"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/ecco/tokenizer/tokenizertest"
)

var (
	refMu   sync.Mutex
	refToks = map[string]*Tokenizer{}
)

// reference loads one of tokenizertest's tokenizers, once per test binary.
func reference(tb testing.TB, name string) *Tokenizer {
	tb.Helper()
	fsys := tokenizertest.Files(tb, name)
	refMu.Lock()
	defer refMu.Unlock()
	if tok, ok := refToks[name]; ok {
		return tok
	}
	tok, err := Load(fsys)
	if err != nil {
		tb.Fatalf("loading %s: %v", name, err)
	}
	refToks[name] = tok
	return tok
}

// TestConformance checks every case of expected.json (transformers.js,
// cross-checked against HuggingFace's slow tokenizers): ids with and without
// special tokens, token strings and decoded text.
func TestConformance(t *testing.T) {
	expected := tokenizertest.Expected(t)
	for _, name := range tokenizertest.Names {
		t.Run(name, func(t *testing.T) {
			tok := reference(t, name)
			for _, row := range expected[name] {
				t.Run(row.Name, func(t *testing.T) { checkRow(t, tok, row) })
			}
		})
	}
}

func checkRow(t *testing.T, tok *Tokenizer, row tokenizertest.Row) {
	t.Helper()
	noSpecial := tok.Encode(row.Text)
	if i := firstDiff(noSpecial, row.IDsNoSpecial); i >= 0 {
		t.Errorf("Encode(%q): first difference at %d\n got %v\nwant %v", row.Text, i, noSpecial, row.IDsNoSpecial)
	}
	ids := tok.EncodeWithSpecialTokens(row.Text)
	if i := firstDiff(ids, row.IDs); i >= 0 {
		t.Errorf("EncodeWithSpecialTokens(%q): first difference at %d\n got %v\nwant %v", row.Text, i, ids, row.IDs)
	}
	tokens := make([]string, len(row.IDs))
	for i, id := range row.IDs {
		tokens[i] = tok.Token(id)
	}
	if !slices.Equal(tokens, row.Tokens) {
		t.Errorf("tokens of %q:\n got %q\nwant %q", row.Text, tokens, row.Tokens)
	}
	if got := tok.DecodeLikeTransformers(row.IDs); got != row.Decoded {
		t.Errorf("DecodeLikeTransformers(ids of %q) = %q, want %q", row.Text, got, row.Decoded)
	}
}
