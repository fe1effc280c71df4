package ecco

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/checkpoint"
)

// Token ids (GPT-2's vocabulary) of the decisive model: the prompt "The capital of France is"
// holds the decisive token " France" at position 3, and the model predicts " Paris" from it.
const (
	decisiveToken = 4881 // " France"
	decisiveNext  = 6342 // " Paris"
	decisivePos   = 3
)

// writeDecisiveModel writes a 2-layer GPT-2 (width 64, 4 heads, tiny-a's tokenizer) in which
// one input token alone decides the prediction. Every position embedding is 10·e3, so the layer
// norms run in their nearly linear regime; only " France" has a large coordinate 0 (0.5, the
// other token embeddings are N(0, 0.02²)). Both layers' queries are a constant (the c_attn bias)
// and their keys read coordinate 0 of the normed input, so every query after " France" puts
// weight ≈ 1 − e⁻²⁰ on it. Layer 0's value copies that coordinate and its c_proj writes it, ×8,
// into coordinate 2; " Paris" is the only token embedding with a large coordinate 2 (7, tied LM
// head), so p(" Paris") ≈ 0.5 with " France" in the prompt and ≈ 1e-8 without it. Layer 1 only
// attends (its projections are 0), so that attention rollout, like last-layer attention, can
// see the route; the MLPs are 0.
func writeDecisiveModel(t *testing.T) *LM {
	t.Helper()
	shape := checkpoint.GPT2Shape{Layers: 2, Width: 64, Heads: 4, Inner: 256, Positions: 128, Vocab: 50257}
	d := shape.Width
	files := map[string][]byte{}
	if err := checkpoint.TokenizerFiles(filepath.Join(testData, "models", "tiny-a"), files); err != nil {
		t.Fatal(err)
	}
	config, gen, err := checkpoint.GPT2Configs(shape, "F32", 50256)
	if err != nil {
		t.Fatal(err)
	}
	files["config.json"], files["generation_config.json"] = config, gen
	rng := rand.New(rand.NewPCG(1, 2))
	wte := make([]float32, shape.Vocab*d)
	for i := range wte {
		wte[i] = float32(0.02 * rng.NormFloat64())
	}
	wte[decisiveToken*d] = 0.5
	clear(wte[decisiveNext*d : (decisiveNext+1)*d])
	wte[decisiveNext*d+2] = 7
	wpe := make([]float32, shape.Positions*d)
	for p := range shape.Positions {
		wpe[p*d+3] = 10
	}
	data := map[string][]float32{"transformer.wte.weight": wte, "transformer.wpe.weight": wpe}
	for l, name := range []string{"transformer.h.0.", "transformer.h.1."} {
		attn, bias, proj := make([]float32, d*3*d), make([]float32, 3*d), make([]float32, d*d)
		for j := range d {
			bias[j] = 2.5       // q: constant
			attn[0*3*d+d+j] = 5 // k: 5 × normed coordinate 0
		}
		if l == 0 {
			attn[0*3*d+2*d] = 1 // v dim 0 (head 0): normed coordinate 0
			proj[0*d+2] = 8     // into the residual's coordinate 2
		}
		data[name+"attn.c_attn.weight"], data[name+"attn.c_attn.bias"], data[name+"attn.c_proj.weight"] = attn, bias, proj
		data[name+"mlp.c_fc.weight"] = make([]float32, d*shape.Inner)
		data[name+"mlp.c_proj.weight"] = make([]float32, shape.Inner*d)
	}
	tensors := checkpoint.GPT2Tensors(shape, "transformer.", false)
	for i := range tensors {
		tensors[i].Data = data[tensors[i].Name]
	}
	dir := filepath.Join(t.TempDir(), "decisive")
	folder := checkpoint.Folder{Files: files, Tensors: tensors}
	if _, err := folder.Write(dir); err != nil {
		t.Fatal(err)
	}
	lm, err := FromPretrained(dir)
	if err != nil {
		t.Fatal(err)
	}
	return lm
}

// TestFaithfulnessDecisiveToken: where one input token alone decides the target (the
// constructed model above, proven by the explicit forward without it), every method ranks it
// first, and comprehensiveness at k = one token (10 % and 20 % of 5 tokens) equals the measured
// drop in p(target) when it is removed; keeping only it (sufficiency) loses almost nothing.
func TestFaithfulnessDecisiveToken(t *testing.T) {
	lm := writeDecisiveModel(t)
	out, err := lm.Attribute("The capital of France is", " Paris", allMethods...)
	if err != nil {
		t.Fatal(err)
	}
	if out.NInput != 5 || out.TokenIDs[decisivePos] != decisiveToken || out.TokenIDs[5] != decisiveNext {
		t.Fatalf("tokens %v: want \" France\" at position %d and \" Paris\" last", out.TokenIDs, decisivePos)
	}
	model := lm.Model
	embeds, err := model.Embeddings(out.TokenIDs[:5])
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]float32, model.Info().Width)
	target := family.Target{Position: 4, ID: decisiveNext}
	full := explicitProb(t, model, embeds, zero, nil, target)
	without := explicitProb(t, model, embeds, zero, []int{decisivePos}, target)
	onlyIt := explicitProb(t, model, embeds, zero, []int{0, 1, 2, 4}, target)
	t.Logf("p(\" Paris\") = %.6g; without \" France\" %.3g; with only \" France\" %.6g", full, without, onlyIt)
	if full < 0.2 || without > 1e-4 || onlyIt < 0.9*full {
		t.Fatalf("the constructed model does not let \" France\" alone decide: p %.3g, without it %.3g, with only it %.3g", full, without, onlyIt)
	}
	for _, m := range allMethods {
		scores := out.Attributions[string(m)][0]
		t.Logf("%-20s %.4f", m, scores)
		if top := ranking(scores)[0]; top != decisivePos {
			t.Errorf("%s ranks position %d first, not \" France\" (%d): scores %.4g", m, top, decisivePos, scores)
		}
	}
	f, err := out.ScoreFaithfulness(allMethods, nil)
	if err != nil {
		t.Fatal(err)
	}
	drop := full - without
	for _, m := range allMethods {
		mf := f.Methods[string(m)]
		for k := range 2 { // 10 % and 20 % of 5 tokens: one token
			if got := mf.Comprehensiveness[0][k]; math.Abs(got-drop) > 1e-6 {
				t.Errorf("%s comprehensiveness at k=%g: %.9g, measured drop %.9g", m, f.Fractions[k], got, drop)
			}
			if got, want := mf.Sufficiency[0][k], full-onlyIt; math.Abs(got-want) > 1e-6 {
				t.Errorf("%s sufficiency at k=%g: %.9g, measured %.9g", m, f.Fractions[k], got, want)
			}
		}
	}
	if s := slices.Collect(func(yield func(float64) bool) {
		for _, mf := range f.Methods {
			yield(mf.MeanAOPCComprehensiveness)
		}
	}); slices.Min(s) < 0.5*drop {
		t.Errorf("mean AOPC comprehensiveness %v: some method's top tokens miss the decisive one", s)
	}
}
