package main

import (
	"fmt"
	"io"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/batch"
)

const batchSynopsis = "ecco batch -model M -in FILE.jsonl -out DIR [-n N] [-attribution METHODS] [-activations] [-shard i/n] [-strict] [-quiet]"

// runBatch explains every line of a JSONL dataset with one loaded model (internal/batch).
func runBatch(args []string, stdout, stderr io.Writer) error {
	var f batch.Flags
	fs := newFlags("batch")
	f.Declare(fs)
	if err := parseFlags(fs, batchSynopsis, args, stdout); err != nil {
		return err
	}
	cfg, err := f.Config(modelName(fs.Lookup("model").Value.String()), stderr)
	if err != nil {
		return usageErrorf("%v (run 'ecco batch -h')", err)
	}
	noteFastPath(stderr)
	lm, err := ecco.FromPretrained(cfg.Model, cfg.LoadOptions()...)
	if err != nil {
		return err
	}
	sum, err := batch.Run(lm, cfg)
	if sum.Total > 0 || err == nil { // the input was read
		fmt.Fprintln(stdout, sum)
	}
	return err
}

// runMerge joins the output folders of `ecco batch -shard i/n` runs.
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge")
	out := fs.String("out", "", "merged output `folder`")
	in := fs.String("in", "", "the input `file` the shards ran, to check each good record has one result (default: shards checked against each other)")
	if err := fs.Parse(args); err != nil {
		return parseFlags(fs, "ecco merge -out DIR [-in FILE.jsonl] SHARD_DIR...", args, stdout) // -h, or one line for a bad flag
	}
	if *out == "" || fs.NArg() == 0 {
		return usageErrorf("want -out DIR and at least one shard folder (run 'ecco merge -h')")
	}
	n, err := batch.Merge(batch.MergeConfig{Out: *out, Input: *in, Shards: fs.Args()})
	if err == nil {
		_, err = fmt.Fprintf(stdout, "%d results merged from %d shards into %s\n", n, fs.NArg(), *out)
	}
	return err
}
