package ecco

import (
	"math/rand/v2"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// GenerateOptions control Generate. The zero value plus Tokens is Ecco's default: greedy.
type GenerateOptions struct {
	Tokens      int     `json:"tokens"`                // new tokens to generate (≥ 1)
	Sample      bool    `json:"sample,omitempty"`      // sample instead of greedy (Ecco's do_sample)
	Temperature float64 `json:"temperature,omitempty"` // when sampling; 0 means 1.0
	TopK        int     `json:"top_k,omitempty"`       // when sampling; 0 means 50, negative turns it off
	TopP        float64 `json:"top_p,omitempty"`       // when sampling; 0 means 1.0 (off); must be in (0, 1]
	Seed        uint64  `json:"seed,omitempty"`        // sampling seed; 0 draws a fresh one, recorded in the Output
	StopAtEOS   bool    `json:"stop_at_eos,omitempty"` // stop early at <|endoftext|>

	// Attribution lists methods computed after generation (GradXInput, Gradient,
	// IntegratedGradients, Occlusion, LastLayerAttention, AttentionRollout, ValueZeroing; ParseMethod reads
	// Ecco's names and aliases).
	Attribution []Method `json:"attribution,omitempty"`
	IGSteps     int      `json:"ig_steps,omitempty"` // integrated-gradients steps; 0 means 50

	// AllPositions captures activations and hidden states for every token (n+G positions)
	// instead of Ecco's n+G−1, which omits the last generated token.
	AllPositions bool `json:"all_positions,omitempty"`

	// Attention captures the attention probabilities [layer][head][query][key] of one forward
	// pass over prompt + generated tokens, into Output.Attention.
	Attention bool `json:"attention,omitempty"`

	// OnToken, when set, is called with each generated token as it is chosen.
	OnToken func(index int, token string) `json:"-"`

	// Progress, when set, receives the progress of generation and attribution, and later that
	// of Attribution and RunNMF on the Output.
	Progress ProgressFunc `json:"-"`
}

// Generate continues prompt by opts.Tokens tokens with a KV cache: the prompt costs one forward
// pass and each new token one position. Hidden states (and FFN activations, when the LM was
// loaded with activations) are captured from those same passes.
//
// With a result cache (in a GoNB notebook, or WithResultCache) a call with the same model,
// prompt and options returns the kept Output instead of generating again: a sampled run with
// Seed 0 then repeats its first text (pass another Seed for another draw).
func (lm *LM) Generate(prompt string, opts GenerateOptions) (*Output, error) {
	return lm.cached(lm.storeKey("generate", prompt, opts), func() (*Output, error) { return lm.generate(prompt, opts) })
}

func (lm *LM) generate(prompt string, opts GenerateOptions) (*Output, error) {
	params, methods, err := opts.check()
	if err != nil {
		return nil, err
	}
	if opts.Sample && opts.Seed == 0 {
		opts.Seed = freshSeed() // recorded in the Output: passing it again repeats the run
	}
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, err
	}
	if lm.seq2seq != nil {
		return lm.generateSeq2Seq(ids, opts, params, methods)
	}
	model, err := lm.causal()
	if err != nil {
		return nil, err
	}
	if limit := model.Info().Positions; len(ids)+opts.Tokens > limit {
		return nil, tooLong(len(ids), opts.Tokens, limit)
	}
	n := len(ids)
	live, liveDone := lm.liveProgress(ids)
	defer liveDone()
	progress := live.then(opts.Progress)
	rec := newRecorder(lm)
	step, err := model.Step(ids, nil, rec.stepOptions())
	if err != nil {
		return nil, err
	}
	rec.add(step)
	next := func(id int, cache *family.Cache) (*family.StepOutput, error) {
		return model.Step([]int{id}, cache, rec.stepOptions())
	}
	gen, err := lm.decode(step, next, rec, opts, params, progress)
	if err != nil {
		return nil, err
	}
	ids = append(ids, gen...)
	out := lm.newOutput(ids, n, opts)
	rec.fill(out)
	if opts.Attention {
		if out.Attention, err = lm.Attention(ids); err != nil {
			return nil, err
		}
	}
	if err := out.computeAttributions(methods, progress); err != nil {
		return nil, err
	}
	return out, nil
}

// decode chooses up to opts.Tokens tokens from step's last logits on, greedily or by sampling,
// running each chosen token through next (which extends the cache) and recording its states in
// rec: Ecco's positions (the last token is not run unless opts.AllPositions). It stops early at
// an end-of-sequence id when opts.StopAtEOS. It returns the chosen ids.
func (lm *LM) decode(step *family.StepOutput, next func(id int, cache *family.Cache) (*family.StepOutput, error),
	rec *recorder, opts GenerateOptions, params samplingParams, progress ProgressFunc) ([]int, error) {
	rng := rand.New(rand.NewPCG(opts.Seed, 0x65636361)) // "ecca": any fixed stream
	eos := lm.Info().EOS
	progress.report(ProgressEvent{Stage: StageGenerate, Total: opts.Tokens})
	var ids []int
	for i := range opts.Tokens {
		logits := step.Logits[0]
		id := argmax32(logits)
		if opts.Sample {
			cands, err := Filter(logits, params.temperature, params.topK, params.topP)
			if err != nil {
				return nil, err
			}
			id = sample(cands, rng)
		}
		ids = append(ids, id)
		last := i == opts.Tokens-1 || (opts.StopAtEOS && slices.Contains(eos, id))
		if progress != nil {
			progress(ProgressEvent{Stage: StageGenerate, Done: i + 1, Total: opts.Tokens, Detail: lm.Tokenizer.DisplayToken(id), Token: id, Final: last})
		}
		if opts.OnToken != nil {
			opts.OnToken(i, lm.Tokenizer.DisplayToken(id))
		}
		if last && !opts.AllPositions {
			break
		}
		var err error
		if step, err = next(id, step.Cache); err != nil {
			return nil, err
		}
		rec.add(step)
		if last {
			break
		}
	}
	return ids, nil
}

// recorder gathers the states each Step captured, position by position.
type recorder struct {
	layers []int
	hidden [][][]float32 // [L+1][position][D]
	ffn    [][][]float32 // [captured layer][position][N]
}

func newRecorder(lm *LM) *recorder {
	return &recorder{layers: lm.activationLayers()}
}

func (r *recorder) stepOptions() family.StepOptions {
	return family.StepOptions{Hidden: true, FFN: r.layers != nil}
}

func (r *recorder) add(s *family.StepOutput) {
	if r.hidden == nil {
		r.hidden = make([][][]float32, len(s.Hidden))
		r.ffn = make([][][]float32, len(r.layers))
	}
	for l, rows := range s.Hidden {
		r.hidden[l] = append(r.hidden[l], rows...)
	}
	for i, l := range r.layers {
		r.ffn[i] = append(r.ffn[i], s.FFN[l]...)
	}
}

// fill stores the captured states in out, activations as [layer][neuron][position].
func (r *recorder) fill(out *Output) {
	out.Hidden = r.hidden
	if r.layers == nil {
		return
	}
	out.ActivationLayers = r.layers
	out.Activations = make([][][]float32, len(r.layers))
	for i, rows := range r.ffn {
		out.Activations[i] = transpose(rows)
	}
}

// transpose turns [position][neuron] into [neuron][position].
func transpose(rows [][]float32) [][]float32 {
	if len(rows) == 0 {
		return nil
	}
	out := make([][]float32, len(rows[0]))
	flat := make([]float32, len(rows)*len(rows[0]))
	for j := range out {
		out[j] = flat[j*len(rows) : (j+1)*len(rows) : (j+1)*len(rows)]
		for p, row := range rows {
			out[j][p] = row[j]
		}
	}
	return out
}
