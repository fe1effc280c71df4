package main

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// shape is the architecture of a test model.
type shape struct {
	layers, width, heads, inner, positions, vocab int
}

// initStd is GPT-2's initializer_range.
const initStd = 0.02

// maskedBias is the value real GPT-2 checkpoints store in attn.masked_bias.
const maskedBias = -1e4

// parameters counts the weights a checkpoint of s holds (without attention buffers).
func (s shape) parameters() int64 {
	d, n, l := int64(s.width), int64(s.inner), int64(s.layers)
	perLayer := 4*d + // ln_1, ln_2
		d*3*d + 3*d + d*d + d + // attention
		d*n + n + n*d + d // MLP
	return int64(s.vocab)*d + int64(s.positions)*d + 2*d + l*perLayer
}

// tensorSpec is one tensor to create: its name without prefix, shape and how to fill it.
type tensorSpec struct {
	name  string
	shape []int
	fill  func(name string, data []float32)
}

// gpt2Tensors lists a checkpoint's tensors, initialised as HuggingFace's GPT-2 does: embeddings
// and Conv1D weights normal(0, 0.02), the residual projections (c_proj) normal(0,
// 0.02/sqrt(2·layers)), biases 0, layer norms weight 1 and bias 0. With buffers, each layer also
// gets the attn.bias causal mask and attn.masked_bias of real `gpt2` checkpoints.
func gpt2Tensors(s shape, seed uint64, buffers bool) []tensorSpec {
	d, n := s.width, s.inner
	normal := func(std float64) func(string, []float32) {
		return func(name string, data []float32) { fillNormal(data, std, seed, name) }
	}
	zeros := func(string, []float32) {}
	ones := func(_ string, data []float32) {
		for i := range data {
			data[i] = 1
		}
	}
	projStd := initStd / math.Sqrt(2*float64(s.layers))
	specs := []tensorSpec{
		{"wte.weight", []int{s.vocab, d}, normal(initStd)},
		{"wpe.weight", []int{s.positions, d}, normal(initStd)},
		{"ln_f.weight", []int{d}, ones},
		{"ln_f.bias", []int{d}, zeros},
	}
	for i := range s.layers {
		p := fmt.Sprintf("h.%d.", i)
		specs = append(specs,
			tensorSpec{p + "ln_1.weight", []int{d}, ones},
			tensorSpec{p + "ln_1.bias", []int{d}, zeros},
			tensorSpec{p + "attn.c_attn.weight", []int{d, 3 * d}, normal(initStd)},
			tensorSpec{p + "attn.c_attn.bias", []int{3 * d}, zeros},
			tensorSpec{p + "attn.c_proj.weight", []int{d, d}, normal(projStd)},
			tensorSpec{p + "attn.c_proj.bias", []int{d}, zeros},
			tensorSpec{p + "ln_2.weight", []int{d}, ones},
			tensorSpec{p + "ln_2.bias", []int{d}, zeros},
			tensorSpec{p + "mlp.c_fc.weight", []int{d, n}, normal(initStd)},
			tensorSpec{p + "mlp.c_fc.bias", []int{n}, zeros},
			tensorSpec{p + "mlp.c_proj.weight", []int{n, d}, normal(projStd)},
			tensorSpec{p + "mlp.c_proj.bias", []int{d}, zeros},
		)
		if buffers {
			specs = append(specs,
				tensorSpec{p + "attn.bias", []int{1, 1, s.positions, s.positions}, causalMask(s.positions)},
				tensorSpec{p + "attn.masked_bias", []int{}, func(_ string, data []float32) { data[0] = maskedBias }},
			)
		}
	}
	return specs
}

// causalMask fills a [1, 1, P, P] lower-triangular matrix of ones.
func causalMask(p int) func(string, []float32) {
	return func(_ string, data []float32) {
		for r := range p {
			row := data[r*p : (r+1)*p]
			for c := range r + 1 {
				row[c] = 1
			}
		}
	}
}

// fillNormal draws from a stream that depends only on seed and the tensor's name (without any
// prefix), so a model's values are the same whatever its dtype, naming or tensor order.
func fillNormal(data []float32, std float64, seed uint64, name string) {
	h := fnv.New64a()
	h.Write([]byte(name))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	for i := range data {
		data[i] = float32(rng.NormFloat64() * std)
	}
}

// makeTensors creates and fills the tensors, naming them with prefix.
func makeTensors(specs []tensorSpec, prefix string) []safetensors.Tensor {
	out := make([]safetensors.Tensor, len(specs))
	for i, spec := range specs {
		size := 1
		for _, dim := range spec.shape {
			size *= dim
		}
		data := make([]float32, size)
		spec.fill(spec.name, data)
		out[i] = safetensors.Tensor{Name: prefix + spec.name, Shape: spec.shape, Data: data}
	}
	return out
}
