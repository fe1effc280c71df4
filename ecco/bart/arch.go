package bart

import (
	"fmt"
	"math"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/seq2seq"
)

const (
	shared     = "model.shared.weight"
	logitsBias = "final_logits_bias"
	// offset is the first learned position row BART uses (rows 0 and 1 are a fairseq leftover).
	offset = 2
)

// positions is the key of stack's position table.
func positions(stack string) string { return "model." + stack + ".embed_positions.weight" }

// layer is the key prefix of layer i of stack ("encoder", "decoder").
func layer(stack string, i int) string { return fmt.Sprintf("model.%s.layers.%d.", stack, i) }

func (c *Config) layers(stack string) (layers, heads, inner int) {
	if stack == "decoder" {
		return c.DecoderLayers, c.DecoderHeads, c.DecoderInner
	}
	return c.EncoderLayers, c.EncoderHeads, c.EncoderInner
}

// Spec lists the checkpoint's tensors: the shared embedding, each stack's learned position table
// (Sinusoidal ones are computed, and ignored when stored), embedding and final norms as the
// variant has them, the layers (every Linear with its bias) and final_logits_bias. The stacks'
// embed_tokens and lm_head copies of the shared matrix are accepted and ignored.
func (c *Config) Spec() decoder.Spec {
	s := decoder.Shapes{shared: {c.Vocab, c.Width}, logitsBias: {1, c.Vocab}}
	d := c.Width
	norm := func(prefix string) { s[prefix+".weight"], s[prefix+".bias"] = []int{d}, []int{d} }
	attention := func(prefix string) {
		for _, p := range []string{"q_proj", "k_proj", "v_proj", "out_proj"} {
			s.Linear(prefix+p, d, d, true)
		}
	}
	for _, stack := range []string{"encoder", "decoder"} {
		if c.Variant.Positions == seq2seq.Learned {
			s[positions(stack)] = []int{c.MaxPositions + offset, d}
		}
		if c.EmbedNorm {
			norm("model." + stack + ".layernorm_embedding")
		}
		if c.PreLN {
			norm("model." + stack + ".layer_norm")
		}
		layers, _, inner := c.layers(stack)
		for i := range layers {
			l := layer(stack, i)
			attention(l + "self_attn.")
			norm(l + "self_attn_layer_norm")
			if stack == "decoder" {
				attention(l + "encoder_attn.")
				norm(l + "encoder_attn_layer_norm")
			}
			s.Linear(l+"fc1", inner, d, true)
			s.Linear(l+"fc2", d, inner, true)
			norm(l + "final_layer_norm")
		}
	}
	return decoder.Spec{
		Family: c.ModelType, Want: s,
		Ignore: func(name string) bool {
			switch name {
			case "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight":
				return true
			}
			return c.Variant.Positions == seq2seq.Sinusoidal && (name == positions("encoder") || name == positions("decoder"))
		},
		Describe: fmt.Sprintf("model_type %s, encoder_layers %d, decoder_layers %d", c.ModelType, c.EncoderLayers, c.DecoderLayers),
		Linear: func(key string) bool {
			return strings.Contains(key, ".layers.") && strings.HasSuffix(key, ".weight") && !strings.Contains(key, "layer_norm")
		},
	}
}

// Arch states the variant as seq2seq pieces: attention scores scaled by head_dim^-0.5, biases
// everywhere, the tied head plus final_logits_bias.
func (c *Config) Arch() *seq2seq.Arch {
	return &seq2seq.Arch{
		Embedding: shared, EmbedScale: c.embedScale(), Head: shared, LogitsBias: logitsBias,
		Encoder: c.side("encoder"), Decoder: c.side("decoder"),
	}
}

func (c *Config) side(stack string) seq2seq.Side {
	norm := func(prefix string) decoder.Norm {
		return decoder.Norm{Kind: decoder.LayerNorm, Prefix: prefix + ".", Eps: eps}
	}
	layers, heads, _ := c.layers(stack)
	dh := c.Width / heads
	attention := func(prefix string) seq2seq.Attention {
		return seq2seq.Attention{Q: prefix + "q_proj.", K: prefix + "k_proj.", V: prefix + "v_proj.", Out: prefix + "out_proj.", Heads: heads, HeadDim: dh, Scale: 1 / math.Sqrt(float64(dh))}
	}
	s := seq2seq.Side{
		Positions: seq2seq.Positions{Kind: c.Variant.Positions, Table: positions(stack), Limit: c.MaxPositions},
		PreLN:     c.PreLN,
	}
	if s.Positions.Kind == seq2seq.Learned {
		s.Positions.Offset = offset
	}
	if c.EmbedNorm {
		n := norm("model." + stack + ".layernorm_embedding")
		s.EmbedNorm = &n
	}
	if c.PreLN {
		n := norm("model." + stack + ".layer_norm")
		s.Final = &n
	}
	for i := range layers {
		l := layer(stack, i)
		ly := seq2seq.Layer{
			Self: attention(l + "self_attn."), SelfNorm: norm(l + "self_attn_layer_norm"),
			FFN:     decoder.FeedForward{Up: l + "fc1.", Down: l + "fc2.", Act: c.Activation},
			FFNNorm: norm(l + "final_layer_norm"),
		}
		if stack == "decoder" {
			cross := attention(l + "encoder_attn.")
			ly.Cross, ly.CrossNorm = &cross, norm(l+"encoder_attn_layer_norm")
		}
		s.Layers = append(s.Layers, ly)
	}
	return s
}
