package main

import (
	"io"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/bench"
	"github.com/ecco-go/ecco/internal/jsonfile"
	"github.com/ecco-go/ecco/internal/progress"
)

const benchSynopsis = "ecco bench -model M [-prompt TEXT] [-n 35] [-repeat 3] [-ig-tokens 10] [-json FILE] [-quiet]"

// benchPrompt is the project's prompt 1, the one the reference runs use.
const benchPrompt = "Frameworks for Machine Learning include: 1. TensorFlow\n2. PyTorch\n3.Scikit-learn\n4."

// defaultNewTokens is how many tokens the generation steps produce.
const defaultNewTokens = 35

// defaultIGTokens is how many generated tokens the integrated-gradients step explains.
const defaultIGTokens = 10

// benchJSON is the file `ecco bench -json` writes.
type benchJSON = bench.Report

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
	name := modelName(*model)
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
	doc, err := bench.Run(name, dir, backend, bench.Options{Prompt: *prompt, NewTokens: *n, IGTokens: *igTokens,
		Repeat: *repeat, Log: stderr, Progress: line.Hook()})
	if err != nil {
		return err
	}
	if *jsonPath != "" {
		if err := jsonfile.Write(*jsonPath, doc); err != nil {
			return err
		}
	}
	return bench.Print(stdout, doc)
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
