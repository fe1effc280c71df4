package llama

import (
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// arch is the LLaMA-family graph code (decoder.Arch). Keys are HuggingFace's, "model.layers.{i}...".
type arch struct {
	c   *Config
	inv []float64 // rotary inverse frequencies
}

const embedKey = "model.embed_tokens.weight"

func (a *arch) Embed(p decoder.Params, ids *Node) *Node {
	return Gather(p.Get(embedKey), InsertAxes(ids, -1))
}

// Input: LLaMA has no position embeddings; positions enter through RoPE in every layer.
func (a *arch) Input(_ decoder.Params, embeds, _ *Node) *Node { return embeds }

func (a *arch) Block(p decoder.Params, i int, x, positions *Node, past *decoder.KV, tap *decoder.Tap) (*Node, *Node, decoder.KV) {
	c, layer := a.c, fmt.Sprintf("model.layers.%d.", i)
	core := decoder.Attention{Scale: 1 / math.Sqrt(float64(c.HeadDim)), Window: c.Windows[i], Record: tap.Recorder(i)}
	attn, present := a.attention(p, layer, p.RMSNorm(layer+"input_layernorm.", x, c.Eps), positions, past, core)
	x = Add(x, attn)
	h := p.RMSNorm(layer+"post_attention_layernorm.", x, c.Eps)
	gate := p.Linear(layer+"mlp.gate_proj.", h)
	neurons := tap.Neurons(i, Mul(Mul(gate, Sigmoid(gate)), p.Linear(layer+"mlp.up_proj.", h))) // silu(gate)·up: [B, T, N]
	return Add(x, p.Linear(layer+"mlp.down_proj.", neurons)), neurons, present
}

// attention is causal self-attention with rotary embeddings and grouped key/value heads over
// h [B, T, D], as core says (scale, window, recorder): [B, T, D] and the cache extended by the
// new (rotated) keys and values.
func (a *arch) attention(p decoder.Params, layer string, h, positions *Node, past *decoder.KV, core decoder.Attention) (*Node, decoder.KV) {
	c := a.c
	q := decoder.SplitHeads(p.Linear(layer+"self_attn.q_proj.", h), c.Heads)
	k := decoder.SplitHeads(p.Linear(layer+"self_attn.k_proj.", h), c.KVHeads)
	v := decoder.SplitHeads(p.Linear(layer+"self_attn.v_proj.", h), c.KVHeads)
	cos, sin := rotary(positions, a.inv)
	cache := decoder.Extend(past, rotate(k, cos, sin), v)
	out := core.Attend(rotate(q, cos, sin), cache.K, cache.V, positions)
	return p.Linear(layer+"self_attn.o_proj.", out), cache
}

func (a *arch) Norm(p decoder.Params, x *Node) *Node { return p.RMSNorm("model.norm.", x, a.c.Eps) }

func (a *arch) LMHead() string {
	if a.c.Tied {
		return embedKey
	}
	return "lm_head.weight"
}
