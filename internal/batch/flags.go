package batch

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/progress"
)

// Flags are `ecco batch`'s command line.
type Flags struct {
	model, in, out, attribution, shard string
	n, workers                         int
	format                             string
	activations, hidden, strict        bool
	quiet                              bool
}

// Declare adds the flags to fs.
func (f *Flags) Declare(fs *flag.FlagSet) {
	fs.StringVar(&f.model, "model", "", "model `folder or hub id` (e.g. distilgpt2); default $"+ecco.ModelEnv)
	fs.StringVar(&f.in, "in", "", "input `file`: one JSON object per line, {\"id\", \"prompt\"} and optionally \"target\" (a continuation to attribute instead of generating) and \"foil\" (a text to contrast with, one token per step, as ecco generate -contrast)")
	fs.StringVar(&f.out, "out", "", "output `folder`: results.jsonl, errors.jsonl, manifest.json; rerunning the same command resumes")
	fs.IntVar(&f.n, "n", 10, "`tokens` to generate for records without a target")
	fs.StringVar(&f.attribution, "attribution", "", "comma-separated attribution `methods`: grad_x_input, gradient (saliency), integrated_gradients (ig)")
	fs.BoolVar(&f.activations, "activations", false, "capture the FFN neuron activations of every layer")
	fs.BoolVar(&f.hidden, "hidden", false, "keep each record's hidden states (\"hidden_states\" [layer+1][position][width], as ecco generate -json writes: "+
		"about 3.6 MB of JSON for a DistilGPT2 record of 50 tokens, where its tokens and attributions take about 12 KB)")
	fs.StringVar(&f.shard, "shard", "", "run only share `i/n` of the ids (0 <= i < n), for n independent jobs")
	fs.BoolVar(&f.strict, "strict", false, "stop at the first bad record instead of listing it in errors.jsonl")
	fs.IntVar(&f.workers, "workers", 1, workersHelp)
	fs.StringVar(&f.format, "format", "jsonl", "`jsonl`, or parquet: results.jsonl stays the journal (resume reads it) and results.parquet is written from it when the run ends")
	fs.BoolVar(&f.quiet, "quiet", false, "no progress line on stderr (there is one only when stderr is a terminal)")
}

// workersHelp says what -workers bought where it was measured (BENCHMARKS.md "ecco batch").
const workersHelp = "`records` explained at once over the one loaded model, written in input order; a kill loses at most this many. " +
	"Pays only with idle cores: on a shared 2-core EPYC (load 13-18) -workers 2 took 156-199 s for 16 DistilGPT2-shaped prompts against 112-165 s for 1, " +
	"as the matrix products already use every core"

// Config checks the flags, before any model loads; model is -model or its default. Progress
// goes to stderr when it is a terminal and -quiet is off.
func (f *Flags) Config(model string, stderr io.Writer) (Config, error) {
	cfg := Config{Options: Options{Model: model, Input: f.in, Tokens: f.n, Activations: f.activations, Hidden: f.hidden}, Out: f.out, Strict: f.strict, Workers: f.workers}
	if !f.quiet && progress.IsTerminal(stderr) {
		cfg.Log = stderr
	}
	switch {
	case model == "":
		return cfg, fmt.Errorf("no -model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ecco.ModelEnv)
	case f.in == "" || f.out == "":
		return cfg, errors.New("-in FILE.jsonl and -out DIR are both needed")
	case f.n < 1:
		return cfg, fmt.Errorf("-n %d: want at least 1 token to generate", f.n)
	case f.workers < 1:
		return cfg, fmt.Errorf("-workers %d: want at least 1 record at a time", f.workers)
	}
	var err error
	if cfg.Parquet, err = parquetFormat(f.format); err != nil {
		return cfg, err
	}
	if f.attribution != "" {
		for _, name := range strings.Split(f.attribution, ",") {
			m, err := ecco.ParseMethod(name)
			if err != nil {
				return cfg, fmt.Errorf("-attribution: %s", strings.TrimPrefix(err.Error(), "ecco: "))
			}
			cfg.Attribution = append(cfg.Attribution, string(m))
		}
	}
	if cfg.Shard, err = ParseShard(f.shard); err != nil {
		return cfg, fmt.Errorf("-%w", err)
	}
	return cfg, nil
}

// Execute loads the model once and runs cfg; the summary goes to stdout once the input was read.
func Execute(cfg Config, stdout io.Writer) error {
	var opts []ecco.Option
	if cfg.Activations {
		opts = append(opts, ecco.WithActivations())
	}
	lm, err := ecco.FromPretrained(cfg.Model, opts...)
	if err != nil {
		return err
	}
	sum, err := Run(lm, cfg)
	if sum.Total > 0 || err == nil {
		fmt.Fprintln(stdout, sum)
	}
	return err
}

// parquetFormat reads -format: false for jsonl, true for parquet (the JSONL is always written).
func parquetFormat(format string) (bool, error) {
	switch format {
	case "jsonl":
		return false, nil
	case "parquet":
		return true, nil
	}
	return false, fmt.Errorf("-format %q: want jsonl or parquet", format)
}

// MergeFlags are `ecco merge`'s command line.
type MergeFlags struct{ out, in, format string }

// Declare adds the flags to fs.
func (f *MergeFlags) Declare(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "out", "", "merged output `folder`")
	fs.StringVar(&f.in, "in", "", "the input `file` the shards ran, to check each good record has one result (default: shards checked against each other)")
	fs.StringVar(&f.format, "format", "jsonl", "`jsonl`, or parquet to write results.parquet beside the merged results.jsonl")
}

// Config checks the flags and the shard folders (the arguments after the flags).
func (f *MergeFlags) Config(shards []string) (MergeConfig, error) {
	if f.out == "" || len(shards) == 0 {
		return MergeConfig{}, errors.New("want -out DIR and at least one shard folder")
	}
	parquet, err := parquetFormat(f.format)
	if err != nil {
		return MergeConfig{}, err
	}
	return MergeConfig{Out: f.out, Input: f.in, Shards: shards, Parquet: parquet}, nil
}

// ExecuteMerge merges and says so on stdout.
func ExecuteMerge(cfg MergeConfig, stdout io.Writer) error {
	n, err := Merge(cfg)
	if err == nil {
		_, err = fmt.Fprintf(stdout, "%d results merged from %d shards into %s\n", n, len(cfg.Shards), cfg.Out)
	}
	return err
}
