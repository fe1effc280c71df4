package gptneo

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/gpt2"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// arch is GPT-Neo's graph code (decoder.Arch). Keys are HuggingFace's, "transformer.h.{i}...".
type arch struct {
	c   *Config
	act func(*Node) *Node
}

const (
	embedKey    = "transformer.wte.weight"
	positionKey = "transformer.wpe.weight"
)

func (a *arch) Embed(p decoder.Params, ids *Node) *Node {
	return Gather(p.Get(embedKey), InsertAxes(ids, -1))
}

// Input adds the learned position embeddings of positions [T] to embeds [B, T, D].
func (a *arch) Input(p decoder.Params, embeds, positions *Node) *Node {
	t := positions.Shape().Dimensions[0]
	return Add(embeds, Reshape(Gather(p.Get(positionKey), InsertAxes(positions, -1)), 1, t, a.c.Width))
}

func (a *arch) Block(p decoder.Params, i int, x, positions *Node, past *decoder.KV, tap *decoder.Tap) (*Node, *Node, decoder.KV) {
	c, layer := a.c, fmt.Sprintf("transformer.h.%d.", i)
	h := p.LayerNorm(layer+"ln_1.", x, c.Eps)
	attn := layer + "attn.attention."
	q := decoder.SplitHeads(p.Linear(attn+"q_proj.", h), c.Heads)
	k := decoder.SplitHeads(p.Linear(attn+"k_proj.", h), c.Heads)
	v := decoder.SplitHeads(p.Linear(attn+"v_proj.", h), c.Heads)
	cache := decoder.Extend(past, k, v)
	core := decoder.Attention{Scale: 1, Record: tap.Recorder(i)} // GPT-Neo does not scale q·k
	if c.Attention[i] == "local" {
		core.Window = c.Window
	}
	x = Add(x, p.Linear(attn+"out_proj.", core.Attend(q, cache.K, cache.V, positions)))
	neurons := tap.Neurons(i, a.act(p.Linear(layer+"mlp.c_fc.", p.LayerNorm(layer+"ln_2.", x, c.Eps))))
	return Add(x, p.Linear(layer+"mlp.c_proj.", neurons)), neurons, cache
}

func (a *arch) Norm(p decoder.Params, x *Node) *Node {
	return p.LayerNorm("transformer.ln_f.", x, a.c.Eps)
}

func (a *arch) LMHead() string { return embedKey }

// Arch is the graph code of c, with the activation function it names (checked by ParseConfig).
func (c *Config) Arch() decoder.Arch {
	act, _ := gpt2.Activation(c.Activation)
	return &arch{c: c, act: act}
}
