package llama

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// ModelTypes are the config.json model_type values this package loads.
var ModelTypes = []string{"llama", "mistral", "qwen2", "qwen3"}

// Config is the architecture read from a LLaMA-family config.json.
type Config struct {
	family.Sizes
	ModelType  string
	KVHeads    int     // num_key_value_heads (H when absent)
	HeadDim    int     // head_dim, or D/H
	Eps        float64 // rms_norm_eps
	RopeTheta  float64 // rope_theta (10000 when absent)
	Rope       Scaling // rope_scaling
	Tied       bool    // tie_word_embeddings
	QKVBias    bool    // biases on q, k, v (qwen2, or llama's attention_bias)
	OBias      bool    // bias on o_proj (llama's attention_bias)
	MLPBias    bool    // biases on gate, up, down (llama's mlp_bias)
	QKNorm     bool    // per-head RMSNorm of queries and keys before the rotary embedding (qwen3)
	Windows    []int   // per layer: the sliding window, 0 for full attention
	Activation string  // hidden_act: silu
}

// Scaling is rope_scaling: how the rotary frequencies are stretched for long contexts.
type Scaling struct {
	Type            string  // "" (none), "linear" or "llama3"
	Factor          float64 // both types
	LowFreqFactor   float64 // llama3
	HighFreqFactor  float64 // llama3
	OriginalContext int     // llama3: original_max_position_embeddings
}

type rawConfig struct {
	family.HubSizes
	ModelType       string          `json:"model_type"`
	KVHeads         *int            `json:"num_key_value_heads"`
	HeadDim         *int            `json:"head_dim"`
	Eps             *float64        `json:"rms_norm_eps"`
	RopeTheta       *float64        `json:"rope_theta"`
	RopeScaling     json.RawMessage `json:"rope_scaling"`
	RopeParameters  json.RawMessage `json:"rope_parameters"` // transformers 5 moves rope_theta and the scaling here
	Tied            *bool           `json:"tie_word_embeddings"`
	AttentionBias   bool            `json:"attention_bias"`
	MLPBias         bool            `json:"mlp_bias"`
	SlidingWindow   json.RawMessage `json:"sliding_window"` // absent, null or a number
	UseSliding      bool            `json:"use_sliding_window"`
	MaxWindowLayers *int            `json:"max_window_layers"`
	Activation      *string         `json:"hidden_act"`
}

type rawScaling struct {
	Type            string   `json:"type"`
	RopeType        string   `json:"rope_type"`
	RopeTheta       *float64 `json:"rope_theta"`
	Factor          *float64 `json:"factor"`
	LowFreqFactor   *float64 `json:"low_freq_factor"`
	HighFreqFactor  *float64 `json:"high_freq_factor"`
	OriginalContext *int     `json:"original_max_position_embeddings"`
}

// ParseConfig decodes and validates the JSON of a LLaMA-family config.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if !slices.Contains(ModelTypes, raw.ModelType) {
		return nil, fmt.Errorf("model_type %q is not a LLaMA-family type: want one of %q", raw.ModelType, ModelTypes)
	}
	c := &Config{ModelType: raw.ModelType, Eps: 1e-6, RopeTheta: 10000, Activation: "silu"}
	var err error
	if c.Sizes, err = raw.Read(); err != nil {
		return nil, err
	}
	if err := c.heads(raw); err != nil {
		return nil, err
	}
	if raw.Eps != nil {
		if !(*raw.Eps > 0) {
			return nil, fmt.Errorf("\"rms_norm_eps\" is %g, want a positive number", *raw.Eps)
		}
		c.Eps = *raw.Eps
	}
	if err := c.rope(raw); err != nil {
		return nil, err
	}
	if raw.Activation != nil {
		c.Activation = *raw.Activation
	}
	if c.Activation != "silu" && c.Activation != "swish" {
		return nil, fmt.Errorf("hidden_act %q is not supported: the LLaMA family uses \"silu\"", c.Activation)
	}
	c.Tied = raw.Tied != nil && *raw.Tied
	c.QKVBias = raw.ModelType == "qwen2" || raw.AttentionBias
	c.OBias, c.MLPBias = raw.AttentionBias, raw.MLPBias
	c.QKNorm = raw.ModelType == "qwen3"
	if err := c.windows(raw); err != nil {
		return nil, err
	}
	return c, nil
}

// heads reads the head counts and checks that they tile the width.
func (c *Config) heads(raw rawConfig) error {
	c.KVHeads = c.Heads
	if raw.KVHeads != nil {
		if *raw.KVHeads <= 0 {
			return fmt.Errorf("\"num_key_value_heads\" is %d, want a positive integer", *raw.KVHeads)
		}
		c.KVHeads = *raw.KVHeads
	}
	if c.Heads%c.KVHeads != 0 {
		return fmt.Errorf("num_attention_heads %d is not a multiple of num_key_value_heads %d", c.Heads, c.KVHeads)
	}
	switch {
	case raw.HeadDim != nil && *raw.HeadDim > 0:
		c.HeadDim = *raw.HeadDim
	case c.Width%c.Heads != 0:
		return fmt.Errorf("hidden_size %d is not a multiple of num_attention_heads %d (and no head_dim is given)", c.Width, c.Heads)
	default:
		c.HeadDim = c.Width / c.Heads
	}
	if c.HeadDim%2 != 0 {
		return fmt.Errorf("head width %d is odd: rotary embeddings rotate pairs of dimensions", c.HeadDim)
	}
	return nil
}

// rope reads rope_theta and rope_scaling (or transformers 5's rope_parameters).
func (c *Config) rope(raw rawConfig) error {
	if raw.RopeTheta != nil {
		c.RopeTheta = *raw.RopeTheta
	}
	scaling := raw.RopeScaling
	if len(raw.RopeParameters) > 0 && string(raw.RopeParameters) != "null" {
		scaling = raw.RopeParameters
	}
	if len(scaling) > 0 && string(scaling) != "null" {
		var s rawScaling
		if err := json.Unmarshal(scaling, &s); err != nil {
			return fmt.Errorf("\"rope_scaling\" is %s: want an object with \"rope_type\" and \"factor\"", scaling)
		}
		if s.RopeTheta != nil {
			c.RopeTheta = *s.RopeTheta
		}
		if err := c.Rope.parse(s); err != nil {
			return err
		}
	}
	if !(c.RopeTheta > 0) || math.IsInf(c.RopeTheta, 0) {
		return fmt.Errorf("\"rope_theta\" is %g, want a positive number", c.RopeTheta)
	}
	return nil
}

func (s *Scaling) parse(raw rawScaling) error {
	t := raw.RopeType
	if t == "" {
		t = raw.Type
	}
	get := func(key string, v *float64) (float64, error) {
		if v == nil || !(*v > 0) {
			return 0, fmt.Errorf("rope_scaling type %q needs a positive %q", t, key)
		}
		return *v, nil
	}
	var err error
	switch t {
	case "", "default":
		return nil
	case "linear":
		s.Type = t
		s.Factor, err = get("factor", raw.Factor)
		return err
	case "llama3":
		s.Type = t
		if s.Factor, err = get("factor", raw.Factor); err != nil {
			return err
		}
		if s.LowFreqFactor, err = get("low_freq_factor", raw.LowFreqFactor); err != nil {
			return err
		}
		if s.HighFreqFactor, err = get("high_freq_factor", raw.HighFreqFactor); err != nil {
			return err
		}
		if raw.OriginalContext == nil || *raw.OriginalContext <= 0 {
			return fmt.Errorf("rope_scaling type \"llama3\" needs a positive \"original_max_position_embeddings\"")
		}
		s.OriginalContext = *raw.OriginalContext
		if s.HighFreqFactor <= s.LowFreqFactor {
			return fmt.Errorf("rope_scaling: high_freq_factor %g must exceed low_freq_factor %g", s.HighFreqFactor, s.LowFreqFactor)
		}
		return nil
	}
	return fmt.Errorf("rope_scaling type %q is not supported: want \"linear\" or \"llama3\" (or no rope_scaling)", t)
}

// windows sets each layer's sliding window as HuggingFace does: Mistral on every layer (4096
// when absent, none when null), Qwen2 and Qwen3 from max_window_layers on when use_sliding_window.
func (c *Config) windows(raw rawConfig) error {
	c.Windows = make([]int, c.Layers)
	window, from := 4096, c.Layers // HuggingFace's default window
	if len(raw.SlidingWindow) > 0 {
		window = 0 // null: no window
		if string(raw.SlidingWindow) != "null" {
			if err := json.Unmarshal(raw.SlidingWindow, &window); err != nil || window <= 0 {
				return fmt.Errorf("\"sliding_window\" is %s, want a positive integer or null", raw.SlidingWindow)
			}
		}
	}
	switch {
	case c.ModelType == "mistral":
		from = 0
	case (c.ModelType == "qwen2" || c.ModelType == "qwen3") && raw.UseSliding && window > 0:
		from = 28
		if raw.MaxWindowLayers != nil {
			from = *raw.MaxWindowLayers
		}
	}
	for i := max(from, 0); i < c.Layers; i++ {
		c.Windows[i] = window
	}
	return nil
}

// Info describes the architecture for package ecco.
func (c *Config) Info() family.Info {
	return c.Sizes.Info(c.ModelType, c.KVHeads, "mlp.down_proj", "model.norm")
}
