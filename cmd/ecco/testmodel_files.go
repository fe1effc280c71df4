package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/tokenizer"
)

// hfConfig is a GPT-2 config.json as transformers writes it (the keys GPT2Config saves).
type hfConfig struct {
	ActivationFunction string   `json:"activation_function"`
	Architectures      []string `json:"architectures"`
	AttnPdrop          float64  `json:"attn_pdrop"`
	BOSTokenID         *int     `json:"bos_token_id,omitempty"`
	EmbdPdrop          float64  `json:"embd_pdrop"`
	EOSTokenID         *int     `json:"eos_token_id,omitempty"`
	InitializerRange   float64  `json:"initializer_range"`
	LayerNormEpsilon   float64  `json:"layer_norm_epsilon"`
	ModelType          string   `json:"model_type"`
	NCtx               int      `json:"n_ctx"`
	NEmbd              int      `json:"n_embd"`
	NHead              int      `json:"n_head"`
	NInner             *int     `json:"n_inner"` // null: 4 × n_embd
	NLayer             int      `json:"n_layer"`
	NPositions         int      `json:"n_positions"`
	ResidPdrop         float64  `json:"resid_pdrop"`
	TorchDtype         string   `json:"torch_dtype"`
	VocabSize          int      `json:"vocab_size"`
}

// generationConfig is generation_config.json.
type generationConfig struct {
	BOSTokenID *int `json:"bos_token_id,omitempty"`
	EOSTokenID *int `json:"eos_token_id,omitempty"`
}

var torchDtypes = map[string]string{"F32": "float32", "F16": "float16", "BF16": "bfloat16"}

// writeConfigFiles writes config.json and generation_config.json into dir.
func writeConfigFiles(dir string, t *testModelFlags, tok *tokenizer.Tokenizer) error {
	s := t.shape
	var eos *int // the tokenizer's <|endoftext|>, when it has one
	if id := tok.EndOfText(); id >= 0 {
		eos = &id
	}
	cfg := hfConfig{
		ActivationFunction: "gelu_new", Architectures: []string{"GPT2LMHeadModel"},
		AttnPdrop: 0.1, EmbdPdrop: 0.1, ResidPdrop: 0.1, BOSTokenID: eos, EOSTokenID: eos,
		InitializerRange: initStd, LayerNormEpsilon: 1e-5, ModelType: "gpt2",
		NCtx: s.positions, NEmbd: s.width, NHead: s.heads, NLayer: s.layers, NPositions: s.positions,
		TorchDtype: torchDtypes[t.dtype], VocabSize: s.vocab,
	}
	if s.inner != 4*s.width {
		cfg.NInner = &s.inner
	}
	if err := writeJSONIndented(filepath.Join(dir, "config.json"), cfg); err != nil {
		return err
	}
	return writeJSONIndented(filepath.Join(dir, "generation_config.json"), generationConfig{BOSTokenID: eos, EOSTokenID: eos})
}

// tokenizerFiles are copied from -vocab-from when present.
var tokenizerFiles = []string{
	tokenizer.TokenizerJSONFile, tokenizer.VocabFile, tokenizer.MergesFile, tokenizer.VocabTxtFile,
	"tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
}

// copyTokenizerFiles copies the tokenizer files of src into dst, each bounded in size.
func copyTokenizerFiles(src, dst string) error {
	for _, name := range tokenizerFiles {
		if err := copyBounded(filepath.Join(src, name), filepath.Join(dst, name), tokenizer.MaxFileSize); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return fmt.Errorf("-vocab-from: %w", err)
		}
	}
	return nil
}

// copyBounded copies a regular file of at most limit bytes.
func copyBounded(from, to string, limit int64) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", from)
	}
	if info.Size() > limit {
		return fmt.Errorf("%s is %d bytes, more than the %d a tokenizer file may hold", from, info.Size(), limit)
	}
	return writeFileAtomic(to, func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(in, limit+1))
		if err == nil && n > limit {
			err = fmt.Errorf("%s grew beyond %d bytes while being copied", from, limit)
		}
		return err
	})
}
