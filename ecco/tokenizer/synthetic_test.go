package tokenizer

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// Small hand-made tokenizers: every byte, plus tokens built by a few merges
// whose effect can be worked out by hand.

// syntheticVocab returns the 256 byte tokens (ids 0..255 in byte order) plus
// extra tokens numbered from 256 in the order given.
func syntheticVocab(extra ...string) map[string]int {
	vocab := make(map[string]int, 256+len(extra))
	for b := range 256 {
		vocab[string(byteToRune[b])] = b
	}
	for i, tok := range extra {
		vocab[tok] = 256 + i
	}
	return vocab
}

// syntheticMerges builds "hello" and "Ġhello" from bytes; "ll" first, so the
// order of the rules, not of the letters, decides.
var syntheticMerges = []string{"l l", "h e", "he ll", "hell o", "Ġ hello"}

// syntheticExtra are the tokens those merges make, ids 256..260.
var syntheticExtra = []string{"ll", "he", "hell", "hello", "Ġhello"}

// syntheticJSON returns a tokenizer.json document as a map, for tests to edit.
func syntheticJSON() map[string]any {
	return map[string]any{
		"version":       "1.0",
		"added_tokens":  []any{map[string]any{"id": 261, "content": "<|endoftext|>", "special": true}},
		"normalizer":    nil,
		"pre_tokenizer": map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
		"model": map[string]any{
			"type":   "BPE",
			"vocab":  syntheticVocab(append(slices.Clone(syntheticExtra), "<|endoftext|>")...),
			"merges": syntheticMerges,
		},
	}
}

// jsonFS returns a MapFS holding doc as tokenizer.json.
func jsonFS(t *testing.T, doc map[string]any) fstest.MapFS {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{TokenizerJSONFile: {Data: data}}
}

func TestSyntheticMergeOrder(t *testing.T) {
	tok, err := Load(jsonFS(t, syntheticJSON()))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []int
	}{
		{"hello", []int{259}},
		{"hello hello", []int{259, 260}},
		{"lll", []int{256, 'l'}}, // equal ranks: leftmost first
		{"hel", []int{257, 'l'}},
		{"hello<|endoftext|>", []int{259, 261}},
		{"helo", []int{257, 'l', 'o'}},
	}
	for _, c := range cases {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if tok.VocabSize() != 262 || tok.EndOfText() != 261 {
		t.Errorf("VocabSize, EndOfText = %d, %d; want 262, 261", tok.VocabSize(), tok.EndOfText())
	}
}

// TestMergesAsPairs loads GPT-2's tokenizer.json rewritten with the newer
// [["a", "b"], ...] merge format and expects the same tokenizer.
func TestMergesAsPairs(t *testing.T) {
	doc := readModelJSON(t)
	model := doc["model"].(map[string]any)
	var pairs [][2]string
	for _, m := range model["merges"].([]any) {
		left, right, ok := strings.Cut(m.(string), " ")
		if !ok {
			t.Fatalf("unexpected merge %q in tokenizer.json", m)
		}
		pairs = append(pairs, [2]string{left, right})
	}
	model["merges"] = pairs
	tok, err := Load(jsonFS(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	ref := gpt2(t)
	if len(tok.bpe.merges) != len(ref.bpe.merges) {
		t.Fatalf("%d merges, want %d", len(tok.bpe.merges), len(ref.bpe.merges))
	}
	for key, m := range ref.bpe.merges {
		if tok.bpe.merges[key] != m {
			t.Fatalf("merge %x = %+v, want %+v", key, tok.bpe.merges[key], m)
		}
	}
	for _, c := range trickyCases {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestAddPrefixSpace follows HuggingFace: each segment between added tokens
// gets a leading space unless it has one (ids from gpt-3-encoder: " Hello"
// 18435, " a" 257, " b" 275).
func TestAddPrefixSpace(t *testing.T) {
	doc := readModelJSON(t)
	doc["pre_tokenizer"].(map[string]any)["add_prefix_space"] = true
	tok, err := Load(jsonFS(t, doc))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []int
	}{
		{"Hello", []int{18435}},
		{" Hello", []int{18435}},
		{"a<|endoftext|>b", []int{257, 50256, 275}},
	}
	for _, c := range cases {
		if got := tok.Encode(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestBothFormatsSameTokenizer compares the tables built from tokenizer.json
// and from vocab.json + merges.txt.
func TestBothFormatsSameTokenizer(t *testing.T) {
	all := testTokenizers(t)
	a, b := all["tokenizer.json"], all["vocab.json+merges.txt"]
	if i := firstDiff(a.tokens, b.tokens); i >= 0 {
		t.Fatalf("tokens differ at id %d: %q vs %q", i, a.Token(i), b.Token(i))
	}
	if len(a.bpe.merges) != len(b.bpe.merges) || len(a.bpe.merges) != 50000 {
		t.Fatalf("merges: %d and %d, want 50000 each", len(a.bpe.merges), len(b.bpe.merges))
	}
	for key, m := range a.bpe.merges {
		// merges.txt ranks are line numbers (the first merge is on line 2).
		if other := b.bpe.merges[key]; other.id != m.id || other.rank != m.rank+2 {
			t.Fatalf("merge %x: %+v vs %+v", key, m, other)
		}
	}
	if !slices.Equal(a.bpe.byteIDs[:], b.bpe.byteIDs[:]) {
		t.Fatal("byte ids differ")
	}
}

// readModelJSON returns tiny-a's tokenizer.json as a map.
func readModelJSON(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(modelFiles(t, TokenizerJSONFile)[TokenizerJSONFile].Data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
