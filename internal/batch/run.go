package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ecco-go/ecco/ecco"
)

// Config is one `ecco batch` run.
type Config struct {
	Options
	Out    string // the output folder
	Strict bool   // stop at the first bad record instead of setting it aside
	// Workers is how many records are explained at once over the one LM (which is safe for
	// concurrent use); < 2 runs them one by one. Results are written in input order either way,
	// and a kill loses at most Workers records.
	Workers int
	// Parquet also writes results.parquet from results.jsonl when the run ends (parquet.go).
	Parquet bool
	Log     io.Writer // progress lines; nil: none

	// stopAfter, when > 0, ends the run with errStopped after that many results: tests use it
	// to stand for a kill part-way.
	stopAfter int
}

// errStopped ends a run cut short by Config.stopAfter.
var errStopped = errors.New("stopped by the test hook")

// Summary is what a run did.
type Summary struct {
	Total   int // records of this shard in the input, good or bad
	Skipped int // already in results.jsonl from an earlier run
	Done    int // results written by this run
	Failed  int // records set aside in errors.jsonl
}

// String is the one-line account the command prints.
func (s Summary) String() string {
	return fmt.Sprintf("%d results written, %d already there, %d failed, of %d records", s.Done, s.Skipped, s.Failed, s.Total)
}

// ErrRecordsFailed is wrapped by Run's error when some records were set aside.
var ErrRecordsFailed = errors.New("records failed")

// Run explains every record of cfg.Input that cfg.Shard owns and is not yet in
// cfg.Out/results.jsonl, appending one line per result as it completes. lm must have been
// loaded with activations when cfg.Activations is set. Bad records go to errors.jsonl (which
// each run starts afresh) and the run goes on, unless cfg.Strict; the error then wraps
// ErrRecordsFailed.
func Run(lm *ecco.LM, cfg Config) (Summary, error) {
	var sum Summary
	if len(cfg.Attribution) == 0 {
		cfg.Attribution = nil
	}
	if err := prepareDir(cfg.Out, cfg.Options); err != nil {
		return sum, err
	}
	resultsPath := filepath.Join(cfg.Out, ResultsFile)
	lines, end, err := indexResults(resultsPath)
	if err != nil {
		return sum, err
	}
	done := make(map[string]bool, len(lines))
	for _, l := range lines {
		done[l.id] = true
	}
	records, bad, err := readInput(cfg.Input, cfg.Shard)
	if err != nil {
		return sum, err
	}
	sum.Total = len(records) + len(bad)
	results, err := openAppend(resultsPath, end)
	if err != nil {
		return sum, err
	}
	defer results.Close()
	errorsOut, err := openAppend(filepath.Join(cfg.Out, ErrorsFile), 0)
	if err != nil {
		return sum, err
	}
	defer errorsOut.Close()
	fail := func(e RecordError) error {
		sum.Failed++
		if err := errorsOut.writeJSON(e); err != nil {
			return err
		}
		if cfg.Strict {
			return fmt.Errorf("%s line %d (id %q): %s (-strict stops at the first bad record)", cfg.Input, e.Line, e.ID, e.Error)
		}
		return nil
	}
	for _, e := range bad {
		if err := fail(e); err != nil {
			return sum, err
		}
	}
	var todo []Record
	for _, r := range records {
		if done[r.ID] {
			sum.Skipped++
		} else {
			todo = append(todo, r)
		}
	}
	meter := newMeter(cfg.Log, len(todo))
	run := func(r Record) outcome {
		line, err := explain(lm, cfg.Options, r)
		return outcome{line, err}
	}
	err = explainInOrder(todo, cfg.Workers, run, func(r Record, o outcome) error {
		if o.err != nil {
			if err := fail(RecordError{Line: r.Line, ID: r.ID, Error: o.err.Error()}); err != nil {
				return err
			}
		} else {
			if err := results.write(o.line); err != nil {
				return err
			}
			sum.Done++
		}
		meter.step()
		if cfg.stopAfter > 0 && sum.Done >= cfg.stopAfter {
			return errStopped
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	meter.finish()
	if cfg.Parquet {
		if _, err := WriteParquet(cfg.Out); err != nil {
			return sum, err
		}
	}
	if sum.Failed > 0 {
		return sum, fmt.Errorf("%w: %d of %d, each listed with its line and id in %s",
			ErrRecordsFailed, sum.Failed, sum.Total, filepath.Join(cfg.Out, ErrorsFile))
	}
	return sum, nil
}

// explain runs one record: Generate, or Attribute when it has a target.
func explain(lm *ecco.LM, opts Options, r Record) ([]byte, error) {
	methods := make([]ecco.Method, len(opts.Attribution))
	for i, m := range opts.Attribution {
		methods[i] = ecco.Method(m)
	}
	var out *ecco.Output
	var err error
	if r.Target != nil {
		out, err = lm.Attribute(r.Prompt, *r.Target, methods...)
	} else {
		out, err = lm.Generate(r.Prompt, ecco.GenerateOptions{Tokens: opts.Tokens, Attribution: methods})
	}
	if err != nil {
		return nil, err
	}
	if err := addContrast(out, methods, r); err != nil {
		return nil, err
	}
	if !opts.Hidden {
		out.Hidden = nil // harmless even on an Output a result cache keeps: every record of the run drops them alike
	}
	return resultLine(r.ID, out)
}

// readInput reads the records of path that shard owns, and the bad lines (those of other
// shards only when no id could be read, so that every shard reports them).
func readInput(path string, shard Shard) (records []Record, bad []RecordError, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the input: %w", err)
	}
	defer f.Close()
	seen := map[string]int{}
	err = scanLines(f, MaxLineBytes, func(line int, text []byte, tooLong bool) error {
		if !tooLong && len(text) == 0 {
			return nil // blank lines separate nothing
		}
		rec, e := parseRecord(line, text, tooLong)
		if e != nil {
			if e.ID == "" || shard.Owns(e.ID) {
				bad = append(bad, *e)
			}
			return nil
		}
		if !shard.Owns(rec.ID) {
			return nil
		}
		if first, ok := seen[rec.ID]; ok {
			bad = append(bad, RecordError{Line: line, ID: rec.ID, Error: fmt.Sprintf("id already used on line %d: ids must be unique", first)})
			return nil
		}
		seen[rec.ID] = line
		records = append(records, rec)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return records, bad, nil
}

// meter prints "batch done/total records, rate/s, time left" after each record.
type meter struct {
	w     io.Writer
	total int
	done  int
	start time.Time
}

func newMeter(w io.Writer, total int) *meter { return &meter{w: w, total: total, start: time.Now()} }

func (m *meter) step() {
	m.done++
	if m.w == nil {
		return
	}
	elapsed := time.Since(m.start).Seconds()
	rate := float64(m.done) / elapsed
	left := time.Duration(float64(m.total-m.done) / rate * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(m.w, "\rbatch %d/%d records, %.3g/s, %s left\x1b[K", m.done, m.total, rate, left)
}

func (m *meter) finish() {
	if m.w != nil && m.done > 0 {
		fmt.Fprintln(m.w)
	}
}
