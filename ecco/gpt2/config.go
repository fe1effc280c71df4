package gpt2

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// Config is the architecture read from a HuggingFace GPT-2 `config.json`.
type Config struct {
	ModelType        string  // "gpt2"
	NLayer           int     // transformer blocks
	NEmbd            int     // D, the residual width
	NHead            int     // attention heads; NEmbd must divide by it
	NPositions       int     // longest sequence (rows of wpe)
	NInner           int     // N, FFN width: n_inner, or 4*NEmbd when null or absent
	Activation       string  // one of decoder.Activations
	LayerNormEpsilon float64 // 1e-5 for GPT-2
	VocabSize        int     // V
	EOSTokenID       int     // 50256 for GPT-2
}

// HeadDim is the width of one attention head.
func (c *Config) HeadDim() int { return c.NEmbd / c.NHead }

// rawConfig mirrors the JSON keys; pointers tell absent from zero.
type rawConfig struct {
	ModelType        string   `json:"model_type"`
	NLayer           *int     `json:"n_layer"`
	NEmbd            *int     `json:"n_embd"`
	NHead            *int     `json:"n_head"`
	NPositions       *int     `json:"n_positions"`
	NCtx             *int     `json:"n_ctx"`
	NInner           *int     `json:"n_inner"`
	Activation       *string  `json:"activation_function"`
	LayerNormEpsilon *float64 `json:"layer_norm_epsilon"`
	VocabSize        *int     `json:"vocab_size"`
	EOSTokenID       *int     `json:"eos_token_id"`
}

// LoadConfig reads and validates `config.json` from fsys.
func LoadConfig(fsys fs.FS) (*Config, error) {
	data, err := family.ReadConfig(fsys)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %s: %w", family.ConfigFile, err)
	}
	return cfg, nil
}

// ParseConfig decodes and validates the JSON of a GPT-2 config.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if raw.ModelType != "gpt2" {
		return nil, fmt.Errorf("model_type %q is not supported: only \"gpt2\" (GPT-2, DistilGPT2) models load", raw.ModelType)
	}
	cfg := &Config{
		ModelType:        raw.ModelType,
		Activation:       "gelu_new",
		LayerNormEpsilon: 1e-5,
		EOSTokenID:       50256,
	}
	if err := family.Positive(
		family.Required{Key: "n_layer", From: raw.NLayer, To: &cfg.NLayer},
		family.Required{Key: "n_embd", From: raw.NEmbd, To: &cfg.NEmbd},
		family.Required{Key: "n_head", From: raw.NHead, To: &cfg.NHead},
		family.Required{Key: "vocab_size", From: raw.VocabSize, To: &cfg.VocabSize},
	); err != nil {
		return nil, err
	}
	switch {
	case raw.NPositions != nil:
		cfg.NPositions = *raw.NPositions
	case raw.NCtx != nil:
		cfg.NPositions = *raw.NCtx
	default:
		return nil, fmt.Errorf("missing %q", "n_positions")
	}
	if cfg.NPositions <= 0 {
		return nil, fmt.Errorf("\"n_positions\" is %d, want a positive integer", cfg.NPositions)
	}
	if cfg.NEmbd%cfg.NHead != 0 {
		return nil, fmt.Errorf("n_embd %d is not a multiple of n_head %d", cfg.NEmbd, cfg.NHead)
	}
	cfg.NInner = 4 * cfg.NEmbd
	if raw.NInner != nil {
		if *raw.NInner <= 0 {
			return nil, fmt.Errorf("\"n_inner\" is %d, want a positive integer or null", *raw.NInner)
		}
		cfg.NInner = *raw.NInner
	}
	if raw.Activation != nil {
		cfg.Activation = *raw.Activation
	}
	if !decoder.Activation(cfg.Activation) {
		return nil, fmt.Errorf("activation_function %q is not supported: want one of %v", cfg.Activation, decoder.Activations())
	}
	if raw.LayerNormEpsilon != nil {
		if !(*raw.LayerNormEpsilon > 0) {
			return nil, fmt.Errorf("\"layer_norm_epsilon\" is %g, want a positive number", *raw.LayerNormEpsilon)
		}
		cfg.LayerNormEpsilon = *raw.LayerNormEpsilon
	}
	if raw.EOSTokenID != nil {
		cfg.EOSTokenID = *raw.EOSTokenID
	}
	return cfg, nil
}

// Info describes the architecture for package ecco.
func (c *Config) Info() family.Info {
	return family.Info{
		ModelType: c.ModelType, Layers: c.NLayer, Width: c.NEmbd, Heads: c.NHead, KVHeads: c.NHead,
		Neurons: c.NInner, Vocab: c.VocabSize, Positions: c.NPositions, EOS: []int{c.EOSTokenID},
		Capture: "mlp.c_proj", FinalNorm: "ln_f",
	}
}
