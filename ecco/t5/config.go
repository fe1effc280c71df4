package t5

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/seq2seq"
)

// Config is the architecture read from a HuggingFace T5 `config.json` (t5, mt5).
type Config struct {
	ModelType      string // "t5" or "mt5"
	Width          int    // d_model, D
	HeadDim        int    // d_kv
	Heads          int    // num_heads
	Inner          int    // d_ff, N
	EncoderLayers  int    // num_layers
	DecoderLayers  int    // num_decoder_layers (num_layers when absent)
	Buckets        int    // relative_attention_num_buckets
	MaxDistance    int    // relative_attention_max_distance
	Activation     string // the FFN's activation (decoder.Activations), from feed_forward_proj
	Gated          bool   // gated FFN (v1.1's "gated-gelu"): act(wi_0·x) ⊙ wi_1·x
	Eps            float64
	Vocab          int
	Tied           bool // tie_word_embeddings (absent: true): the head is shared, rescaled by D^-0.5
	EOS            []int
	start          *int
	bos            *int
	feedForwardKey string // feed_forward_proj as written, for messages
}

// rawConfig mirrors the JSON keys; pointers tell absent from zero.
type rawConfig struct {
	ModelType     string          `json:"model_type"`
	Width         *int            `json:"d_model"`
	HeadDim       *int            `json:"d_kv"`
	Heads         *int            `json:"num_heads"`
	Inner         *int            `json:"d_ff"`
	Layers        *int            `json:"num_layers"`
	DecoderLayers *int            `json:"num_decoder_layers"`
	Buckets       *int            `json:"relative_attention_num_buckets"`
	MaxDistance   *int            `json:"relative_attention_max_distance"`
	FeedForward   *string         `json:"feed_forward_proj"`
	Eps           *float64        `json:"layer_norm_epsilon"`
	Vocab         *int            `json:"vocab_size"`
	Tied          *bool           `json:"tie_word_embeddings"`
	EOS           json.RawMessage `json:"eos_token_id"`
	Start         *int            `json:"decoder_start_token_id"`
	BOS           *int            `json:"bos_token_id"`
}

// ParseConfig reads a T5 config.json, with transformers' T5Config defaults for absent keys.
func ParseConfig(data []byte) (*Config, error) {
	var raw rawConfig
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	switch raw.ModelType {
	case "t5", "mt5":
	case "umt5":
		return nil, fmt.Errorf("model_type %q: unsupported position scheme (UMT5 gives every block its own relative-position bias; this package reads T5's, shared from block 0)", raw.ModelType)
	default:
		return nil, fmt.Errorf("model_type %q is not a T5 model: want \"t5\" or \"mt5\"", raw.ModelType)
	}
	c := &Config{ModelType: raw.ModelType, Buckets: 32, MaxDistance: 128, Eps: 1e-6, Tied: true, start: raw.Start, bos: raw.BOS}
	if err := family.Positive(
		family.Required{Key: "d_model", From: raw.Width, To: &c.Width},
		family.Required{Key: "d_kv", From: raw.HeadDim, To: &c.HeadDim},
		family.Required{Key: "num_heads", From: raw.Heads, To: &c.Heads},
		family.Required{Key: "d_ff", From: raw.Inner, To: &c.Inner},
		family.Required{Key: "num_layers", From: raw.Layers, To: &c.EncoderLayers},
		family.Required{Key: "vocab_size", From: raw.Vocab, To: &c.Vocab},
	); err != nil {
		return nil, err
	}
	c.DecoderLayers = c.EncoderLayers
	optional := []family.Required{}
	for _, o := range []struct {
		key  string
		from *int
		to   *int
	}{{"num_decoder_layers", raw.DecoderLayers, &c.DecoderLayers}, {"relative_attention_num_buckets", raw.Buckets, &c.Buckets}, {"relative_attention_max_distance", raw.MaxDistance, &c.MaxDistance}} {
		if o.from != nil {
			optional = append(optional, family.Required{Key: o.key, From: o.from, To: o.to})
		}
	}
	if err := family.Positive(optional...); err != nil {
		return nil, err
	}
	if c.Buckets < 4 || c.MaxDistance < c.Buckets/2 {
		return nil, fmt.Errorf("unsupported position scheme: relative_attention_num_buckets %d and relative_attention_max_distance %d (want at least 4 buckets and a distance of at least half of them)", c.Buckets, c.MaxDistance)
	}
	if raw.Eps != nil {
		c.Eps = *raw.Eps
	}
	if raw.Tied != nil {
		c.Tied = *raw.Tied
	}
	c.feedForwardKey = "relu"
	if raw.FeedForward != nil {
		c.feedForwardKey = *raw.FeedForward
	}
	var err error
	if c.Activation, c.Gated, err = feedForward(c.feedForwardKey); err != nil {
		return nil, err
	}
	if c.EOS, err = family.IDs(raw.EOS, "eos_token_id"); err != nil {
		return nil, err
	}
	return c, nil
}

// feedForward reads feed_forward_proj as transformers does: "act" or "gated-act", where
// "gated-gelu" means the tanh GELU (v1.1).
func feedForward(proj string) (act string, gated bool, err error) {
	parts := strings.Split(proj, "-")
	act = parts[len(parts)-1]
	gated = parts[0] == "gated"
	if len(parts) > 2 || (len(parts) == 2 && !gated) || !decoder.Activation(act) {
		return "", false, fmt.Errorf("unsupported feed_forward_proj %q: want \"relu\", \"gated-gelu\" or another \"[gated-]act\" with act one of %v", proj, decoder.Activations())
	}
	if proj == "gated-gelu" {
		act = "gelu_new"
	}
	return act, gated, nil
}

// Start is the decoder's first id from config.json: decoder_start_token_id, else bos_token_id.
func (c *Config) Start() (int, error) { return seq2seq.StartID(c.start, c.bos) }

// Info describes the decoder stack. T5's relative positions set no length limit.
func (c *Config) Info() family.Info {
	return c.info(c.DecoderLayers, "layer.2.DenseReluDense.wo", "decoder.final_layer_norm")
}

// EncoderInfo describes the encoder stack.
func (c *Config) EncoderInfo() family.Info {
	return c.info(c.EncoderLayers, "layer.1.DenseReluDense.wo", "encoder.final_layer_norm")
}

func (c *Config) info(layers int, capture, final string) family.Info {
	return family.Info{
		ModelType: c.ModelType, Layers: layers, Width: c.Width, Heads: c.Heads, KVHeads: c.Heads,
		Neurons: c.Inner, Vocab: c.Vocab, Positions: math.MaxInt32, EOS: c.EOS,
		Capture: capture, FinalNorm: final,
	}
}
