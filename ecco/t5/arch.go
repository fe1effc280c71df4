package t5

import (
	"fmt"
	"math"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/seq2seq"
)

const (
	shared = "shared.weight"
	lmHead = "lm_head.weight"
)

// block is the key prefix of block i of stack ("encoder", "decoder").
func block(stack string, i int) string { return fmt.Sprintf("%s.block.%d.", stack, i) }

// biasTable is the relative-position bias of stack, stored in its block 0 only.
func biasTable(stack string) string {
	return stack + ".block.0.layer.0.SelfAttention.relative_attention_bias.weight"
}

// ffnLayer is the index of the feed-forward sublayer in a block of stack.
func ffnLayer(stack string) int {
	if stack == "decoder" {
		return 2
	}
	return 1
}

// Spec lists the checkpoint's tensors: the shared embedding, each stack's blocks (attention
// without biases, the bias table in block 0), the scale-only norms, and lm_head when untied.
// The stacks' embed_tokens copies of the shared matrix are accepted and ignored, as is a tied
// checkpoint's stored lm_head.
func (c *Config) Spec() decoder.Spec {
	s := decoder.Shapes{shared: {c.Vocab, c.Width}}
	inner := c.Heads * c.HeadDim
	attention := func(prefix string) {
		for _, p := range []string{"q", "k", "v"} {
			s.Linear(prefix+p, inner, c.Width, false)
		}
		s.Linear(prefix+"o", c.Width, inner, false)
	}
	for _, stack := range []string{"encoder", "decoder"} {
		s[biasTable(stack)] = []int{c.Buckets, c.Heads}
		s[stack+".final_layer_norm.weight"] = []int{c.Width}
		for i := range c.layers(stack) {
			l := block(stack, i)
			attention(l + "layer.0.SelfAttention.")
			s[l+"layer.0.layer_norm.weight"] = []int{c.Width}
			if stack == "decoder" {
				attention(l + "layer.1.EncDecAttention.")
				s[l+"layer.1.layer_norm.weight"] = []int{c.Width}
			}
			f := fmt.Sprintf("%slayer.%d.", l, ffnLayer(stack))
			if c.Gated {
				s.Linear(f+"DenseReluDense.wi_0", c.Inner, c.Width, false)
				s.Linear(f+"DenseReluDense.wi_1", c.Inner, c.Width, false)
			} else {
				s.Linear(f+"DenseReluDense.wi", c.Inner, c.Width, false)
			}
			s.Linear(f+"DenseReluDense.wo", c.Width, c.Inner, false)
			s[f+"layer_norm.weight"] = []int{c.Width}
		}
	}
	if !c.Tied {
		s[lmHead] = []int{c.Vocab, c.Width}
	}
	return decoder.Spec{
		Family: c.ModelType, Want: s,
		Ignore: func(name string) bool {
			return name == "encoder.embed_tokens.weight" || name == "decoder.embed_tokens.weight" || (c.Tied && name == lmHead)
		},
		Describe: fmt.Sprintf("num_layers %d, num_decoder_layers %d, feed_forward_proj %q, tie_word_embeddings %v", c.EncoderLayers, c.DecoderLayers, c.feedForwardKey, c.Tied),
		Linear: func(key string) bool {
			return strings.Contains(key, ".block.") && !strings.Contains(key, "relative_attention_bias") && !strings.HasSuffix(key, "layer_norm.weight")
		},
	}
}

func (c *Config) layers(stack string) int {
	if stack == "decoder" {
		return c.DecoderLayers
	}
	return c.EncoderLayers
}

// Arch states T5 as seq2seq pieces: pre-norm blocks with scale-only RMS norms, unscaled
// attention scores plus the bucketed relative-position bias of block 0, and the tied head
// rescaled by D^-0.5 (an untied lm_head is applied as it is).
func (c *Config) Arch() *seq2seq.Arch {
	a := &seq2seq.Arch{Embedding: shared, Head: lmHead, Encoder: c.side("encoder"), Decoder: c.side("decoder")}
	if c.Tied {
		a.Head, a.HeadScale = shared, 1/math.Sqrt(float64(c.Width))
	}
	return a
}

func (c *Config) side(stack string) seq2seq.Side {
	norm := func(prefix string) decoder.Norm {
		return decoder.Norm{Kind: decoder.RMSNorm, Prefix: prefix, Eps: c.Eps}
	}
	attention := func(prefix string) seq2seq.Attention {
		return seq2seq.Attention{Q: prefix + "q.", K: prefix + "k.", V: prefix + "v.", Out: prefix + "o.", Heads: c.Heads, HeadDim: c.HeadDim, Scale: 1}
	}
	final := norm(stack + ".final_layer_norm.")
	s := seq2seq.Side{
		Positions: seq2seq.Positions{Kind: seq2seq.Relative, Table: biasTable(stack), Buckets: c.Buckets, MaxDistance: c.MaxDistance, Bidirectional: stack == "encoder"},
		PreLN:     true,
		Final:     &final,
	}
	for i := range c.layers(stack) {
		l := block(stack, i)
		f := fmt.Sprintf("%slayer.%d.", l, ffnLayer(stack))
		ffn := decoder.FeedForward{Up: f + "DenseReluDense.wi.", Down: f + "DenseReluDense.wo.", Act: c.Activation}
		if c.Gated {
			ffn.Gate, ffn.Up = f+"DenseReluDense.wi_0.", f+"DenseReluDense.wi_1."
		}
		layer := seq2seq.Layer{
			Self: attention(l + "layer.0.SelfAttention."), SelfNorm: norm(l + "layer.0.layer_norm."),
			FFN: ffn, FFNNorm: norm(f + "layer_norm."),
		}
		if stack == "decoder" {
			cross := attention(l + "layer.1.EncDecAttention.")
			layer.Cross, layer.CrossNorm = &cross, norm(l+"layer.1.layer_norm.")
		}
		s.Layers = append(s.Layers, layer)
	}
	return s
}
