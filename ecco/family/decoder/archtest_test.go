package decoder

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

// testArch is a small Arch of some family, stated as the families state theirs.
type testArch struct {
	name    string
	arch    *Arch
	info    family.Info
	inOut   bool            // nn.Linear weights stored [in, out] under key+InOut, as Spec.Linear does
	biases  map[string]bool // Linear prefixes with a bias
	heads   int             // query heads
	kvHeads int
}

const (
	testWidth, testHeadDim, testNeurons, testVocab, testPositions = 8, 4, 12, 11, 16
)

// testLayer is one block of a test Arch; prefix is its keys' prefix.
func testLayer(prefix string, norm NormKind, fused bool, heads, kvHeads int, ffn FeedForward) Layer {
	at := SelfAttention{Out: prefix + "o.", Heads: heads, KVHeads: kvHeads, HeadDim: testHeadDim, Scale: 1 / math.Sqrt(testHeadDim)}
	if fused {
		at.Fused = prefix + "qkv."
	} else {
		at.Q, at.K, at.V = prefix+"q.", prefix+"k.", prefix+"v."
	}
	ffn.Up, ffn.Down = prefix+"up.", prefix+"down."
	if ffn.Gate != "" {
		ffn.Gate = prefix + "gate."
	}
	return Layer{AttnNorm: Norm{Kind: norm, Prefix: prefix + "ln1.", Eps: 1e-5}, FFNNorm: Norm{Kind: norm, Prefix: prefix + "ln2.", Eps: 1e-5}, Attention: at, FFN: ffn}
}

// testArchs are the families the batched backward pass must match autodiff on.
func testArchs() []testArch {
	gpt2 := &Arch{Embedding: "wte", Positions: "wpe", Head: "wte", Final: Norm{Kind: LayerNorm, Prefix: "lnf.", Eps: 1e-5}}
	neo := &Arch{Embedding: "wte", Positions: "wpe", Head: "wte", Final: Norm{Kind: LayerNorm, Prefix: "lnf.", Eps: 1e-5}}
	llama := &Arch{Embedding: "embed", Head: "head", Final: Norm{Kind: RMSNorm, Prefix: "norm.", Eps: 1e-6}}
	qwen := &Arch{Embedding: "embed", Head: "embed", Final: Norm{Kind: RMSNorm, Prefix: "norm.", Eps: 1e-6}}
	// Gemma 2/3's pieces: offset norms, sandwich norms, q/k norms, soft caps, a scaled embedding.
	gemma := &Arch{Embedding: "embed", Head: "embed", Final: Norm{Kind: RMSNorm, Prefix: "norm.", Eps: 1e-6, Offset: true},
		EmbedScale: math.Sqrt(testWidth), SoftCap: 3}
	// GPT-NeoX's pieces: fused q/k/v, partial rotary (half of each head), an untied head, and a
	// parallel residual (neox) or a sequential one (neox-seq).
	neox := &Arch{Embedding: "embed", Head: "head", Final: Norm{Kind: LayerNorm, Prefix: "lnf.", Eps: 1e-5}}
	neoxSeq := &Arch{Embedding: "embed", Head: "head", Final: Norm{Kind: LayerNorm, Prefix: "lnf.", Eps: 1e-5}}
	// Inverse frequencies with a LLaMA-3-style scaling: low frequencies divided by 8, the middle
	// band interpolated.
	inv := make([]float64, testHeadDim/2)
	for j := range inv {
		inv[j] = math.Pow(10000, -2*float64(j)/testHeadDim)
	}
	inv[1] /= 8
	biases := map[string]bool{}
	for i := range 3 {
		p := fmt.Sprintf("h.%d.", i)
		gpt2.Layers = append(gpt2.Layers, testLayer(p, LayerNorm, true, 2, 2, FeedForward{Act: "gelu_new"}))
		nl := testLayer(p, LayerNorm, false, 2, 2, FeedForward{Act: "gelu_new"})
		nl.Attention.Scale = 1 // GPT-Neo does not scale q·k
		if i == 1 {
			nl.Attention.Window = 3
		}
		neo.Layers = append(neo.Layers, nl)
		ll := testLayer(p, RMSNorm, false, 2, 2, FeedForward{Gate: "g", Act: "silu"})
		ll.Attention.Rotary = inv
		llama.Layers = append(llama.Layers, ll)
		ql := testLayer(p, RMSNorm, false, 4, 2, FeedForward{Gate: "g", Act: "silu"})
		ql.Attention.Rotary = inv
		if i != 1 {
			ql.Attention.Window = 4
		}
		qwen.Layers = append(qwen.Layers, ql)
		offset := func(n Norm) *Norm { n.Offset = true; return &n }
		gl := testLayer(p, RMSNorm, false, 4, 2, FeedForward{Gate: "g", Act: "gelu_pytorch_tanh"})
		gl.AttnNorm.Offset, gl.FFNNorm.Offset = true, true
		gl.PostAttnNorm, gl.PostFFNNorm = offset(Norm{Kind: RMSNorm, Prefix: p + "post_attn.", Eps: 1e-6}), offset(Norm{Kind: RMSNorm, Prefix: p + "post_ffn.", Eps: 1e-6})
		gl.Attention.QNorm, gl.Attention.KNorm = offset(Norm{Kind: RMSNorm, Prefix: p + "q_norm.", Eps: 1e-6}), offset(Norm{Kind: RMSNorm, Prefix: p + "k_norm.", Eps: 1e-6})
		gl.Attention.Rotary, gl.Attention.SoftCap = inv, 2
		if i == 1 { // a local layer with its own rotary base
			gl.Attention.Window, gl.Attention.Rotary = 3, []float64{1, 0.1}
		}
		gemma.Layers = append(gemma.Layers, gl)
		xl := testLayer(p, LayerNorm, true, 2, 2, FeedForward{Act: "gelu"})
		xl.Attention.Rotary = []float64{0.7}
		neoxSeq.Layers = append(neoxSeq.Layers, xl)
		xl.Parallel = true
		neox.Layers = append(neox.Layers, xl)
		for _, b := range []string{"qkv.", "o.", "up.", "down.", "q.", "k.", "v."} {
			biases[p+b] = true
		}
	}
	neoBiases, qwenBiases := map[string]bool{}, map[string]bool{}
	for k := range biases {
		if !slices.Contains([]string{"q.", "k.", "v."}, k[len("h.0."):]) {
			neoBiases[k] = true
		} else {
			qwenBiases[k] = true
		}
	}
	info := func(name string, heads, kv int) family.Info {
		return family.Info{ModelType: name, Layers: 3, Width: testWidth, Heads: heads, KVHeads: kv, Neurons: testNeurons, Vocab: testVocab, Positions: testPositions}
	}
	return []testArch{
		{"gpt2", gpt2, info("gpt2", 2, 2), true, biases, 2, 2},
		{"gpt_neo", neo, info("gpt_neo", 2, 2), false, neoBiases, 2, 2},
		{"llama", llama, info("llama", 2, 2), true, nil, 2, 2},
		{"qwen2", qwen, info("qwen2", 4, 2), false, qwenBiases, 4, 2},
		{"gemma", gemma, info("gemma", 4, 2), true, nil, 4, 2},
		{"gpt_neox", neox, info("gpt_neox", 2, 2), true, biases, 2, 2},
		{"gpt_neox-sequential", neoxSeq, info("gpt_neox", 2, 2), false, biases, 2, 2},
	}
}

// shapes lists the tensors of ta with their shapes, as the model holds them.
func (ta testArch) shapes() map[string][]int {
	a := ta.arch
	s := map[string][]int{a.Embedding: {testVocab, testWidth}, a.Head: {testVocab, testWidth}}
	if a.Positions != "" {
		s[a.Positions] = []int{testPositions, testWidth}
	}
	norm := func(n Norm) {
		s[n.Prefix+"weight"] = []int{testWidth}
		if strings.HasSuffix(n.Prefix, "q_norm.") || strings.HasSuffix(n.Prefix, "k_norm.") {
			s[n.Prefix+"weight"] = []int{testHeadDim}
		}
		if n.Kind == LayerNorm {
			s[n.Prefix+"bias"] = []int{testWidth}
		}
	}
	linear := func(prefix string, in, out int) {
		if prefix == "" {
			return
		}
		if ta.inOut {
			s[prefix+"weight"+InOut] = []int{in, out}
		} else {
			s[prefix+"weight"] = []int{out, in}
		}
		if ta.biases[prefix] {
			s[prefix+"bias"] = []int{out}
		}
	}
	norm(a.Final)
	for _, l := range a.Layers {
		norm(l.AttnNorm)
		norm(l.FFNNorm)
		at := l.Attention
		for _, n := range []*Norm{l.PostAttnNorm, l.PostFFNNorm, at.QNorm, at.KNorm} {
			if n != nil {
				norm(*n)
			}
		}
		q, kv := at.Heads*at.HeadDim, at.KVHeads*at.HeadDim
		linear(at.Fused, testWidth, q+2*kv)
		linear(at.Q, testWidth, q)
		linear(at.K, testWidth, kv)
		linear(at.V, testWidth, kv)
		linear(at.Out, q, testWidth)
		linear(l.FFN.Gate, testWidth, testNeurons)
		linear(l.FFN.Up, testWidth, testNeurons)
		linear(l.FFN.Down, testNeurons, testWidth)
	}
	return s
}

// model64 makes ta's model with random float64 weights (norm weights near 1), large enough that
// attention is far from uniform and every activation works away from zero.
func (ta testArch) model64(t *testing.T, rng *rand.Rand) *Model {
	t.Helper()
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{info: ta.info, arch: ta.arch, backend: backend}
	shapes := ta.shapes()
	var head []float64
	for _, name := range slices.Sorted(maps.Keys(shapes)) {
		n := 1
		for _, d := range shapes[name] {
			n *= d
		}
		values := make([]float64, n)
		for i := range values {
			values[i] = 0.4 * rng.NormFloat64()
			if len(shapes[name]) == 1 && strings.HasSuffix(name, "weight") {
				values[i] += 1 // norm gains near 1
			}
		}
		if name == ta.arch.Head {
			head = values
		}
		m.names = append(m.names, name)
		m.weights = append(m.weights, tensors.FromFlatDataAndDimensions(values, shapes[name]...))
	}
	if ta.name == "qwen2" { // as a model over copyLimit: no [D, V] copy of the head
		return m
	}
	columns := make([]float64, len(head))
	for v := range testVocab {
		for d := range testWidth {
			columns[d*testVocab+v] = head[v*testWidth+d]
		}
	}
	m.names = append(m.names, HeadColumns)
	m.weights = append(m.weights, tensors.FromFlatDataAndDimensions(columns, testWidth, testVocab))
	return m
}
