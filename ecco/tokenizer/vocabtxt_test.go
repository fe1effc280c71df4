package tokenizer_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ecco-go/ecco/ecco/tokenizer"
	"github.com/ecco-go/ecco/internal/refdata"
)

// TestVocabTxtMatchesBertTokenizer encodes the four tiny-bert-a prompts from vocab.txt and
// tokenizer_config.json and compares with the ids transformers' BertTokenizer gave.
func TestVocabTxtMatchesBertTokenizer(t *testing.T) {
	dir := filepath.Join(refdata.TestData(), "models", "tiny-bert-a")
	tok, err := tokenizer.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 4; n++ {
		var golden struct {
			Prompt string `json:"prompt"`
			Input  struct {
				IDs    []int    `json:"ids"`
				Tokens []string `json:"tokens"`
			} `json:"input"`
		}
		refdata.ReadJSON(t, filepath.Join(refdata.TestData(), "golden", "tiny-bert-a", fmt.Sprintf("prompt%d.json", n)), &golden)
		got := tok.EncodeWithSpecialTokens(golden.Prompt)
		if !slices.Equal(got, golden.Input.IDs) {
			t.Errorf("prompt %d %q: ids %v, want %v", n, golden.Prompt, got, golden.Input.IDs)
		}
		for i, id := range got {
			if i < len(golden.Input.Tokens) && tok.Token(id) != golden.Input.Tokens[i] {
				t.Errorf("prompt %d: token %d is %q, want %q", n, i, tok.Token(id), golden.Input.Tokens[i])
			}
		}
	}
}

// TestVocabTxtConfig checks tokenizer_config.json's switches and special-token names.
func TestVocabTxtConfig(t *testing.T) {
	vocab := "<pad>\n<unk>\n<s>\n</s>\n<m>\nhello\nHello\n##o\n"
	fsys := fstest.MapFS{
		"vocab.txt": {Data: []byte(vocab)},
		"tokenizer_config.json": {Data: []byte(`{"do_lower_case": false, "unk_token": "<unk>", "cls_token": {"content": "<s>"},
			"sep_token": "</s>", "pad_token": "<pad>", "mask_token": "<m>"}`)},
	}
	tok, err := tokenizer.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tok.EncodeWithSpecialTokens("Hello <m> hellx"), []int{2, 6, 4, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	delete(fsys, "tokenizer_config.json")
	if _, err := tokenizer.Load(fsys); err == nil || !strings.Contains(err.Error(), `no line "[UNK]"`) {
		t.Errorf("vocab.txt without [UNK] and no config: error %v, want one naming the missing [UNK]", err)
	}
	fsys["tokenizer_config.json"] = &fstest.MapFile{Data: []byte(`{"unk_token": 3`)}
	if _, err := tokenizer.Load(fsys); err == nil || !strings.Contains(err.Error(), "tokenizer_config.json") {
		t.Errorf("malformed tokenizer_config.json: error %v, want one naming the file", err)
	}
}
