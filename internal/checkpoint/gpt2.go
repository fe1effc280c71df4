package checkpoint

import (
	"encoding/json"
	"fmt"
	"math"
)

// InitStd is GPT-2's initializer_range, the spread of every random matrix written here.
const InitStd = 0.02

// maskedBias is the value real GPT-2 checkpoints store in attn.masked_bias.
const maskedBias = -1e4

// GPT2Shape is the architecture of a GPT-2 checkpoint.
type GPT2Shape struct {
	Layers, Width, Heads, Inner, Positions, Vocab int
}

// Parameters counts the weights a checkpoint of s holds (without attention buffers).
func (s GPT2Shape) Parameters() int64 {
	d, n, l := int64(s.Width), int64(s.Inner), int64(s.Layers)
	perLayer := 4*d + // ln_1, ln_2
		d*3*d + 3*d + d*d + d + // attention
		d*n + n + n*d + d // MLP
	return int64(s.Vocab)*d + int64(s.Positions)*d + 2*d + l*perLayer
}

// GPT2Tensors lists a checkpoint's tensors, named with prefix and initialised as HuggingFace's
// GPT-2 does: embeddings and Conv1D weights normal(0, 0.02), the residual projections (c_proj)
// normal(0, 0.02/sqrt(2·layers)), biases 0, layer norms weight 1 and bias 0. With buffers, each
// layer also gets the attn.bias causal mask and attn.masked_bias of real `gpt2` checkpoints.
func GPT2Tensors(s GPT2Shape, prefix string, buffers bool) []Tensor {
	d, n := s.Width, s.Inner
	var out []Tensor
	add := func(name string, shape []int, mean, std float64) {
		out = append(out, Tensor{Name: prefix + name, Shape: shape, Init: Init{Mean: mean, Std: std, Stream: name}})
	}
	projStd := InitStd / math.Sqrt(2*float64(s.Layers))
	add("wte.weight", []int{s.Vocab, d}, 0, InitStd)
	add("wpe.weight", []int{s.Positions, d}, 0, InitStd)
	add("ln_f.weight", []int{d}, 1, 0)
	add("ln_f.bias", []int{d}, 0, 0)
	for i := range s.Layers {
		p := fmt.Sprintf("h.%d.", i)
		add(p+"ln_1.weight", []int{d}, 1, 0)
		add(p+"ln_1.bias", []int{d}, 0, 0)
		add(p+"attn.c_attn.weight", []int{d, 3 * d}, 0, InitStd)
		add(p+"attn.c_attn.bias", []int{3 * d}, 0, 0)
		add(p+"attn.c_proj.weight", []int{d, d}, 0, projStd)
		add(p+"attn.c_proj.bias", []int{d}, 0, 0)
		add(p+"ln_2.weight", []int{d}, 1, 0)
		add(p+"ln_2.bias", []int{d}, 0, 0)
		add(p+"mlp.c_fc.weight", []int{d, n}, 0, InitStd)
		add(p+"mlp.c_fc.bias", []int{n}, 0, 0)
		add(p+"mlp.c_proj.weight", []int{n, d}, 0, projStd)
		add(p+"mlp.c_proj.bias", []int{d}, 0, 0)
		if buffers {
			out = append(out,
				Tensor{Name: prefix + p + "attn.bias", Shape: []int{1, 1, s.Positions, s.Positions}, Data: causalMask(s.Positions)},
				Tensor{Name: prefix + p + "attn.masked_bias", Shape: []int{}, Data: []float32{maskedBias}})
		}
	}
	return out
}

// causalMask is a [P, P] lower-triangular matrix of ones.
func causalMask(p int) []float32 {
	data := make([]float32, p*p)
	for r := range p {
		row := data[r*p : (r+1)*p]
		for c := range r + 1 {
			row[c] = 1
		}
	}
	return data
}

// TorchDtypes are config.json's torch_dtype values of the storage types.
var TorchDtypes = map[string]string{"F32": "float32", "F16": "float16", "BF16": "bfloat16"}

// gpt2Config is a GPT-2 config.json as transformers writes it (the keys GPT2Config saves).
type gpt2Config struct {
	ActivationFunction string   `json:"activation_function"`
	Architectures      []string `json:"architectures"`
	AttnPdrop          float64  `json:"attn_pdrop"`
	BOSTokenID         *int     `json:"bos_token_id,omitempty"`
	EmbdPdrop          float64  `json:"embd_pdrop"`
	EOSTokenID         *int     `json:"eos_token_id,omitempty"`
	InitializerRange   float64  `json:"initializer_range"`
	LayerNormEpsilon   float64  `json:"layer_norm_epsilon"`
	ModelType          string   `json:"model_type"`
	NCtx               int      `json:"n_ctx"`
	NEmbd              int      `json:"n_embd"`
	NHead              int      `json:"n_head"`
	NInner             *int     `json:"n_inner"` // null: 4 × n_embd
	NLayer             int      `json:"n_layer"`
	NPositions         int      `json:"n_positions"`
	ResidPdrop         float64  `json:"resid_pdrop"`
	TorchDtype         string   `json:"torch_dtype"`
	VocabSize          int      `json:"vocab_size"`
}

// GPT2Configs returns config.json and generation_config.json of a GPT-2 checkpoint; eos < 0
// leaves the end-of-text token out.
func GPT2Configs(s GPT2Shape, dtype string, eos int) (config, generation []byte, err error) {
	var eosID *int
	if eos >= 0 {
		eosID = &eos
	}
	cfg := gpt2Config{
		ActivationFunction: "gelu_new", Architectures: []string{"GPT2LMHeadModel"},
		AttnPdrop: 0.1, EmbdPdrop: 0.1, ResidPdrop: 0.1, BOSTokenID: eosID, EOSTokenID: eosID,
		InitializerRange: InitStd, LayerNormEpsilon: 1e-5, ModelType: "gpt2",
		NCtx: s.Positions, NEmbd: s.Width, NHead: s.Heads, NLayer: s.Layers, NPositions: s.Positions,
		TorchDtype: TorchDtypes[dtype], VocabSize: s.Vocab,
	}
	if s.Inner != 4*s.Width {
		cfg.NInner = &s.Inner
	}
	if config, err = indented(cfg); err != nil {
		return nil, nil, err
	}
	generation, err = generationConfig(eos)
	return config, generation, err
}

// generationConfig is generation_config.json naming eos (when ≥ 0) as both ends' token.
func generationConfig(eos int) ([]byte, error) {
	gen := map[string]int{}
	if eos >= 0 {
		gen["bos_token_id"], gen["eos_token_id"] = eos, eos
	}
	return indented(gen)
}

// indented is v as indented JSON with a final newline, for files people read.
func indented(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	return append(data, '\n'), err
}
