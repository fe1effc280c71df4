package gpt2

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
)

// maxConfigBytes bounds the read of config.json: real GPT-2 configs are about 1 KB.
const maxConfigBytes = 1 << 20

// Config is the architecture read from a HuggingFace GPT-2 `config.json`.
type Config struct {
	ModelType        string  // "gpt2"
	NLayer           int     // transformer blocks
	NEmbd            int     // D, the residual width
	NHead            int     // attention heads; NEmbd must divide by it
	NPositions       int     // longest sequence (rows of wpe)
	NInner           int     // N, FFN width: n_inner, or 4*NEmbd when null or absent
	Activation       string  // one of Activations
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
	const name = "config.json"
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("gpt2: reading %s: %w (a HuggingFace model folder holds config.json)", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("gpt2: reading %s: %w", name, err)
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("gpt2: %s is larger than %d bytes: not a model config", name, maxConfigBytes)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %s: %w", name, err)
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
	required := []struct {
		key string
		src *int
		dst *int
	}{
		{"n_layer", raw.NLayer, &cfg.NLayer},
		{"n_embd", raw.NEmbd, &cfg.NEmbd},
		{"n_head", raw.NHead, &cfg.NHead},
		{"vocab_size", raw.VocabSize, &cfg.VocabSize},
	}
	for _, r := range required {
		if r.src == nil {
			return nil, fmt.Errorf("missing %q", r.key)
		}
		if *r.src <= 0 {
			return nil, fmt.Errorf("%q is %d, want a positive integer", r.key, *r.src)
		}
		*r.dst = *r.src
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
	if _, ok := activations[cfg.Activation]; !ok {
		return nil, fmt.Errorf("activation_function %q is not supported: want one of %v", cfg.Activation, Activations())
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
