package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// t5Dir writes a T5-style checkpoint folder: the nfkc model (T5's special ids) as spiece.model,
// plus the given extra files.
func t5Dir(t *testing.T, extra map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	model, err := os.ReadFile("testdata/spm/unigram_nfkc.model")
	if err != nil {
		t.Fatal(err)
	}
	extra[SentencePieceFile] = model
	for name, data := range extra {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestT5SpieceFolder: LoadDir reads spiece.model when there is no tokenizer.json and gives
// T5Tokenizer's encoding: "$A </s>" for every case (checked against the T5 converter's
// tokenizer.json form, whose TemplateProcessing appends </s>), </s> and <unk> written in the
// text are special tokens, and the 100 sentinels follow the pieces, <extra_id_0> last.
func TestT5SpieceFolder(t *testing.T) {
	tok, err := LoadDir(t5Dir(t, map[string][]byte{}))
	if err != nil {
		t.Fatal(err)
	}
	converted := spmTokenizerJSON(t, "unigram_nfkc")
	for _, c := range spmExpected(t, "unigram_nfkc") {
		if c.Hex != "" {
			continue // transformers only sees valid UTF-8
		}
		got, want := tok.EncodeWithSpecialTokens(c.Text), converted.EncodeWithSpecialTokens(c.Text)
		if !slices.Equal(got, want) || !slices.Equal(got, append(slices.Clone(c.IDs), 1)) {
			t.Errorf("%q: %v; T5 form %v, spm_encode + </s> %v", c.Text, got, want, append(c.IDs, 1))
		}
	}
	pieces := converted.VocabSize() // the converted file has no sentinels
	for text, want := range map[string][]int{
		"Hello</s>":                     append(tok.Encode("Hello"), 1),
		"<unk>":                         {2},
		"<extra_id_0> is <extra_id_99>": append(append([]int{pieces + 99}, tok.Encode("is")...), pieces),
	} {
		if got := tok.Encode(text); !slices.Equal(got, want) {
			t.Errorf("Encode(%q) = %v, want %v", text, got, want)
		}
	}
	if got := tok.Decode(tok.EncodeWithSpecialTokens("Hello world")); got != "Hello world</s>" {
		t.Errorf("Decode(EncodeWithSpecialTokens) = %q, want %q", got, "Hello world</s>")
	}
	if tok.VocabSize() != pieces+100 || !tok.IsSpecial(pieces) || tok.Token(pieces) != "<extra_id_99>" {
		t.Errorf("VocabSize %d, token %d = %q special %v; want %d and <extra_id_99>", tok.VocabSize(), pieces, tok.Token(pieces), tok.IsSpecial(pieces), pieces+100)
	}
}

// TestT5SpieceConfig: tokenizer_config.json's added_tokens_decoder gives the added tokens and
// their ids; extra_ids sets the number of sentinels; tokenizer.json wins over spiece.model.
func TestT5SpieceConfig(t *testing.T) {
	config := []byte(`{"tokenizer_class": "T5Tokenizer", "clean_up_tokenization_spaces": true, "added_tokens_decoder": {
		"1": {"content": "</s>", "special": true}, "3000": {"content": "<extra_id_0>", "special": true},
		"3001": {"content": "<new>", "special": false}}}`)
	tok, err := LoadDir(t5Dir(t, map[string][]byte{TokenizerConfigFile: config}))
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("<extra_id_0><new>"); !slices.Equal(got, []int{3000, 3001}) || tok.VocabSize() != 3002 || tok.IsSpecial(3001) || !tok.CleansUpSpaces() {
		t.Errorf("Encode = %v (want [3000 3001]), VocabSize %d (want 3002), <new> special %v, clean-up %v", got, tok.VocabSize(), tok.IsSpecial(3001), tok.CleansUpSpaces())
	}
	tok, err = LoadDir(t5Dir(t, map[string][]byte{TokenizerConfigFile: []byte(`{"extra_ids": 3}`)}))
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("<extra_id_0><extra_id_2>"); !slices.Equal(got, []int{3002, 3000}) {
		t.Errorf("with extra_ids 3: %v, want [3002 3000]", got)
	}
	// Both files: tokenizer.json is read (the byte-fallback model's, so the ids tell).
	bf := spmTokenizerJSON(t, "unigram_bf")
	data := gunzipFile(t, "testdata/spm/tokenizer_unigram_bf.json.gz")
	tok, err = LoadDir(t5Dir(t, map[string][]byte{TokenizerJSONFile: data}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.Encode("Hello world"), bf.Encode("Hello world"); !slices.Equal(got, want) {
		t.Errorf("with tokenizer.json beside spiece.model: %v, want tokenizer.json's %v", got, want)
	}
}

// TestLoadSentencePieceSubdirectory: the config is read beside the model file.
func TestLoadSentencePieceSubdirectory(t *testing.T) {
	model, err := os.ReadFile("testdata/spm/unigram_nfkc.model")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"t5/spiece.model": {Data: model}, "t5/tokenizer_config.json": {Data: []byte(`{"extra_ids": 2}`)},
		"tokenizer_config.json": {Data: []byte(`{"tokenizer_class": "AlbertTokenizer"}`)}}
	tok, err := LoadSentencePiece(fsys, "t5/spiece.model")
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() != 3002 {
		t.Errorf("VocabSize %d, want 3002 (3000 pieces and the 2 sentinels of t5/tokenizer_config.json)", tok.VocabSize())
	}
}
