package main

import (
	"io"

	"github.com/ecco-go/ecco/internal/batch"
)

const (
	batchSynopsis = "ecco batch -model M -in FILE.jsonl -out DIR [-n N] [-attribution METHODS] [-activations] [-shard i/n] [-workers K] [-format jsonl|parquet] [-strict] [-quiet]"
	mergeSynopsis = "ecco merge -out DIR [-in FILE.jsonl] [-format jsonl|parquet] SHARD_DIR..."
)

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
	return batch.Execute(cfg, stdout)
}

// runMerge joins the output folders of `ecco batch -shard i/n` runs.
func runMerge(args []string, stdout, stderr io.Writer) error {
	var f batch.MergeFlags
	fs := newFlags("merge")
	f.Declare(fs)
	if err := fs.Parse(args); err != nil {
		return parseFlags(fs, mergeSynopsis, args, stdout) // -h, or one line for a bad flag
	}
	cfg, err := f.Config(fs.Args())
	if err != nil {
		return usageErrorf("%v (run 'ecco merge -h')", err)
	}
	return batch.ExecuteMerge(cfg, stdout)
}
