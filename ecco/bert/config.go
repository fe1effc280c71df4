package bert

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
)

// ModelType is config.json's model_type of BERT itself.
const ModelType = "bert"

// Config is the architecture read from an encoder's config.json.
type Config struct {
	Arch       *Arch
	Layers     int     // L, blocks applied
	Width      int     // D, the residual width
	EmbedWidth int     // E, the width of the embeddings (D unless embedding_size says otherwise)
	Project    bool    // whether an E → D projection follows the embedding norm
	Heads      int     // H
	Inner      int     // N, FFN neurons
	Positions  int     // max_position_embeddings: rows of the position table
	PosOffset  int     // the first position row used (RoBERTa: pad_token_id + 1)
	TypeVocab  int     // rows of the token-type table (0: none)
	Groups     int     // weight groups (ALBERT's num_hidden_groups; L otherwise)
	Vocab      int     // V
	Eps        float64 // every layer norm's epsilon
	Activation string  // "gelu" (erf), "gelu_new" or "relu"
}

// ParseConfig decodes and validates an encoder config's JSON; model_type picks the family
// (absent: BERT).
func ParseConfig(data []byte) (*Config, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	var modelType string
	if err := field(raw, "model_type", &modelType); err != nil {
		return nil, err
	}
	a, err := archOf(modelType)
	if err != nil {
		return nil, err
	}
	k := a.Keys
	c := &Config{Arch: a, Eps: k.FixedEps, Activation: k.DefaultActivation, Groups: -1}
	var layers, width, heads, inner, positions, vocab *int
	ints := map[string]**int{k.Layers: &layers, k.Width: &width, k.Heads: &heads, k.Inner: &inner,
		"max_position_embeddings": &positions, "vocab_size": &vocab}
	for key, to := range ints {
		if err := field(raw, key, to); err != nil {
			return nil, err
		}
	}
	if err := family.Positive(
		family.Required{Key: k.Layers, From: layers, To: &c.Layers},
		family.Required{Key: k.Width, From: width, To: &c.Width},
		family.Required{Key: k.Heads, From: heads, To: &c.Heads},
		family.Required{Key: k.Inner, From: inner, To: &c.Inner},
		family.Required{Key: "max_position_embeddings", From: positions, To: &c.Positions},
		family.Required{Key: "vocab_size", From: vocab, To: &c.Vocab},
	); err != nil {
		return nil, err
	}
	if c.Width%c.Heads != 0 {
		return nil, fmt.Errorf("%s %d is not a multiple of %s %d", k.Width, c.Width, k.Heads, c.Heads)
	}
	if err := c.parseOptional(raw); err != nil {
		return nil, err
	}
	if _, ok := activations[c.Activation]; !ok {
		return nil, fmt.Errorf("%s %q is not supported: want \"gelu\", \"gelu_new\" or \"relu\"", k.Activation, c.Activation)
	}
	if c.Positions <= c.PosOffset {
		return nil, fmt.Errorf("max_position_embeddings %d leaves no position after the offset pad_token_id + 1 = %d", c.Positions, c.PosOffset)
	}
	return c, nil
}

// parseOptional reads the keys with defaults and the switches the runtime does not implement.
func (c *Config) parseOptional(raw map[string]json.RawMessage) error {
	k := c.Arch.Keys
	if k.Eps != "" {
		if err := field(raw, k.Eps, &c.Eps); err != nil {
			return err
		}
		if !(c.Eps > 0) {
			return fmt.Errorf("%q is %g, want a positive number", k.Eps, c.Eps)
		}
	}
	if err := field(raw, k.Activation, &c.Activation); err != nil {
		return err
	}
	c.EmbedWidth = c.Width
	counts := []struct {
		key string
		to  *int
		def int
	}{{k.TypeVocab, &c.TypeVocab, 2}, {k.EmbedWidth, &c.EmbedWidth, 128}}
	for _, n := range counts {
		if n.key == "" {
			continue
		}
		*n.to = n.def
		if err := field(raw, n.key, n.to); err != nil {
			return err
		}
		if *n.to <= 0 {
			return fmt.Errorf("%q is %d, want a positive integer", n.key, *n.to)
		}
	}
	c.Project = c.Arch.Projection != "" && (k.Groups || c.EmbedWidth != c.Width)
	if k.PadOffset {
		pad := 1 // RobertaConfig's default
		if err := field(raw, "pad_token_id", &pad); err != nil {
			return err
		}
		if pad < 0 {
			return fmt.Errorf("\"pad_token_id\" is %d, want a token id", pad)
		}
		c.PosOffset = pad + 1
	}
	if k.PosType != "" {
		pos := "absolute"
		if err := field(raw, k.PosType, &pos); err != nil {
			return err
		}
		if pos != "absolute" {
			return fmt.Errorf("%s %q is not supported: want \"absolute\"", k.PosType, pos)
		}
	}
	var decoderFlag bool
	if err := field(raw, "is_decoder", &decoderFlag); err != nil {
		return err
	}
	if decoderFlag {
		return fmt.Errorf("\"is_decoder\" is true: a causal %s is not supported, only the bidirectional encoder", c.Arch.ModelType)
	}
	return c.parseGroups(raw)
}

// parseGroups reads ALBERT's weight sharing: num_hidden_groups groups of inner_group_num layers,
// layer i applying group i·G/L.
func (c *Config) parseGroups(raw map[string]json.RawMessage) error {
	c.Groups = c.Layers
	if !c.Arch.Keys.Groups {
		return nil
	}
	groups, inner := 1, 1
	if err := field(raw, "num_hidden_groups", &groups); err != nil {
		return err
	}
	if err := field(raw, "inner_group_num", &inner); err != nil {
		return err
	}
	if groups < 1 || groups > c.Layers {
		return fmt.Errorf("\"num_hidden_groups\" is %d, want 1 to num_hidden_layers (%d)", groups, c.Layers)
	}
	if inner != 1 {
		return fmt.Errorf("\"inner_group_num\" %d is not supported: want 1 (one layer per group, as every released ALBERT)", inner)
	}
	c.Groups = groups
	return nil
}

// field decodes raw[key] into to when present and not null.
func field(raw map[string]json.RawMessage, key string, to any) error {
	v, ok := raw[key]
	if key == "" || !ok || string(v) == "null" {
		return nil
	}
	if err := json.Unmarshal(v, to); err != nil {
		return fmt.Errorf("%q is %.40s: %w", key, v, err)
	}
	return nil
}

// group is the index of the weights layer i applies.
func (c *Config) group(i int) int { return i * c.Groups / c.Layers }

// usable is the number of positions a text may have.
func (c *Config) usable() int { return c.Positions - c.PosOffset }

// Info describes c in family terms.
func (c *Config) Info() family.Info {
	return family.Info{
		ModelType: c.Arch.ModelType, Layers: c.Layers, Width: c.Width, Heads: c.Heads, KVHeads: c.Heads,
		Neurons: c.Inner, Vocab: c.Vocab, Positions: c.usable(), Capture: strings.TrimSuffix(c.Arch.FFNOut, "."),
	}
}
