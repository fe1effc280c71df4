package gptneo

import (
	"encoding/json"
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// Config is the architecture read from a GPT-Neo config.json.
type Config struct {
	Layers     int      // num_layers
	Width      int      // hidden_size, D
	Heads      int      // num_heads
	Inner      int      // intermediate_size, or 4·D when null
	Positions  int      // max_position_embeddings
	Vocab      int      // vocab_size
	Window     int      // window_size of local layers
	Attention  []string // per layer: "global" or "local"
	Eps        float64  // layer_norm_epsilon
	Activation string   // activation_function
	EOS        []int    // eos_token_id
}

type rawConfig struct {
	ModelType       string          `json:"model_type"`
	Layers          *int            `json:"num_layers"`
	Width           *int            `json:"hidden_size"`
	Heads           *int            `json:"num_heads"`
	Inner           *int            `json:"intermediate_size"`
	Positions       *int            `json:"max_position_embeddings"`
	Vocab           *int            `json:"vocab_size"`
	Window          *int            `json:"window_size"`
	AttentionTypes  json.RawMessage `json:"attention_types"`
	AttentionLayers []string        `json:"attention_layers"`
	Eps             *float64        `json:"layer_norm_epsilon"`
	Activation      *string         `json:"activation_function"`
	EOS             json.RawMessage `json:"eos_token_id"`
}

// ParseConfig decodes and validates the JSON of a GPT-Neo config.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if raw.ModelType != "gpt_neo" {
		return nil, fmt.Errorf("model_type %q is not \"gpt_neo\"", raw.ModelType)
	}
	c := &Config{Window: 256, Eps: 1e-5, Activation: "gelu_new"}
	if err := family.Positive(
		family.Required{Key: "num_layers", From: raw.Layers, To: &c.Layers},
		family.Required{Key: "hidden_size", From: raw.Width, To: &c.Width},
		family.Required{Key: "num_heads", From: raw.Heads, To: &c.Heads},
		family.Required{Key: "max_position_embeddings", From: raw.Positions, To: &c.Positions},
		family.Required{Key: "vocab_size", From: raw.Vocab, To: &c.Vocab},
	); err != nil {
		return nil, err
	}
	if c.Width%c.Heads != 0 {
		return nil, fmt.Errorf("hidden_size %d is not a multiple of num_heads %d", c.Width, c.Heads)
	}
	c.Inner = 4 * c.Width
	if raw.Inner != nil {
		if *raw.Inner <= 0 {
			return nil, fmt.Errorf("\"intermediate_size\" is %d, want a positive integer or null", *raw.Inner)
		}
		c.Inner = *raw.Inner
	}
	if raw.Window != nil {
		if *raw.Window <= 0 {
			return nil, fmt.Errorf("\"window_size\" is %d, want a positive integer", *raw.Window)
		}
		c.Window = *raw.Window
	}
	if raw.Eps != nil {
		if !(*raw.Eps > 0) {
			return nil, fmt.Errorf("\"layer_norm_epsilon\" is %g, want a positive number", *raw.Eps)
		}
		c.Eps = *raw.Eps
	}
	if raw.Activation != nil {
		c.Activation = *raw.Activation
	}
	if !decoder.Activation(c.Activation) {
		return nil, fmt.Errorf("activation_function %q is not supported: want one of %v", c.Activation, decoder.Activations())
	}
	var err error
	if c.Attention, err = attentionLayers(raw); err != nil {
		return nil, err
	}
	if len(c.Attention) != c.Layers {
		return nil, fmt.Errorf("attention_layers names %d layers but num_layers is %d", len(c.Attention), c.Layers)
	}
	if c.EOS, err = family.IDs(raw.EOS, "eos_token_id"); err != nil {
		return nil, err
	}
	return c, nil
}

// attentionLayers expands attention_types ([[["global", "local"], 12]] repeats the pattern 12
// times) or reads attention_layers, and checks every entry.
func attentionLayers(raw rawConfig) ([]string, error) {
	layers := raw.AttentionLayers
	if len(raw.AttentionTypes) > 0 && string(raw.AttentionTypes) != "null" {
		var types [][2]json.RawMessage
		if err := json.Unmarshal(raw.AttentionTypes, &types); err != nil {
			return nil, fmt.Errorf("\"attention_types\" is %s: want [[[\"global\", \"local\"], repeats], ...]", raw.AttentionTypes)
		}
		layers = nil
		for _, t := range types {
			var pattern []string
			var repeats int
			if json.Unmarshal(t[0], &pattern) != nil || json.Unmarshal(t[1], &repeats) != nil || repeats < 0 {
				return nil, fmt.Errorf("\"attention_types\" entry [%s, %s]: want [[\"global\", \"local\"], repeats]", t[0], t[1])
			}
			for range repeats {
				layers = append(layers, pattern...)
			}
		}
	}
	for i, a := range layers {
		if a != "global" && a != "local" {
			return nil, fmt.Errorf("attention type %q of layer %d: want \"global\" or \"local\"", a, i)
		}
	}
	return layers, nil
}

// Info describes the architecture for package ecco.
func (c *Config) Info() family.Info {
	return family.Info{
		ModelType: "gpt_neo", Layers: c.Layers, Width: c.Width, Heads: c.Heads, KVHeads: c.Heads,
		Neurons: c.Inner, Vocab: c.Vocab, Positions: c.Positions, EOS: c.EOS,
		Capture: "mlp.c_proj", FinalNorm: "ln_f",
	}
}
