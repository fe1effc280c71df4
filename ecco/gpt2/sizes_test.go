package gpt2

import (
	"math/rand/v2"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// The configs of the hub's GPT-2 family (values from their config.json files).
var hubConfigs = map[string]string{
	"gpt2":                `{"model_type":"gpt2","n_layer":12,"n_embd":768,"n_head":12,"n_positions":1024,"n_ctx":1024,"vocab_size":50257,"activation_function":"gelu_new","layer_norm_epsilon":1e-05}`,
	"distilgpt2":          `{"model_type":"gpt2","n_layer":6,"n_embd":768,"n_head":12,"n_positions":1024,"n_ctx":1024,"vocab_size":50257,"activation_function":"gelu_new","layer_norm_epsilon":1e-05,"n_inner":null}`,
	"gpt2-medium":         `{"model_type":"gpt2","n_layer":24,"n_embd":1024,"n_head":16,"n_positions":1024,"vocab_size":50257,"activation_function":"gelu_new"}`,
	"gpt2-large":          `{"model_type":"gpt2","n_layer":36,"n_embd":1280,"n_head":20,"n_positions":1024,"vocab_size":50257,"activation_function":"gelu_new"}`,
	"gpt2-xl":             `{"model_type":"gpt2","n_layer":48,"n_embd":1600,"n_head":25,"n_positions":1024,"vocab_size":50257,"activation_function":"gelu_new"}`,
	"sshleifer/tiny-gpt2": `{"model_type":"gpt2","n_layer":2,"n_embd":2,"n_head":2,"n_positions":1024,"n_ctx":1024,"vocab_size":50257,"activation_function":"gelu_new"}`,
}

func TestHubConfigs(t *testing.T) {
	for name, js := range hubConfigs {
		c, err := ParseConfig([]byte(js))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.NInner != 4*c.NEmbd || c.HeadDim()*c.NHead != c.NEmbd {
			t.Errorf("%s: n_inner %d, head dim %d", name, c.NInner, c.HeadDim())
		}
	}
}

// TestTinyGPT2Shape runs a model shaped like sshleifer/tiny-gpt2 (width 2, head width 1) with
// random weights: generation steps and a gradient must work at such sizes too.
func TestTinyGPT2Shape(t *testing.T) {
	cfg, err := ParseConfig([]byte(hubConfigs["sshleifer/tiny-gpt2"]))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	src := mapSource{}
	for name, shape := range CheckpointShapes(cfg) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		data := make([]float32, n)
		for i := range data {
			data[i] = float32(rng.NormFloat64() * 0.3)
		}
		src[name] = struct {
			data  []float32
			shape []int
		}{data, shape}
	}
	m, err := decoder.Load(familytest.Backend(t), cfg.Checkpoint(src.Names()), src, "tiny-gpt2")
	if err != nil {
		t.Fatal(err)
	}
	step, err := m.Step([]int{15496, 11, 616}, nil, family.StepOptions{Hidden: true, FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	if step, err = m.Step([]int{familytest.TopIDs(step.Logits[0], 1)[0]}, step.Cache, family.StepOptions{}); err != nil || len(step.Logits[0]) != cfg.VocabSize {
		t.Fatalf("second step: %v", err)
	}
	embeds, err := m.Embeddings([]int{15496, 11, 616})
	if err != nil {
		t.Fatal(err)
	}
	p, g, err := m.EmbeddingGradients(embeds, 1, []family.Target{{Position: 1, ID: 262}}, []float32{1})
	if err != nil || len(g) != 1 || len(g[0]) != 3*cfg.NEmbd || !(p[0][0] > 0) {
		t.Fatalf("gradient: %v %v %v", p, g, err)
	}
}

// TestGradientsMatchFiniteDifferences checks EmbeddingGradients through GPT-2's fused attention,
// LayerNorms and position embeddings against central differences, on a small random model.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	const config = `{"model_type":"gpt2","n_layer":2,"n_embd":16,"n_head":4,"n_positions":32,"vocab_size":40,"activation_function":"gelu_new"}`
	c, err := ParseConfig([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	familytest.Checkpoint{Config: config, Tensors: CheckpointShapes(c), Std: 0.3, Seed: 3}.Write(t, dir)
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	familytest.CheckGradients(t, m, []int{5, 9, 1, 33, 7, 20})
}
