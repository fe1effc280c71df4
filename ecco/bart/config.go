package bart

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/seq2seq"
)

// Variant is what a model_type switches on in the shared BART architecture.
type Variant struct {
	Positions seq2seq.PositionKind // Learned (rows from offset 2) or Sinusoidal
	PreLN     bool                 // pre-norm blocks, each stack ending with layer_norm
	EmbedNorm bool                 // layernorm_embedding after the embeddings
}

// Variants are the supported model types: BART, mBART and Pegasus differ only in these switches.
var Variants = map[string]Variant{
	"bart":    {Positions: seq2seq.Learned, EmbedNorm: true},
	"mbart":   {Positions: seq2seq.Learned, PreLN: true, EmbedNorm: true},
	"pegasus": {Positions: seq2seq.Sinusoidal, PreLN: true},
}

// unsupported explains model types of the same lineage whose position scheme or blocks this
// package does not compute.
var unsupported = map[string]string{
	"m2m_100":          "unsupported position scheme: sinusoidal positions numbered after the padding id",
	"marian":           "unsupported position scheme: sinusoidal positions without BART's offset, with post-norm blocks",
	"blenderbot":       "unsupported position scheme: learned positions without BART's offset",
	"blenderbot-small": "unsupported position scheme: learned positions without BART's offset",
	"led":              "unsupported position scheme and attention: Longformer's local+global attention",
	"bigbird_pegasus":  "unsupported attention: BigBird's block-sparse attention",
}

// Config is the architecture read from a HuggingFace BART-family `config.json`.
type Config struct {
	ModelType string
	Variant
	Width                        int // d_model, D
	EncoderLayers, DecoderLayers int
	EncoderHeads, DecoderHeads   int
	EncoderInner, DecoderInner   int // encoder_ffn_dim, decoder_ffn_dim: N
	MaxPositions                 int // max_position_embeddings
	Activation                   string
	ScaleEmbedding               bool // multiply token embeddings by √D
	Vocab                        int
	EOS                          []int
	start, bos                   *int
}

// eps is torch.nn.LayerNorm's default, which every BART-family LayerNorm uses.
const eps = 1e-5

type rawConfig struct {
	ModelType      string          `json:"model_type"`
	Width          *int            `json:"d_model"`
	EncoderLayers  *int            `json:"encoder_layers"`
	DecoderLayers  *int            `json:"decoder_layers"`
	EncoderHeads   *int            `json:"encoder_attention_heads"`
	DecoderHeads   *int            `json:"decoder_attention_heads"`
	EncoderInner   *int            `json:"encoder_ffn_dim"`
	DecoderInner   *int            `json:"decoder_ffn_dim"`
	Positions      *int            `json:"max_position_embeddings"`
	Activation     *string         `json:"activation_function"`
	ScaleEmbedding *bool           `json:"scale_embedding"`
	Vocab          *int            `json:"vocab_size"`
	EOS            json.RawMessage `json:"eos_token_id"`
	Start          *int            `json:"decoder_start_token_id"`
	BOS            *int            `json:"bos_token_id"`
}

// ParseConfig reads a BART, mBART or Pegasus config.json. activation_function defaults to
// "gelu" and scale_embedding to false, as in transformers.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	v, ok := Variants[raw.ModelType]
	if !ok {
		if why, known := unsupported[raw.ModelType]; known {
			return nil, fmt.Errorf("model_type %q: %s (supported: bart, mbart, pegasus)", raw.ModelType, why)
		}
		return nil, fmt.Errorf("model_type %q is not a BART-family model: want bart, mbart or pegasus", raw.ModelType)
	}
	c := &Config{ModelType: raw.ModelType, Variant: v, Activation: "gelu", start: raw.Start, bos: raw.BOS}
	if err := family.Positive(
		family.Required{Key: "d_model", From: raw.Width, To: &c.Width},
		family.Required{Key: "encoder_layers", From: raw.EncoderLayers, To: &c.EncoderLayers},
		family.Required{Key: "decoder_layers", From: raw.DecoderLayers, To: &c.DecoderLayers},
		family.Required{Key: "encoder_attention_heads", From: raw.EncoderHeads, To: &c.EncoderHeads},
		family.Required{Key: "decoder_attention_heads", From: raw.DecoderHeads, To: &c.DecoderHeads},
		family.Required{Key: "encoder_ffn_dim", From: raw.EncoderInner, To: &c.EncoderInner},
		family.Required{Key: "decoder_ffn_dim", From: raw.DecoderInner, To: &c.DecoderInner},
		family.Required{Key: "max_position_embeddings", From: raw.Positions, To: &c.MaxPositions},
		family.Required{Key: "vocab_size", From: raw.Vocab, To: &c.Vocab},
	); err != nil {
		return nil, err
	}
	for _, h := range []int{c.EncoderHeads, c.DecoderHeads} {
		if c.Width%h != 0 {
			return nil, fmt.Errorf("d_model %d does not divide into %d attention heads", c.Width, h)
		}
	}
	if raw.Activation != nil {
		c.Activation = *raw.Activation
	}
	if !decoder.Activation(c.Activation) {
		return nil, fmt.Errorf("unsupported activation_function %q: want one of %v", c.Activation, decoder.Activations())
	}
	if raw.ScaleEmbedding != nil {
		c.ScaleEmbedding = *raw.ScaleEmbedding
	}
	var err error
	if c.EOS, err = family.IDs(raw.EOS, "eos_token_id"); err != nil {
		return nil, err
	}
	return c, nil
}

// Start is the decoder's first id from config.json: decoder_start_token_id, else bos_token_id.
func (c *Config) Start() (int, error) { return seq2seq.StartID(c.start, c.bos) }

// Info describes the decoder stack.
func (c *Config) Info() family.Info {
	return c.info(c.DecoderLayers, c.DecoderHeads, c.DecoderInner, "decoder")
}

// EncoderInfo describes the encoder stack.
func (c *Config) EncoderInfo() family.Info {
	return c.info(c.EncoderLayers, c.EncoderHeads, c.EncoderInner, "encoder")
}

func (c *Config) info(layers, heads, inner int, stack string) family.Info {
	final := ""
	if c.PreLN {
		final = "model." + stack + ".layer_norm"
	}
	return family.Info{
		ModelType: c.ModelType, Layers: layers, Width: c.Width, Heads: heads, KVHeads: heads,
		Neurons: inner, Vocab: c.Vocab, Positions: c.MaxPositions, EOS: c.EOS,
		Capture: "fc2", FinalNorm: final,
	}
}

// embedScale is the token embeddings' factor inside the model: √D with scale_embedding, else none.
func (c *Config) embedScale() float64 {
	if c.ScaleEmbedding {
		return math.Sqrt(float64(c.Width))
	}
	return 0
}
