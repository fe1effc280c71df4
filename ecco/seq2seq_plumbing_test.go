package ecco

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
)

// causalAsSeq2Seq presents a causal model as an encoder–decoder whose "encoder" is the model run
// over the source and whose decoder continues the same sequence: generating, attributing and
// factorising through it must give what the causal code gives on source + start + generated.
// It checks package ecco's encoder–decoder plumbing (layout, target positions, gradient split,
// joined NMF, decoder lens) apart from any T5 or BART maths.
type causalAsSeq2Seq struct {
	family.Model
	start int
}

func (c causalAsSeq2Seq) EncoderInfo() family.Info { return c.Info() }
func (c causalAsSeq2Seq) DecoderStart() int        { return c.start }

func (c causalAsSeq2Seq) Encode(ids []int, opts family.StepOptions) (*family.Encoded, *family.StepOutput, error) {
	s, err := c.Model.Step(ids, nil, opts)
	if err != nil {
		return nil, nil, err
	}
	return &family.Encoded{Len: len(ids), Cross: s.Cache.KV}, s, nil
}

func (c causalAsSeq2Seq) Step(enc *family.Encoded, ids []int, cache *family.Cache, opts family.StepOptions) (*family.StepOutput, error) {
	if cache == nil {
		cache = &family.Cache{KV: enc.Cross, Len: enc.Len}
	}
	return c.Model.Step(ids, cache, opts)
}

func (c causalAsSeq2Seq) EmbeddingGradients(enc, dec []float32, batch int, targets []family.Target, coef []float32) (probs [][]float32, encGrads, decGrads [][]float32, err error) {
	n, m := len(enc)/batch, len(dec)/batch
	var joined []float32
	for b := range batch {
		joined = append(append(joined, enc[b*n:(b+1)*n]...), dec[b*m:(b+1)*m]...)
	}
	shifted := slices.Clone(targets)
	for j := range shifted {
		shifted[j].Position += n / c.Info().Width
	}
	probs, grads, err := c.Model.EmbeddingGradients(joined, batch, shifted, coef)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, g := range grads {
		encGrads, decGrads = append(encGrads, g[:n]), append(decGrads, g[n:])
	}
	return probs, encGrads, decGrads, nil
}

// tinyAsSeq2Seq is tiny-a presented as an encoder–decoder starting from <|endoftext|>.
func tinyAsSeq2Seq(t *testing.T) (s2s, causal *LM) {
	causal = tiny(t)
	lm := *causal
	lm.Model, lm.seq2seq, lm.store = nil, causalAsSeq2Seq{causal.Model, 50256}, nil
	return &lm, causal
}

func TestSeq2SeqPlumbingMatchesTheCausalPath(t *testing.T) {
	s2s, causal := tinyAsSeq2Seq(t)
	const start, tokens = 50256, 4
	g := loadGolden(t, 3)
	methods := []Method{GradXInput, Gradient, IntegratedGradients}
	out, err := s2s.Generate(g.Prompt, GenerateOptions{Tokens: tokens, Attribution: methods})
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.Input.IDs)
	if !out.EncoderDecoder || out.NInput != n || out.TokenIDs[n] != start || out.NGenerated() != tokens || out.FirstGenerated() != n+1 {
		t.Fatalf("layout: %d ids %v, n_input %d, %d generated", len(out.TokenIDs), out.TokenIDs, out.NInput, out.NGenerated())
	}
	// The causal model on the same sequence: each generated token is its argmax, and its
	// attributions, activations, NMF and lens are entries 1.. of the causal ones.
	rec := newRecorder(causal)
	positions := make([]int, tokens)
	for j := range positions {
		positions[j] = n + j
	}
	opts := rec.stepOptions()
	opts.LogitsAt = positions
	step, err := causal.Model.Step(out.TokenIDs[:len(out.TokenIDs)-1], nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	rec.add(step)
	for j, logits := range step.Logits {
		if argmax32(logits) != out.GeneratedIDs()[j] {
			t.Errorf("generated %d: %d, want the causal argmax %d", j, out.GeneratedIDs()[j], argmax32(logits))
		}
	}
	ref := causal.newOutput(out.TokenIDs, n, GenerateOptions{Tokens: tokens + 1})
	rec.fill(ref)
	if err := ref.computeAttributions(methods, nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range methods {
		for i, got := range out.Attributions[string(m)] {
			assertClose(t, fmt.Sprintf("%s %d", m, i), got, ref.Attributions[string(m)][i+1], 1e-6)
		}
	}
	checkSplitActivations(t, out, ref)
	checkJoinedNMF(t, out, ref)
	lens, err := out.LensData(LensLnF)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.LensData(LensLnF)
	if err != nil {
		t.Fatal(err)
	}
	for l := range want.RankOfGenerated {
		if !slices.Equal(lens.RankOfGenerated[l], want.RankOfGenerated[l][1:]) {
			t.Errorf("layer %d ranks %v, want %v", l, lens.RankOfGenerated[l], want.RankOfGenerated[l][1:])
		}
	}
}

// checkSplitActivations: the encoder's activations are the causal ones at the source positions,
// the decoder's at the positions after, within 1e-6 of the largest: the decoder's come from
// cached steps and the causal ones from one pass, whose sums the portable kernels order
// differently (1e-7 apart seen). It then gives ref out's values, so that checkJoinedNMF compares
// how the two layouts join the same numbers.
func checkSplitActivations(t *testing.T, out, ref *Output) {
	t.Helper()
	n := out.NInput
	largest := 0.0
	for _, layer := range ref.Activations {
		for _, row := range layer {
			largest = max(largest, maxAbs32(row))
		}
	}
	for l := range ref.Activations {
		for k, row := range ref.Activations[l] {
			enc, dec := out.EncoderActivations[l][k], out.Activations[l][k]
			if len(enc) != n || len(dec) != len(row)-n {
				t.Fatalf("layer %d neuron %d: %d encoder and %d decoder positions, want %d and %d", l, k, len(enc), len(dec), n, len(row)-n)
			}
			what := fmt.Sprintf("layer %d neuron %d (encoder | decoder)", l, k)
			assertClose(t, what, f64(append(slices.Clone(enc), dec...)), f64(row), 1e-6*largest)
			ref.Activations[l][k] = append(slices.Clone(enc), dec...)
		}
	}
}

// checkJoinedNMF: Ecco's joined NMF factorises the same matrix as the causal one; each stack
// alone covers its own positions.
func checkJoinedNMF(t *testing.T, out, ref *Output) {
	t.Helper()
	f, err := out.RunNMF(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ref.RunNMF(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range f.Factors() {
		assertClose(t, fmt.Sprintf("joined factor %d", i), row, w.Factors()[i], 1e-12)
	}
	for stack, positions := range map[Stack]int{StackEncoder: out.NInput, StackDecoder: out.NGenerated()} {
		f, err := out.RunNMF(2, &NMFOptions{Stack: stack})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.ExplorerView(5)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Factors()[0]) != positions || v.Validate() != nil || len(v.Tokens) != len(v.Values[0]) {
			t.Errorf("%s: %d positions, want %d; view %d tokens (%v)", stack, len(f.Factors()[0]), positions, len(v.Tokens), v.Validate())
		}
	}
}

// TestSeq2SeqOutputRoundTrip saves an encoder–decoder Output with everything Keep adds and
// reads it back: the same fields, and the views work from the file.
func TestSeq2SeqOutputRoundTrip(t *testing.T) {
	s2s, _ := tinyAsSeq2Seq(t)
	out, err := s2s.Generate(loadGolden(t, 3).Prompt, GenerateOptions{Tokens: 3, Attribution: []Method{GradXInput}})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Keep(s2s, Saved{NMF: 2, Rankings: true, LayerPredictions: 3, Lens: LensEcco}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := dir + "/out.json"
	if err := out.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if !back.EncoderDecoder || !slices.Equal(back.TokenIDs, out.TokenIDs) || back.Config != out.Config ||
		!reflect.DeepEqual(back.EncoderActivations, out.EncoderActivations) || !reflect.DeepEqual(back.Activations, out.Activations) ||
		!slices.Equal(back.EncoderActivationLayers, out.EncoderActivationLayers) || !reflect.DeepEqual(back.Attributions, out.Attributions) ||
		!reflect.DeepEqual(back.NMF, out.NMF) || !reflect.DeepEqual(back.Lens, out.Lens) || !reflect.DeepEqual(back.Predictions, out.Predictions) {
		t.Errorf("the loaded Output differs from the saved one")
	}
	if len(back.NMF.Factors[0]) != back.NInput+back.NGenerated() {
		t.Errorf("saved NMF covers %d positions, want encoder + decoder = %d", len(back.NMF.Factors[0]), back.NInput+back.NGenerated())
	}
	if err := back.WriteHTML(dir+"/out.html", 2); err != nil {
		t.Error(err)
	}
	v, err := back.SaliencyView(GradXInput, "")
	if err != nil || v.Validate() != nil || v.NInput != out.NInput || v.First != 1 || len(v.Scores) != out.NGenerated()+1 || slices.Max(v.Scores[0]) != 0 {
		t.Errorf("saliency view from the file: NInput %d, First %d, %d rows (%v, %v); want Ecco's: the source as input, "+
			"the start token's zero row, the first generated token selected", v.NInput, v.First, len(v.Scores), err, v.Validate())
	}
}

// TestSeq2SeqSamplingAndAllPositions: sampling repeats with its seed as for causal models, and
// AllPositions gives the decoder its last input too (G+1 positions), which the joined NMF and
// the explorer then cover token for token.
func TestSeq2SeqSamplingAndAllPositions(t *testing.T) {
	lm := reference(t, "tiny-t5-a")
	prompt := refdata.LoadEncDec(t, "tiny-t5-a", 3).Prompt
	opts := GenerateOptions{Tokens: 5, Sample: true, Seed: 7, AllPositions: true}
	a, err := lm.Generate(prompt, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := lm.Generate(prompt, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.TokenIDs, b.TokenIDs) || a.NGenerated() != 5 {
		t.Errorf("sampling with seed 7 twice: %v and %v, want the same 5 tokens", a.GeneratedIDs(), b.GeneratedIDs())
	}
	if got := len(a.Activations[0][0]); got != 6 || len(a.Hidden[0]) != 6 || len(a.EncoderActivations[0][0]) != a.NInput {
		t.Errorf("AllPositions: decoder activations over %d positions, hidden %d, encoder %d; want 6, 6 and %d", got, len(a.Hidden[0]), len(a.EncoderActivations[0][0]), a.NInput)
	}
	f, err := a.RunNMF(2, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.ExplorerView(3)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Factors()[0]) != len(a.TokenIDs) || v.Validate() != nil {
		t.Errorf("joined NMF over %d positions for %d tokens (%v), want one per token", len(f.Factors()[0]), len(a.TokenIDs), v.Validate())
	}
}

// TestSeq2SeqAttributeMatchesGenerate: forcing the greedy target through Attribute gives the
// tokens, attributions and activations Generate gave (one decoder pass instead of the cache).
func TestSeq2SeqAttributeMatchesGenerate(t *testing.T) {
	for _, model := range seq2seqModels {
		lm := reference(t, model)
		g := refdata.LoadEncDec(t, model, 3)
		gen, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 4, Attribution: []Method{GradXInput}})
		if err != nil {
			t.Fatal(err)
		}
		target := lm.Tokenizer.Decode(gen.GeneratedIDs())
		if ids := lm.Tokenizer.Encode(target); !slices.Equal(ids, gen.GeneratedIDs()) {
			t.Fatalf("%s: %q tokenizes to %v, not the generated %v: pick another prompt", model, target, ids, gen.GeneratedIDs())
		}
		forced, err := lm.Attribute(g.Prompt, target, GradXInput)
		if err != nil {
			t.Fatal(err)
		}
		if !forced.EncoderDecoder || !slices.Equal(forced.TokenIDs, gen.TokenIDs) {
			t.Fatalf("%s: forced ids %v, want %v", model, forced.TokenIDs, gen.TokenIDs)
		}
		for i, want := range gen.Attributions[string(GradXInput)] {
			assertClose(t, fmt.Sprintf("%s grad_x_input %d", model, i), forced.Attributions[string(GradXInput)][i], want, 1e-5)
		}
		for l := range gen.Activations {
			assertClose(t, fmt.Sprintf("%s decoder layer %d neuron 0", model, l), f64(forced.Activations[l][0]), f64(gen.Activations[l][0]), 1e-4)
			assertClose(t, fmt.Sprintf("%s encoder layer %d neuron 0", model, l), f64(forced.EncoderActivations[l][0]), f64(gen.EncoderActivations[l][0]), 0)
		}
	}
}
