package gemma

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// ModelTypes are the config.json model_type values this package loads.
var ModelTypes = []string{"gemma2", "gemma3_text"}

// Config is the architecture read from a Gemma 2 or Gemma 3 text config.json.
type Config struct {
	family.Sizes
	ModelType  string
	KVHeads    int     // num_key_value_heads
	HeadDim    int     // head_dim
	Eps        float64 // rms_norm_eps
	Scalar     float64 // query_pre_attn_scalar: scores are scaled by Scalar^−½
	Activation string  // hidden_activation
	Tied       bool    // tie_word_embeddings (true when absent)
	Bias       bool    // attention_bias: q, k, v and o
	Window     int     // sliding_window of local layers
	Local      []bool  // per layer: a sliding-window layer
	RopeTheta  float64 // rope_theta: global layers
	RopeLocal  float64 // rope_local_base_freq: local layers (Gemma 3)
	RopeFactor float64 // rope_scaling "linear" factor of global layers; 1 for none
	AttnCap    float64 // attn_logit_softcapping as applied (Gemma 2); 0 for none
	FinalCap   float64 // final_logit_softcapping; 0 for none
}

type rawConfig struct {
	family.HubSizes
	ModelType   string          `json:"model_type"`
	KVHeads     *int            `json:"num_key_value_heads"`
	HeadDim     *int            `json:"head_dim"`
	Eps         *float64        `json:"rms_norm_eps"`
	Scalar      *float64        `json:"query_pre_attn_scalar"`
	Activation  *string         `json:"hidden_activation"`
	Tied        *bool           `json:"tie_word_embeddings"`
	Bias        bool            `json:"attention_bias"`
	Window      *int            `json:"sliding_window"`
	Pattern     *int            `json:"sliding_window_pattern"`
	LayerTypes  []string        `json:"layer_types"`
	RopeTheta   *float64        `json:"rope_theta"`
	RopeLocal   *float64        `json:"rope_local_base_freq"`
	RopeScaling json.RawMessage `json:"rope_scaling"`
	AttnCap     json.RawMessage `json:"attn_logit_softcapping"`
	FinalCap    json.RawMessage `json:"final_logit_softcapping"`
}

// ParseConfig decodes and validates the JSON of a Gemma 2 or Gemma 3 text config, with
// HuggingFace's defaults for absent keys.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if !slices.Contains(ModelTypes, raw.ModelType) {
		return nil, fmt.Errorf("model_type %q is not a Gemma text type: want one of %q", raw.ModelType, ModelTypes)
	}
	c := &Config{ModelType: raw.ModelType, Eps: 1e-6, HeadDim: 256, Scalar: 256, Activation: "gelu_pytorch_tanh",
		Tied: raw.Tied == nil || *raw.Tied, Bias: raw.Bias, Window: 4096, RopeTheta: 10000, RopeLocal: 10000, RopeFactor: 1}
	if c.ModelType == "gemma3_text" {
		c.RopeTheta = 1e6
	}
	var err error
	if c.Sizes, err = raw.Read(); err != nil {
		return nil, err
	}
	if err := family.Positive(family.Required{Key: "num_key_value_heads", From: raw.KVHeads, To: &c.KVHeads}); err != nil {
		return nil, err
	}
	if c.Heads%c.KVHeads != 0 {
		return nil, fmt.Errorf("num_attention_heads %d is not a multiple of num_key_value_heads %d", c.Heads, c.KVHeads)
	}
	for _, f := range []struct {
		key string
		raw *float64
		to  *float64
	}{{"rms_norm_eps", raw.Eps, &c.Eps}, {"query_pre_attn_scalar", raw.Scalar, &c.Scalar},
		{"rope_theta", raw.RopeTheta, &c.RopeTheta}, {"rope_local_base_freq", raw.RopeLocal, &c.RopeLocal}} {
		if f.raw == nil {
			continue
		}
		if !(*f.raw > 0) || math.IsInf(*f.raw, 0) {
			return nil, fmt.Errorf("%q is %g, want a positive number", f.key, *f.raw)
		}
		*f.to = *f.raw
	}
	if raw.HeadDim != nil {
		c.HeadDim = *raw.HeadDim
	}
	if c.HeadDim <= 0 || c.HeadDim%2 != 0 {
		return nil, fmt.Errorf("\"head_dim\" is %d, want a positive even integer (rotary embeddings rotate pairs)", c.HeadDim)
	}
	if raw.Activation != nil {
		c.Activation = *raw.Activation
	}
	if !decoder.Activation(c.Activation) {
		return nil, fmt.Errorf("hidden_activation %q is not supported: want one of %v", c.Activation, decoder.Activations())
	}
	if raw.Window != nil {
		if *raw.Window <= 0 {
			return nil, fmt.Errorf("\"sliding_window\" is %d, want a positive integer", *raw.Window)
		}
		c.Window = *raw.Window
	}
	if err := c.layerTypes(raw); err != nil {
		return nil, err
	}
	if err := c.ropeScaling(raw.RopeScaling); err != nil {
		return nil, err
	}
	if err := c.softCaps(raw); err != nil {
		return nil, err
	}
	return c, nil
}

// layerTypes reads which layers are local: layer_types when given; else Gemma 3's
// sliding_window_pattern (every pattern-th layer global, 6 when absent) or Gemma 2's
// alternation (even layers local).
func (c *Config) layerTypes(raw rawConfig) error {
	c.Local = make([]bool, c.Layers)
	if raw.LayerTypes != nil {
		if len(raw.LayerTypes) != c.Layers {
			return fmt.Errorf("\"layer_types\" names %d layers but num_hidden_layers is %d", len(raw.LayerTypes), c.Layers)
		}
		for i, t := range raw.LayerTypes {
			switch t {
			case "sliding_attention":
				c.Local[i] = true
			case "full_attention":
			default:
				return fmt.Errorf("\"layer_types\"[%d] is %q: want \"sliding_attention\" or \"full_attention\"", i, t)
			}
		}
		return nil
	}
	pattern := 2 // Gemma 2: layers 0, 2, 4, … local
	if c.ModelType == "gemma3_text" {
		pattern = 6
		if raw.Pattern != nil {
			if *raw.Pattern <= 0 {
				return fmt.Errorf("\"sliding_window_pattern\" is %d, want a positive integer", *raw.Pattern)
			}
			pattern = *raw.Pattern
		}
	}
	for i := range c.Local {
		c.Local[i] = (i+1)%pattern != 0
	}
	return nil
}

// ropeScaling reads rope_scaling: none, or "linear" (global layers only).
func (c *Config) ropeScaling(scaling json.RawMessage) error {
	if len(scaling) == 0 || string(scaling) == "null" {
		return nil
	}
	var s struct {
		Type     string   `json:"type"`
		RopeType string   `json:"rope_type"`
		Factor   *float64 `json:"factor"`
	}
	if err := json.Unmarshal(scaling, &s); err != nil {
		return fmt.Errorf("\"rope_scaling\" is %s: want an object with \"rope_type\" and \"factor\"", scaling)
	}
	t := s.RopeType
	if t == "" {
		t = s.Type
	}
	var err error
	c.RopeFactor, err = family.LinearRopeFactor("rope_scaling", t, s.Factor)
	return err
}

// softCaps reads the soft-caps the model applies: Gemma 2 both (50 and 30 when absent, as
// Gemma2Config's defaults), Gemma 3 the final one only (none when absent).
func (c *Config) softCaps(raw rawConfig) error {
	gemma2 := c.ModelType == "gemma2"
	read := func(key string, v json.RawMessage, absent float64) (float64, error) {
		switch {
		case len(v) == 0:
			return absent, nil
		case string(v) == "null":
			return 0, nil
		}
		var f float64
		if err := json.Unmarshal(v, &f); err != nil || !(f > 0) {
			return 0, fmt.Errorf("%q is %s, want a positive number or null", key, v)
		}
		return f, nil
	}
	var err error
	if gemma2 {
		if c.AttnCap, err = read("attn_logit_softcapping", raw.AttnCap, 50); err != nil {
			return err
		}
	}
	absent := 0.0
	if gemma2 {
		absent = 30
	}
	c.FinalCap, err = read("final_logit_softcapping", raw.FinalCap, absent)
	return err
}

// Info describes the architecture for package ecco.
func (c *Config) Info() family.Info {
	return c.Sizes.Info(c.ModelType, c.KVHeads, "mlp.down_proj", "model.norm")
}
