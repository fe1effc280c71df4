package refdata

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/mt19937"
)

// tiny-neox-a holds an untied 50257-row head, 26 MB of random weights: instead of storing them,
// the test data keeps its config, tokenizer and goldens, and importing this package writes its
// model.safetensors from the reference harness's recipe (tests/testdata/README.md):
// torch.Generator().manual_seed(1234), every parameter in HuggingFace's named_parameters() order
// drawn with normal_, matrices and embeddings N(0, 0.3²), biases N(0, 0.05²), norm weights
// 1 + N(0, 0.1²). The values equal the harness's within an ulp (torchNormal), well inside the
// goldens' tolerances; the SHA-256 pins this generator's own output. (tiny-llama-a, made the
// same way, stays stored: its layer-0 lens probabilities, read from a raw residual stream with
// logits near ±160, move by 6.3e-5 under those ulps, beyond their 5e-5 tolerance.)
var generated = []struct {
	model  string
	params func(c sizes) []param
	sha256 string
}{
	{"tiny-neox-a", neoxParams, "f7a0ef1cda44e1b5779903ea51fd41cca0bdf8bc2be6cccb56e189f1989614f0"},
}

// sizes are the config.json keys the recipes read.
type sizes struct {
	Layers int `json:"num_hidden_layers"`
	Width  int `json:"hidden_size"`
	Inner  int `json:"intermediate_size"`
	Vocab  int `json:"vocab_size"`
}

// param is one parameter of a recipe: its name, shape and normal_(mean, std).
type param struct {
	name      string
	shape     []int
	mean, std float32
}

func matrix(name string, rows, cols int) param { return param{name, []int{rows, cols}, 0, 0.3} }
func bias(name string, n int) param            { return param{name, []int{n}, 0, 0.05} }
func normWeight(name string, n int) param      { return param{name, []int{n}, 1, 0.1} }

// neoxParams is GPTNeoXForCausalLM's named_parameters() of transformers 4.29.
func neoxParams(c sizes) []param {
	d, n := c.Width, c.Inner
	ps := []param{matrix("gpt_neox.embed_in.weight", c.Vocab, d)}
	for i := range c.Layers {
		l := fmt.Sprintf("gpt_neox.layers.%d.", i)
		ps = append(ps,
			normWeight(l+"input_layernorm.weight", d), bias(l+"input_layernorm.bias", d),
			normWeight(l+"post_attention_layernorm.weight", d), bias(l+"post_attention_layernorm.bias", d),
			matrix(l+"attention.query_key_value.weight", 3*d, d), bias(l+"attention.query_key_value.bias", 3*d),
			matrix(l+"attention.dense.weight", d, d), bias(l+"attention.dense.bias", d),
			matrix(l+"mlp.dense_h_to_4h.weight", n, d), bias(l+"mlp.dense_h_to_4h.bias", n),
			matrix(l+"mlp.dense_4h_to_h.weight", d, n), bias(l+"mlp.dense_4h_to_h.bias", d))
	}
	return append(ps, normWeight("gpt_neox.final_layer_norm.weight", d), bias("gpt_neox.final_layer_norm.bias", d),
		matrix("embed_out.weight", c.Vocab, d))
}

func init() {
	for _, g := range generated {
		if err := ensureWeights(filepath.Join(TestData(), "models", g.model), g.params, g.sha256); err != nil {
			panic(fmt.Sprintf("refdata: generating the weights of reference model %s: %v", g.model, err))
		}
	}
}

// ensureWeights writes dir/model.safetensors from its recipe unless a file with the pinned
// hash is there; test binaries that run at once each write the same bytes atomically.
func ensureWeights(dir string, params func(sizes) []param, want string) error {
	path := filepath.Join(dir, "model.safetensors")
	if sum, err := fileSHA256(path); err == nil && sum == want {
		return nil
	}
	var c sizes
	if err := readJSON(filepath.Join(dir, "config.json"), &c); err != nil {
		return err
	}
	gen := mt19937.New(1234)
	var tensors []safetensors.Tensor
	for _, p := range params(c) {
		n := 1
		for _, d := range p.shape {
			n *= d
		}
		tensors = append(tensors, safetensors.Tensor{Name: p.name, Shape: p.shape, Data: torchNormal(gen, n, p.mean, p.std)})
	}
	if err := safetensors.Write(path, tensors, safetensors.F32, map[string]string{"format": "pt"}); err != nil {
		return err
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return err
	}
	if sum != want {
		return fmt.Errorf("%s: SHA-256 %s, want %s: the generator's output changed", path, sum, want)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
