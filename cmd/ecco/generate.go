package main

import (
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/progress"
)

const generateSynopsis = "ecco generate -model M -prompt TEXT [-n N] [-sample [-temperature T] [-top-k K] [-top-p P] [-seed S]] [-stop-at-eos]\n" +
	"               [-json FILE] [-html FILE] [-attribution METHODS [-ig-steps 50] [-contrast FOIL] [-faithfulness]] [-activations [-all-positions] [-nmf K]]\n" +
	"               [-rankings] [-layer-predictions K] [-logit-lens ecco|ln_f] [-attention] [-quiet]\n" +
	"               [-ablate L:n1,n2] [-add L:n1,n2=V] [-set L:n=V]"

// generateFlags are the command line of `ecco generate`.
type generateFlags struct {
	model, prompt    string
	n                int
	sample           bool
	temperature      float64
	topK             int
	topP             float64
	seed             uint64
	stopAtEOS        bool
	jsonPath, html   string
	attribution      string
	igSteps          int
	activations      bool
	allPositions     bool
	rankings         bool
	layerPredictions int
	logitLens        string
	nmf              int
	attention        bool
	quiet            bool
	edits            editFlags
	explain          explainFlags

	methods []ecco.Method // canonical attribution methods, from attribution
	lens    ecco.Lens     // the convention for rankings, layer predictions and the lens grid
}

func (g *generateFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&g.model, "model", "", "model `folder or hub id` (e.g. distilgpt2); default $ECCO_MODEL")
	fs.StringVar(&g.prompt, "prompt", "", "the `text` to continue")
	fs.IntVar(&g.n, "n", 10, "how many `tokens` to generate (at least 1)")
	fs.BoolVar(&g.sample, "sample", false, "sample instead of greedy decoding")
	fs.Float64Var(&g.temperature, "temperature", ecco.DefaultTemperature, "sampling temperature (> 0), with -sample")
	fs.IntVar(&g.topK, "top-k", ecco.DefaultTopK, "with -sample, draw among the `K` most probable tokens; 0 turns the filter off")
	fs.Float64Var(&g.topP, "top-p", ecco.DefaultTopP, "with -sample, keep the most probable tokens up to this total `probability`, in (0, 1]")
	fs.Uint64Var(&g.seed, "seed", 0, "with -sample, the random seed: the same seed repeats a run (0: a fresh one, recorded in the JSON's options.seed)")
	fs.BoolVar(&g.stopAtEOS, "stop-at-eos", false, "stop early at <|endoftext|>")
	fs.StringVar(&g.jsonPath, "json", "", "write the tokens and every requested result to this JSON `file`")
	fs.StringVar(&g.html, "html", "", "write a standalone HTML page with the views (sequence, saliency, NMF, rankings) to this `file`")
	fs.StringVar(&g.attribution, "attribution", "", "comma-separated attribution `methods`: grad_x_input, gradient (saliency), integrated_gradients (ig), occlusion, attention_last, attention_rollout, value_zeroing")
	fs.IntVar(&g.igSteps, "ig-steps", ecco.DefaultIGSteps, "integrated-gradients `steps`")
	fs.BoolVar(&g.activations, "activations", false, "capture the FFN neuron activations of every layer")
	fs.BoolVar(&g.allPositions, "all-positions", false, "capture states at every token, not Ecco's prompt + generated[:-1]")
	fs.BoolVar(&g.rankings, "rankings", false, "rank of each generated token at every layer (Ecco's rankings)")
	fs.IntVar(&g.layerPredictions, "layer-predictions", 0, "each layer's top `K` tokens at every generated position (Ecco's layer_predictions); 0: off")
	fs.StringVar(&g.logitLens, "logit-lens", "", "logit-lens `convention` for rankings and layer predictions, and also write the lens over every position: ecco or ln_f")
	fs.IntVar(&g.nmf, "nmf", 0, "factorise the activations into `K` NMF factors (needs -activations); 0: off")
	fs.BoolVar(&g.attention, "attention", false, "write the attention probabilities [layer][head][query][key] of one forward pass over prompt + generated tokens")
	g.edits.declare(fs)
	g.explain.declare(fs)
	fs.BoolVar(&g.quiet, "quiet", false, "no progress line on stderr (there is one only when stderr is a terminal)")
}

// validate checks the flags before any model is loaded, so a typo costs nothing.
func (g *generateFlags) validate() error {
	if err := checkPrompt(g.prompt); err != nil {
		return err
	}
	if g.n < 1 {
		return usageErrorf("-n %d: want at least 1 token to generate", g.n)
	}
	if !(g.temperature > 0) || math.IsInf(g.temperature, 0) {
		return usageErrorf("-temperature %g: want a positive number (1 leaves the distribution as it is)", g.temperature)
	}
	if g.topK < 0 {
		return usageErrorf("-top-k %d: want 0 (off) or a positive number", g.topK)
	}
	if !(g.topP > 0 && g.topP <= 1) {
		return usageErrorf("-top-p %g: want a number in (0, 1] (1 turns the filter off)", g.topP)
	}
	if g.igSteps < 1 {
		return usageErrorf("-ig-steps %d: want at least 1", g.igSteps)
	}
	if g.layerPredictions < 0 {
		return usageErrorf("-layer-predictions %d: want 0 (off) or a positive number of tokens per layer", g.layerPredictions)
	}
	if g.nmf < 0 {
		return usageErrorf("-nmf %d: want 0 (off) or a positive number of factors", g.nmf)
	}
	if g.nmf > 0 && !g.activations {
		return usageErrorf("-nmf %d needs -activations: NMF factorises the captured neuron activations", g.nmf)
	}
	methods, err := parseMethodList(g.attribution)
	if err != nil {
		return err
	}
	g.methods = methods
	if err := g.explain.validate(methods, g.stopAtEOS); err != nil {
		return err
	}
	lens, err := ecco.ParseLens(g.logitLens)
	if err != nil {
		return usageErrorf("-logit-lens: %s", trimEccoPrefix(err))
	}
	g.lens = lens
	analysis := g.methods != nil || g.activations || g.rankings || g.layerPredictions > 0 || g.logitLens != "" || g.attention
	if analysis && g.jsonPath == "" && g.html == "" {
		return usageErrorf("the requested results would be lost: add -json FILE (or -html FILE) to save them")
	}
	if err := checkOutputPath("json", g.jsonPath); err != nil {
		return err
	}
	return checkOutputPath("html", g.html)
}

// options maps the command line to the ecco package's conventions: there TopK 0 means the
// default and a negative value turns the filter off.
func (g *generateFlags) options() ecco.GenerateOptions {
	topK := g.topK
	if topK == 0 {
		topK = -1
	}
	return ecco.GenerateOptions{
		Tokens: g.n, Sample: g.sample, Temperature: g.temperature, TopK: topK, TopP: g.topP,
		Seed: g.seed, StopAtEOS: g.stopAtEOS, Attribution: g.methods, IGSteps: g.igSteps,
		AllPositions: g.allPositions, Attention: g.attention,
	}
}

func runGenerate(args []string, stdout, stderr io.Writer) error {
	var g generateFlags
	fs := newFlags("generate")
	g.declare(fs)
	if err := parseFlags(fs, generateSynopsis, args, stdout); err != nil {
		return err
	}
	if err := g.validate(); err != nil {
		return err
	}
	noteFastPath(stderr)
	line := progress.ForStderr(stderr, g.quiet, false)
	defer line.Close()
	var opts []ecco.Option
	if g.activations {
		opts = append(opts, ecco.WithActivations())
	}
	lm, err := ecco.FromPretrained(g.model, opts...)
	if err != nil {
		return err
	}
	if lm, err = g.edits.apply(lm); err != nil {
		return err
	}
	if err := g.explain.checkFoil(lm, g.n); err != nil {
		return err
	}
	genOpts := g.options()
	genOpts.Progress = line.Hook()
	out, err := lm.Generate(g.prompt, genOpts)
	if err != nil {
		return err
	}
	if err := g.explain.apply(out, g.methods); err != nil {
		return err
	}
	if g.sample && g.seed == 0 && g.jsonPath == "" { // with -json the seed is in options.seed
		fmt.Fprintf(stderr, "sampled with -seed %d (pass it again to repeat this text)\n", out.Options.Seed)
	}
	if g.jsonPath != "" {
		if err := out.Keep(lm, ecco.Saved{NMF: g.nmf, Rankings: g.rankings, LayerPredictions: g.layerPredictions,
			LogitLens: g.logitLens != "", Lens: g.lens}); err != nil {
			return err
		}
		if err := out.Save(g.jsonPath); err != nil {
			return err
		}
	}
	if g.html != "" {
		if err := out.WriteHTML(g.html, g.nmf); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintln(stdout, out.Text)
	return err
}
