package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/hub"
	"github.com/ecco-go/ecco/internal/progress"
	"github.com/ecco-go/ecco/internal/timing"
)

const benchSynopsis = "ecco bench -model M [-prompt TEXT] [-n 35] [-repeat 3] [-ig-tokens 10] [-json FILE] [-quiet]"

// benchPrompt is the project's prompt 1, the one the reference runs use.
const benchPrompt = "Frameworks for Machine Learning include: 1. TensorFlow\n2. PyTorch\n3.Scikit-learn\n4."

// defaultNewTokens is how many tokens the generation steps produce.
const defaultNewTokens = 35

// defaultIGTokens is how many generated tokens the integrated-gradients step explains.
const defaultIGTokens = 10

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
	Steps        []timing.Step    `json:"steps"`
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	model := modelFlag(fs)
	prompt := fs.String("prompt", benchPrompt, "the `text` to run on (default: the project's prompt 1)")
	n := fs.Int("n", defaultNewTokens, "`tokens` to generate")
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
	line := progress.ForStderr(stderr, *quiet, true)
	defer line.Close()
	b := &bencher{Runner: timing.Runner{Repeat: *repeat, Progress: stderr}, prompt: *prompt, n: *n, igTokens: *igTokens, hook: line.Hook()}
	var lm *ecco.LM
	steps := []timing.Step{
		b.Time("load model", nil, func() error {
			lm, err = ecco.FromPretrained(dir, ecco.WithActivations(), ecco.WithBackend(backend))
			return err
		}),
	}
	if b.Err != nil {
		return b.Err
	}
	ids, err := lm.Encode(*prompt)
	if err != nil {
		return err
	}
	if limit, longest := lm.Info().Positions, max(*n, *igTokens); len(ids)+longest > limit {
		return fmt.Errorf("the prompt's %d tokens plus %d new ones exceed the model's context of %d positions", len(ids), longest, limit)
	}
	steps = append(steps, b.runSteps(lm, ids)...)
	if b.Err != nil {
		return b.Err
	}
	doc := benchJSON{Env: ecco.ReadEnv(), Model: name, BackendName: backend.Name(), PromptTokens: len(ids), NewTokens: *n, IGTokens: *igTokens, Repeat: *repeat, Steps: steps}
	c := lm.Info()
	doc.Config = ecco.ModelConfig{ModelType: c.ModelType, NLayer: c.Layers, NEmbd: c.Width, NHead: c.Heads, NInner: c.Neurons, VocabSize: c.Vocab}
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
func (b *bencher) runSteps(lm *ecco.LM, ids []int) []timing.Step {
	var out *ecco.Output
	var err error
	steps := []timing.Step{
		b.Time("forward over the prompt", nil, func() error {
			_, err := lm.ForwardIDs(ids, false)
			return err
		}),
		b.Time(fmt.Sprintf("generate %d tokens + activations", b.n), nil, func() error {
			_, err := lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.n, Progress: b.hook})
			return err
		}),
		b.Time(fmt.Sprintf("generate %d + grad_x_input", b.n), nil, func() error {
			_, err := lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.n, Attribution: []ecco.Method{ecco.GradXInput}, Progress: b.hook})
			return err
		}),
	}
	// Integrated gradients alone: each run explains a fresh (untimed) generation.
	ig := b.Time(fmt.Sprintf("integrated gradients, %d tokens", b.igTokens), func() error {
		out, err = lm.Generate(b.prompt, ecco.GenerateOptions{Tokens: b.igTokens, Progress: b.hook})
		return err
	}, func() error {
		_, err := out.Attribution(ecco.IntegratedGradients)
		return err
	})
	return append(steps, ig)
}

// bencher times the steps of one bench run.
type bencher struct {
	timing.Runner
	prompt   string
	n        int
	igTokens int
	hook     ecco.ProgressFunc // the progress line within a run; nil: none
}

// resolveModel finds the model's folder, downloading a hub id not yet cached.
func resolveModel(name string) (string, error) {
	if name == "" {
		return "", usageErrorf("no -model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ecco.ModelEnv)
	}
	return hub.Resolve(context.Background(), name, nil)
}
