package ecco

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/safetensors"
)

// mlpOut names each reference model's FFN output projection: its weight, its bias ("" when the
// family has none) and whether the weight is stored [N, D] (GPT-2's Conv1D) rather than [D, N].
var mlpOut = map[string]struct {
	weight, bias string
	inOut        bool
}{
	"tiny-a":       {"transformer.h.0.mlp.c_proj.weight", "transformer.h.0.mlp.c_proj.bias", true},
	"tiny-neo-a":   {"transformer.h.0.mlp.c_proj.weight", "transformer.h.0.mlp.c_proj.bias", false},
	"tiny-llama-a": {"model.layers.0.mlp.down_proj.weight", "", false},
	"tiny-qwen2-a": {"model.layers.0.mlp.down_proj.weight", "", false},
	"tiny-qwen3-a": {"model.layers.0.mlp.down_proj.weight", "", false},
	"tiny-neox-a":  {"gpt_neox.layers.0.mlp.dense_4h_to_h.weight", "gpt_neox.layers.0.mlp.dense_4h_to_h.bias", false},
}

// Ablating every neuron of layer 0 leaves that MLP's output equal to its output bias (zero for
// LLaMA-style MLPs): block 0's output becomes its residual stream before the MLP plus the bias,
// where the residual is recovered from the unedited run as output − (neurons·W + bias).
func TestAblatingALayerLeavesTheOutputBias(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, lm *LM) {
		if _, ok := mlpOut[model]; !ok {
			t.Skip("the MLP output is normalised again before the residual add (Gemma's post-FFN norm): no bias to recover")
		}
		info := lm.Info()
		w, bias := readMLPOut(t, model, info)
		all := make([]int, info.Neurons)
		for i := range all {
			all[i] = i
		}
		ids := loadModelGolden(t, model, 1).Input.IDs
		plain, err := lm.Model.Step(ids, nil, family.StepOptions{Hidden: true, FFN: true})
		if err != nil {
			t.Fatal(err)
		}
		ablated, err := family.WithEdits(lm.Model, []family.Edit{{Layer: 0, Neurons: all, Mode: family.Ablate}})
		if err != nil {
			t.Fatal(err)
		}
		edited, err := ablated.Step(ids, nil, family.StepOptions{Hidden: true, FFN: true})
		if err != nil {
			t.Fatal(err)
		}
		for p := range ids {
			want := make([]float64, info.Width)
			for d := range want {
				mlp := float64(bias[d])
				for j, n := range plain.FFN[0][p] {
					mlp += float64(n) * w(j, d)
				}
				want[d] = float64(plain.Hidden[1][p][d]) - mlp + float64(bias[d])
			}
			assertClose(t, fmt.Sprintf("%s block 0 output at %d", model, p), f64(edited.Hidden[1][p]), want, 1e-4)
			if slices.ContainsFunc(edited.FFN[0][p], func(x float32) bool { return x != 0 }) {
				t.Errorf("position %d: captured neurons of the ablated layer are not all 0", p)
			}
		}
		if d, _ := maxDiff(f64(plain.Logits[0]), f64(edited.Logits[0])); d < 1e-3 {
			t.Errorf("ablating layer 0 moved the logits by only %g", d)
		}
	})
}

// readMLPOut reads model's layer-0 output projection as w(neuron, d) and its bias (zeros if none).
func readMLPOut(t *testing.T, model string, info family.Info) (func(j, d int) float64, []float32) {
	t.Helper()
	names := mlpOut[model]
	set, err := safetensors.OpenDir(filepath.Join(testData, "models", model))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	weight, _, err := set.Float32(names.weight)
	if err != nil {
		t.Fatal(err)
	}
	bias := make([]float32, info.Width)
	if names.bias != "" {
		if bias, _, err = set.Float32(names.bias); err != nil {
			t.Fatal(err)
		}
	}
	n, d := info.Neurons, info.Width
	if names.inOut {
		return func(j, k int) float64 { return float64(weight[j*d+k]) }, bias
	}
	return func(j, k int) float64 { return float64(weight[k*n+j]) }, bias
}

// Edited generation decodes position by position with the KV cache; it must agree with one
// edited forward pass over the whole sequence, for edits at every position and at one position.
func TestEditedGenerateMatchesEditedForward(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, base *LM) {
		g := loadModelGolden(t, model, 2)
		n := len(g.Input.IDs)
		for _, edits := range [][]Edit{
			{{Layer: 1, Neurons: []int{0, 5, 9}, Mode: Ablate}, {Layer: 0, Neurons: []int{3}, Mode: Add, Value: 4}},
			{{Layer: 0, Neurons: []int{1, 2}, Mode: Set, Value: 3, Positions: []int{n + 1}}},
		} {
			lm, err := base.WithEdits(edits...)
			if err != nil {
				t.Fatal(err)
			}
			out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 4, AllPositions: true})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out.Edits, edits) {
				t.Errorf("the Output records edits %v, want %v", out.Edits, edits)
			}
			f, err := lm.ForwardIDs(out.TokenIDs, true)
			if err != nil {
				t.Fatal(err)
			}
			for p := n - 1; p < len(out.TokenIDs)-1; p++ {
				if next := argmax32(f.Logits[p]); next != out.TokenIDs[p+1] {
					t.Errorf("%v: generated %d at %d, the edited forward's argmax is %d", edits, out.TokenIDs[p+1], p+1, next)
				}
			}
			last := len(f.Hidden) - 1
			for p := range out.TokenIDs {
				assertClose(t, fmt.Sprintf("%v: final hidden state at %d", edits, p), f64(out.Hidden[last][p]), f64(f.Hidden[last][p]), 1e-4)
			}
		}
	})
}

// An edit at one position leaves every earlier position's logits as they were (causality) and
// moves its own.
func TestEditAtAPositionActsFromThere(t *testing.T) {
	lm := tiny(t)
	ids := loadGolden(t, 1).Input.IDs
	plain, err := lm.ForwardIDs(ids, false)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := lm.WithEdits(Edit{Layer: 0, Neurons: []int{0, 1, 2, 3}, Mode: Set, Value: 5, Positions: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := edited.ForwardIDs(ids, false)
	if err != nil {
		t.Fatal(err)
	}
	for p := range ids {
		d, _ := maxDiff(f64(f.Logits[p]), f64(plain.Logits[p]))
		if p < 3 && d != 0 {
			t.Errorf("position %d, before the edit: logits moved by %g", p, d)
		}
		if p == 3 && d < 1e-3 {
			t.Errorf("position 3, the edited one: logits moved by only %g", d)
		}
	}
}

// The edited embedding gradient is the gradient of the edited model: a no-op edit reproduces
// the unedited attributions (GPT-2 takes another graph when edited), and with a real edit the
// probability it returns is the edited forward's and a central difference along the gradient
// agrees with it.
func TestEditedGradientIsTheEditedModels(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, lm *LM) {
		g := loadModelGolden(t, model, 1)
		noop, err := lm.WithEdits(Edit{Layer: 1, Neurons: []int{0}, Mode: Add, Value: 0})
		if err != nil {
			t.Fatal(err)
		}
		cont := lm.Tokenizer.Decode(g.Greedy.IDs[:3])
		want, err := lm.Attribute(g.Prompt, cont, GradXInput)
		if err != nil {
			t.Fatal(err)
		}
		got, err := noop.Attribute(g.Prompt, cont, GradXInput)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Attributions[string(GradXInput)] {
			assertClose(t, fmt.Sprintf("no-op edit, token %d", i), got.Attributions[string(GradXInput)][i], want.Attributions[string(GradXInput)][i], 1e-5)
		}

		m, err := family.WithEdits(lm.Model, []family.Edit{{Layer: 0, Neurons: []int{1, 2, 3, 4}, Mode: family.Set, Value: 2}, {Layer: 1, Neurons: []int{7}, Mode: family.Ablate}})
		if err != nil {
			t.Fatal(err)
		}
		ids := g.Input.IDs
		step, err := m.Step(ids, nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		target := []family.Target{{Position: len(ids) - 1, ID: g.Greedy.IDs[0]}}
		embeds, err := m.Embeddings(ids)
		if err != nil {
			t.Fatal(err)
		}
		probs, grads, err := m.EmbeddingGradients(embeds, 1, target, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		if p := probOf(step.Logits[0], target[0].ID); math.Abs(float64(probs[0][0])-p) > 1e-6 {
			t.Errorf("edited gradient's probability %g, the edited forward's %g", probs[0][0], p)
		}
		var norm float64
		for _, x := range grads[0] {
			norm += float64(x) * float64(x)
		}
		norm = math.Sqrt(norm)
		eps := 2e-3 // small enough for Gemma, whose embeddings are scaled by √D inside the model
		shifted := func(sign float64) float64 {
			e := slices.Clone(embeds)
			for i, x := range grads[0] {
				e[i] += float32(sign * eps * float64(x) / norm)
			}
			p, _, err := m.EmbeddingGradients(e, 1, target, []float32{1})
			if err != nil {
				t.Fatal(err)
			}
			return float64(p[0][0])
		}
		if slope := (shifted(1) - shifted(-1)) / (2 * eps); math.Abs(slope-norm) > 0.03*norm {
			t.Errorf("central difference along the gradient %g, its norm %g", slope, norm)
		}
	})
}

// probOf is softmax(logits)[id], in float64.
func probOf(logits []float32, id int) float64 {
	top := float64(slices.Max(logits))
	var sum float64
	for _, x := range logits {
		sum += math.Exp(float64(x) - top)
	}
	return math.Exp(float64(logits[id])-top) / sum
}
