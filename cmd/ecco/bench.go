package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/hub"
)

const benchSynopsis = "ecco bench -model M [-prompt TEXT] [-n 35] [-repeat 3] [-ig-tokens 10] [-json FILE] [-quiet]"

// benchPrompt is the project's prompt 1, the one Ecco was timed on.
const benchPrompt = "Frameworks for Machine Learning include: 1. TensorFlow\n2. PyTorch\n3.Scikit-learn\n4."

// Ecco's timings on this kind of machine (2 cores, CPU, float32, the DistilGPT2-shaped model that
// `ecco testmodel` writes, prompt 1, 35 tokens): the original Ecco run side by side with ecco-go,
// quiet, one run each, as recorded in the project's engine issue (#11). The 25.0 s of
// tests/testdata/REFERENCE.md was an earlier run of Ecco alone.
const (
	eccoLoad                = 3.6
	eccoForward             = 0.38
	eccoGenerate            = 5.7
	eccoGradXInput          = 26.6 // with activations on, as ecco-go's bench runs it
	eccoIntegratedGradients = 73.9
	eccoIGTokens            = 10

	eccoNewTokens = 35
	eccoLayers    = 6
	eccoWidth     = 768
	eccoHeads     = 12
	eccoVocab     = 50257
)

// defaultIGTokens is how many generated tokens the integrated-gradients step explains.
const defaultIGTokens = 10

// benchStep is one timed operation.
type benchStep struct {
	Name    string    `json:"name"`
	Ecco    *float64  `json:"ecco_seconds"` // null where Ecco has no figure
	Median  float64   `json:"median_seconds"`
	First   float64   `json:"first_seconds"` // includes compiling the step's graphs
	Seconds []float64 `json:"seconds"`       // every run, in order
}

// benchJSON is the file `ecco bench -json` writes: the timings and, inline, the build and
// machine they were measured on (`ecco env -json`).
type benchJSON struct {
	ecco.Env
	Model        string           `json:"model"`
	BackendName  string           `json:"backend_name"` // the backend as it names itself
	Config       ecco.ModelConfig `json:"config"`
	PromptTokens int              `json:"prompt_tokens"`
	NewTokens    int              `json:"new_tokens"`
	IGTokens     int              `json:"ig_tokens"`
	Repeat       int              `json:"repeat"`
	Comparable   bool             `json:"comparable_to_ecco"` // DistilGPT2 shape, prompt 1, 35 tokens
	Steps        []benchStep      `json:"steps"`
}

func seconds(s float64) *float64 { return &s }

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	model := modelFlag(fs)
	prompt := fs.String("prompt", benchPrompt, "the `text` to run on (default: the project's prompt 1)")
	n := fs.Int("n", eccoNewTokens, "`tokens` to generate")
	repeat := fs.Int("repeat", 3, "runs of each step; the median is reported")
	igTokens := fs.Int("ig-tokens", defaultIGTokens, "generated `tokens` to explain with integrated gradients")
	jsonPath := fs.String("json", "", "also write the timings to this JSON `file`")
	quiet := fs.Bool("quiet", false, "no progress line on stderr while a run goes on (there is one only when stderr is a terminal)")
	if err := parseFlags(fs, benchSynopsis, args, stdout); err != nil {
		return err
	}
	if err := checkBenchFlags(*prompt, *n, *repeat, *igTokens, *jsonPath); err != nil {
		return err
	}
	name := *model
	if name == "" {
		name = os.Getenv(ecco.ModelEnv)
	}
	// Resolve once, untimed: a first download is not load time.
	dir, err := resolveModel(name)
	if err != nil {
		return err
	}
	noteFastPath(stderr)
	backend, err := ecco.NewBackend()
	if err != nil {
		return err
	}
	// Each run's progress line is erased when it ends: the per-run times are the record.
	line := newProgress(stderr, *quiet, true)
	defer line.close()
	b := &bencher{repeat: *repeat, prompt: *prompt, n: *n, igTokens: *igTokens, progress: stderr, hook: line.hook()}
	var lm *ecco.LM
	steps := []benchStep{
		b.time("load model", eccoLoad, func() error {
			lm, err = ecco.FromPretrained(dir, ecco.WithActivations(), ecco.WithBackend(backend))
			return err
		}),
	}
	if b.err != nil {
		return b.err
	}
	ids, err := lm.Encode(*prompt)
	if err != nil {
		return err
	}
	if limit, longest := lm.Info().Positions, max(*n, *igTokens); len(ids)+longest > limit {
		return fmt.Errorf("the prompt's %d tokens plus %d new ones exceed the model's context of %d positions", len(ids), longest, limit)
	}
	steps = append(steps, b.runSteps(lm, ids)...)
	if b.err != nil {
		return b.err
	}
	doc := benchJSON{Env: ecco.ReadEnv(), Model: name, BackendName: backend.Name(), PromptTokens: len(ids), NewTokens: *n, IGTokens: *igTokens, Repeat: *repeat, Steps: steps}
	c := lm.Info()
	doc.Config = ecco.ModelConfig{ModelType: c.ModelType, NLayer: c.Layers, NEmbd: c.Width, NHead: c.Heads, NInner: c.Neurons, VocabSize: c.Vocab}
	doc.Comparable = *prompt == benchPrompt && *n == eccoNewTokens && c.ModelType == "gpt2" &&
		c.Layers == eccoLayers && c.Width == eccoWidth && c.Heads == eccoHeads && c.Vocab == eccoVocab
	if *jsonPath != "" {
		if err := writeJSON(*jsonPath, doc); err != nil {
			return err
		}
	}
	return printBench(stdout, &doc)
}

func checkBenchFlags(prompt string, n, repeat, igTokens int, jsonPath string) error {
	if err := checkPrompt(prompt); err != nil {
		return err
	}
	if n < 1 {
		return usageErrorf("-n %d: want at least 1 token to generate", n)
	}
	if repeat < 1 {
		return usageErrorf("-repeat %d: want at least 1 run", repeat)
	}
	if igTokens < 1 {
		return usageErrorf("-ig-tokens %d: want at least 1 token", igTokens)
	}
	return checkOutputPath("json", jsonPath)
}

// runSteps times everything after loading, on lm.
func (b *bencher) runSteps(lm *ecco.LM, ids []int) []benchStep {
	var out *ecco.Output
	var err error
	steps := []benchStep{
		b.time("forward over the prompt", eccoForward, func() error {
			_, err := lm.ForwardIDs(ids, false)
			return err
		}),
		b.time(fmt.Sprintf("generate %d tokens + activations", b.n), eccoGenerate, func() error {
			_, err := lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.n, Progress: b.hook})
			return err
		}),
		b.time(fmt.Sprintf("generate %d + grad_x_input", b.n), eccoGradXInput, func() error {
			_, err := lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.n, Attribution: []ecco.Method{ecco.GradXInput}, Progress: b.hook})
			return err
		}),
	}
	// Integrated gradients alone: each run explains a fresh (untimed) 10-token generation.
	eccoIG := -1.0
	if b.igTokens == eccoIGTokens {
		eccoIG = eccoIntegratedGradients
	}
	ig := b.timeWithSetup(fmt.Sprintf("integrated gradients, %d tokens", b.igTokens), eccoIG, func() error {
		out, err = lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.igTokens, Progress: b.hook})
		return err
	}, func() error {
		_, err := out.Attribution(ecco.IntegratedGradients)
		return err
	})
	return append(steps, ig)
}

// bencher runs steps, keeping the first error; later steps are skipped once one failed.
type bencher struct {
	repeat   int
	prompt   string
	n        int
	igTokens int
	progress io.Writer         // each run's time as it ends: a full bench takes many minutes
	hook     ecco.ProgressFunc // the progress line within a run; nil: none
	err      error
}

// time runs f b.repeat times. eccoSeconds < 0 means Ecco has no figure.
func (b *bencher) time(name string, eccoSeconds float64, f func() error) benchStep {
	return b.timeWithSetup(name, eccoSeconds, nil, f)
}

// timeWithSetup runs setup (untimed, when not nil) before each timed run of f.
func (b *bencher) timeWithSetup(name string, eccoSeconds float64, setup, f func() error) benchStep {
	step := benchStep{Name: name}
	if eccoSeconds >= 0 {
		step.Ecco = seconds(eccoSeconds)
	}
	for range b.repeat {
		if b.err != nil {
			return step
		}
		if setup != nil {
			if err := setup(); err != nil {
				b.err = fmt.Errorf("%s: preparing: %w", name, err)
				return step
			}
		}
		// Untimed: the previous run's garbage (a whole model, for the load step) is collected
		// first, as Python frees it on the spot; left to the collector, it made the next load
		// page-fault fresh memory (load medians 0.27–0.41 s from run to run; 0.25–0.27 s with this).
		runtime.GC()
		start := time.Now()
		if err := f(); err != nil {
			b.err = fmt.Errorf("%s: %w", name, err)
			return step
		}
		step.Seconds = append(step.Seconds, time.Since(start).Seconds())
		fmt.Fprintf(b.progress, "bench: %s, run %d of %d: %s\n", name, len(step.Seconds), b.repeat, formatSeconds(step.Seconds[len(step.Seconds)-1]))
	}
	step.First = step.Seconds[0]
	step.Median = median(step.Seconds)
	return step
}

// median of xs (the mean of the middle two for an even count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 0 {
		return (s[m-1] + s[m]) / 2
	}
	return s[m]
}

// resolveModel finds the model's folder, downloading a hub id not yet cached.
func resolveModel(name string) (string, error) {
	if name == "" {
		return "", usageErrorf("no -model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ecco.ModelEnv)
	}
	return hub.Resolve(context.Background(), name, nil)
}
