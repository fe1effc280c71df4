package bert

import (
	"encoding/json"
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
)

// ModelType is config.json's model_type for this family.
const ModelType = "bert"

// Config is the architecture read from a BERT config.json.
type Config struct {
	Layers     int     // num_hidden_layers, L
	Width      int     // hidden_size, D
	Heads      int     // num_attention_heads, H
	Inner      int     // intermediate_size, N
	Positions  int     // max_position_embeddings
	TypeVocab  int     // type_vocab_size
	Vocab      int     // vocab_size, V
	Eps        float64 // layer_norm_eps
	Activation string  // hidden_act: "gelu" (erf), "gelu_new" or "relu"
}

type rawConfig struct {
	ModelType  string   `json:"model_type"`
	Layers     *int     `json:"num_hidden_layers"`
	Width      *int     `json:"hidden_size"`
	Heads      *int     `json:"num_attention_heads"`
	Inner      *int     `json:"intermediate_size"`
	Positions  *int     `json:"max_position_embeddings"`
	TypeVocab  *int     `json:"type_vocab_size"`
	Vocab      *int     `json:"vocab_size"`
	Eps        *float64 `json:"layer_norm_eps"`
	Activation *string  `json:"hidden_act"`
	PosType    *string  `json:"position_embedding_type"`
}

// ParseConfig decodes and validates a BERT config's JSON.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if raw.ModelType != "" && raw.ModelType != ModelType {
		return nil, fmt.Errorf("model_type %q is not %q", raw.ModelType, ModelType)
	}
	c := &Config{Eps: 1e-12, Activation: "gelu", TypeVocab: 2}
	if raw.TypeVocab == nil {
		raw.TypeVocab = &c.TypeVocab
	}
	if err := family.Positive(
		family.Required{Key: "num_hidden_layers", From: raw.Layers, To: &c.Layers},
		family.Required{Key: "hidden_size", From: raw.Width, To: &c.Width},
		family.Required{Key: "num_attention_heads", From: raw.Heads, To: &c.Heads},
		family.Required{Key: "intermediate_size", From: raw.Inner, To: &c.Inner},
		family.Required{Key: "max_position_embeddings", From: raw.Positions, To: &c.Positions},
		family.Required{Key: "type_vocab_size", From: raw.TypeVocab, To: &c.TypeVocab},
		family.Required{Key: "vocab_size", From: raw.Vocab, To: &c.Vocab},
	); err != nil {
		return nil, err
	}
	if c.Width%c.Heads != 0 {
		return nil, fmt.Errorf("hidden_size %d is not a multiple of num_attention_heads %d", c.Width, c.Heads)
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
	if _, ok := activations[c.Activation]; !ok {
		return nil, fmt.Errorf("hidden_act %q is not supported: want \"gelu\", \"gelu_new\" or \"relu\"", c.Activation)
	}
	if raw.PosType != nil && *raw.PosType != "absolute" {
		return nil, fmt.Errorf("position_embedding_type %q is not supported: want \"absolute\"", *raw.PosType)
	}
	return c, nil
}

// Info describes c in family terms.
func (c *Config) Info() family.Info {
	return family.Info{
		ModelType: ModelType, Layers: c.Layers, Width: c.Width, Heads: c.Heads, KVHeads: c.Heads,
		Neurons: c.Inner, Vocab: c.Vocab, Positions: c.Positions, Capture: "output.dense",
	}
}
