package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
)

// Exit statuses: 0 success, 1 a failure while running, 2 a bad command line.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command is one subcommand: its name, a one-line summary for the general usage, and its entry point.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order the usage shows them.
var commands = []command{
	{"generate", "continue a prompt; optionally save attributions, activations, rankings, NMF, HTML", runGenerate},
	{"forward", "one forward pass over a prompt; the last position's logits", runForward},
	{"tokenize", "token ids and tokens of a prompt (needs only the tokenizer files)", runTokenize},
	{"batch", "explain every line of a JSONL dataset with one loaded model; resumable, shardable", runBatch},
	{"merge", "join the output folders of `ecco batch -shard i/n` runs, checking every id is there once", runMerge},
	{"report", "summarise an `ecco batch` output folder: attribution by distance, top tokens, faithfulness, NMF factors; HTML or JSON", runReport},
	{"testmodel", "write a GPT-2, LLaMA-family, Gemma or Pythia model with random weights in HuggingFace layout", runTestModel},
	{"bench", "time loading, forward, generation and attribution on this machine", runBench},
	{"env", "the build and machine (Go, GoMLX, backend, SIMD path, CPUs, cache): paste it into bug reports", runEnv},
}

func main() {
	if os.Getenv("GOGC") == "" {
		// Go's default lets garbage grow as large as the live heap (BENCHMARKS.md).
		debug.SetGCPercent(gcPercent)
		gcFloor = make([]byte, gcFloorBytes)
	}
	stop, err := startCPUProfile(os.Getenv(cpuProfileEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecco:", err)
		os.Exit(exitError)
	}
	status := run(os.Args[1:], os.Stdout, os.Stderr)
	for _, err := range []error{stop(), writeMemProfile(os.Getenv(memProfileEnv))} {
		if err != nil {
			fmt.Fprintln(os.Stderr, "ecco:", err)
			status = max(status, exitError)
		}
	}
	os.Exit(status)
}

// gcPercent is the collector's target unless GOGC is set.
const gcPercent = 25

// gcFloor is memory the collector counts as live but the process never touches, so it holds no
// pages: a floor under the collector's goal (a "ballast") when GOGC is not set.
//
// Why: the weights live outside the collected heap (decoder's offHeapFloats), so while decoding
// the live heap is a few tens of MB and GOGC 25 collected every few MB; each collection empties
// the Go backend's buffer pools, so every step allocated and zeroed its buffers anew. SmolLM-135M
// generate 35 + grad×input + activations: 418 collections, 9.9–10.7 s; with this floor 95,
// 8.8–9.8 s, peak RSS 1.02 → 1.05 GB (BENCHMARKS.md, "Weights outside the collected heap").
var gcFloor []byte

const gcFloorBytes = 64 << 20

// run is the whole program: tests call it in-process. Every failure, a panic included, ends as
// one "ecco: ..." line on stderr and a non-zero status.
func run(args []string, stdout, stderr io.Writer) (status int) {
	name := ""
	defer func() {
		if r := recover(); r != nil {
			status = report(stderr, name, fmt.Errorf("internal error: %v", r))
		}
	}()
	if len(args) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	name = args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		writeUsage(stdout)
		return exitOK
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		name = ""
		return report(stderr, "", usageErrorf("unknown command %q: want one of %s (run 'ecco help')", args[0], commandNames()))
	}
	return report(stderr, name, commands[i].run(args[1:], stdout, stderr))
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func writeUsage(w io.Writer) {
	fmt.Fprintf(w, "ecco explains language models: GPT-2, GPT-Neo, the LLaMA family, Gemma and the BERT family (a Go port of Ecco).\n\nUsage:\n  ecco <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'ecco <command> -h' for a command's flags. -model takes a folder or a hub id such as \"distilgpt2\";\nwithout it, $ECCO_MODEL is used.\n")
}
