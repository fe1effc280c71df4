package neox

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// Config is the architecture read from a GPT-NeoX config.json.
type Config struct {
	family.Sizes
	HeadDim    int     // D / heads
	RotaryDims int     // r = int(HeadDim·rotary_pct): the rotated dimensions of each head (even)
	RotaryBase float64 // rotary_emb_base (or rope_theta)
	RopeFactor float64 // rope_scaling "linear": positions divided by factor; 1 for none
	Parallel   bool    // use_parallel_residual
	Tied       bool    // tie_word_embeddings: embed_out is embed_in
	Bias       bool    // attention_bias: biases on query_key_value and dense
	Eps        float64 // layer_norm_eps
	Activation string  // hidden_act
}

type rawConfig struct {
	family.HubSizes
	ModelType   string          `json:"model_type"`
	RotaryPct   *float64        `json:"rotary_pct"`
	RotaryBase  *float64        `json:"rotary_emb_base"`
	RopeTheta   *float64        `json:"rope_theta"`
	RopeScaling json.RawMessage `json:"rope_scaling"`
	// transformers 5's names
	RopeParameters json.RawMessage `json:"rope_parameters"`
	PartialFactor  *float64        `json:"partial_rotary_factor"`
	Parallel       *bool           `json:"use_parallel_residual"`
	Tied           *bool           `json:"tie_word_embeddings"`
	Bias           *bool           `json:"attention_bias"`
	Eps            *float64        `json:"layer_norm_eps"`
	Activation     *string         `json:"hidden_act"`
}

// ParseConfig decodes and validates the JSON of a GPT-NeoX config; absent keys take
// GPTNeoXConfig's defaults.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if raw.ModelType != "gpt_neox" {
		return nil, fmt.Errorf("model_type %q is not \"gpt_neox\"", raw.ModelType)
	}
	c := &Config{RotaryBase: 10000, RopeFactor: 1, Parallel: true, Bias: true, Eps: 1e-5, Activation: "gelu"}
	var err error
	if c.Sizes, err = raw.Read(); err != nil {
		return nil, err
	}
	if c.Width%c.Heads != 0 {
		return nil, fmt.Errorf("hidden_size %d is not a multiple of num_attention_heads %d", c.Width, c.Heads)
	}
	c.HeadDim = c.Width / c.Heads
	if err := c.rotary(raw); err != nil {
		return nil, err
	}
	if raw.Eps != nil {
		if !(*raw.Eps > 0) {
			return nil, fmt.Errorf("\"layer_norm_eps\" is %g, want a positive number", *raw.Eps)
		}
		c.Eps = *raw.Eps
	}
	if raw.Activation != nil {
		c.Activation = *raw.Activation
	}
	if !decoder.Activation(c.Activation) {
		return nil, fmt.Errorf("hidden_act %q is not supported: want one of %v", c.Activation, decoder.Activations())
	}
	if raw.Parallel != nil {
		c.Parallel = *raw.Parallel
	}
	if raw.Bias != nil {
		c.Bias = *raw.Bias
	}
	c.Tied = raw.Tied != nil && *raw.Tied
	return c, nil
}

// ropeObject is rope_scaling, or transformers 5's rope_parameters, which also carries the base
// and the rotated fraction.
type ropeObject struct {
	Type      string   `json:"type"`
	RopeType  string   `json:"rope_type"`
	Factor    *float64 `json:"factor"`
	RopeTheta *float64 `json:"rope_theta"`
	Partial   *float64 `json:"partial_rotary_factor"`
}

// rotary reads the rotated fraction (rotary_pct), the base (rotary_emb_base) and rope_scaling,
// or the same under transformers 5's names.
func (c *Config) rotary(raw rawConfig) error {
	key, scaling := "rope_scaling", raw.RopeScaling
	if len(raw.RopeParameters) > 0 && string(raw.RopeParameters) != "null" {
		key, scaling = "rope_parameters", raw.RopeParameters
	}
	var s ropeObject
	if len(scaling) > 0 && string(scaling) != "null" {
		if err := json.Unmarshal(scaling, &s); err != nil {
			return fmt.Errorf("%q is %s: want an object with \"type\" and \"factor\"", key, scaling)
		}
	}
	pct, pctKey := 0.25, "rotary_pct"
	for _, p := range []struct { // the last one set wins
		key   string
		value *float64
	}{{key + ".partial_rotary_factor", s.Partial}, {"partial_rotary_factor", raw.PartialFactor}, {"rotary_pct", raw.RotaryPct}} {
		if p.value != nil {
			pct, pctKey = *p.value, p.key
		}
	}
	if !(pct >= 0 && pct <= 1) {
		return fmt.Errorf("%q is %g, want a fraction in [0, 1]", pctKey, pct)
	}
	c.RotaryDims = int(float64(c.HeadDim) * pct)
	if c.RotaryDims%2 != 0 {
		return fmt.Errorf("%q %g gives %d rotary dimensions of head width %d: rotary embeddings rotate pairs, want an even number", pctKey, pct, c.RotaryDims, c.HeadDim)
	}
	for _, b := range []*float64{raw.RotaryBase, raw.RopeTheta, s.RopeTheta} {
		if b != nil {
			c.RotaryBase = *b
		}
	}
	if !(c.RotaryBase > 0) || math.IsInf(c.RotaryBase, 0) {
		return fmt.Errorf("\"rotary_emb_base\" is %g, want a positive number", c.RotaryBase)
	}
	t := s.Type
	if t == "" {
		t = s.RopeType
	}
	var err error
	c.RopeFactor, err = family.LinearRopeFactor(key, t, s.Factor)
	return err
}

// InverseFrequencies are the rotary frequencies base^(−2j/r), j < r/2, over the r rotated
// dimensions, divided by a linear rope_scaling factor; nil when nothing rotates.
func (c *Config) InverseFrequencies() []float64 {
	if c.RotaryDims == 0 {
		return nil
	}
	inv := decoder.RotaryFrequencies(c.RotaryBase, c.RotaryDims)
	for j := range inv {
		inv[j] /= c.RopeFactor
	}
	return inv
}

// Info describes the architecture for package ecco.
func (c *Config) Info() family.Info {
	return c.Sizes.Info("gpt_neox", c.Heads, "mlp.dense_4h_to_h", "final_layer_norm")
}
