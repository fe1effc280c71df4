package batch

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// TestWorkersEqualSerial: 3 workers over one LM write byte for byte what one worker writes,
// and a run stopped part-way with 3 workers resumes (with 2) to the same file.
func TestWorkersEqualSerial(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 20)
	serial := t.TempDir()
	if _, err := Run(lm, config(in, serial)); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, filepath.Join(serial, ResultsFile))

	parallel := t.TempDir()
	cfg := config(in, parallel)
	cfg.Workers = 3
	if sum, err := Run(lm, cfg); err != nil || sum.Done != 20 {
		t.Fatalf("Run with 3 workers: %+v, %v", sum, err)
	}
	if got := readFile(t, filepath.Join(parallel, ResultsFile)); !bytes.Equal(got, want) {
		t.Errorf("3 workers wrote %d bytes that differ from one worker's %d:\n got %.300s\nwant %.300s", len(got), len(want), got, want)
	}

	stopped := t.TempDir()
	cfg = config(in, stopped)
	cfg.Workers, cfg.stopAfter = 3, 7
	if _, err := Run(lm, cfg); !errors.Is(err, errStopped) {
		t.Fatalf("stopAfter 7: %v", err)
	}
	if got := readFile(t, filepath.Join(stopped, ResultsFile)); !bytes.HasPrefix(want, got) || bytes.Count(got, []byte("\n")) != 7 {
		t.Fatalf("a stopped run with 3 workers left %d lines that are not the first 7 of the serial run", bytes.Count(got, []byte("\n")))
	}
	cfg = config(in, stopped)
	cfg.Workers = 2
	if sum, err := Run(lm, cfg); err != nil || sum.Skipped != 7 || sum.Done != 13 {
		t.Fatalf("resume with 2 workers: %+v, %v; want 7 skipped, 13 done", sum, err)
	}
	if got := readFile(t, filepath.Join(stopped, ResultsFile)); !bytes.Equal(got, want) {
		t.Error("the run stopped with 3 workers and resumed with 2 differs from the serial run")
	}
}

// TestExplainInOrderWindow: records finishing out of order are emitted in order, never more
// than `workers` are started and not yet emitted, and an emit error starts nothing more.
func TestExplainInOrderWindow(t *testing.T) {
	const n, workers = 30, 4
	todo := make([]Record, n)
	for i := range todo {
		todo[i] = Record{ID: fmt.Sprint(i), Line: i + 1}
	}
	var started, emitted, maxAhead atomic.Int64
	explain := func(r Record) outcome {
		s := started.Add(1)
		for {
			ahead := s - emitted.Load()
			m := maxAhead.Load()
			if ahead <= m || maxAhead.CompareAndSwap(m, ahead) {
				break
			}
		}
		time.Sleep(time.Duration((n-r.Line)%5) * time.Millisecond) // later records often finish first
		return outcome{line: []byte(r.ID)}
	}
	var order []string
	err := explainInOrder(todo, workers, explain, func(r Record, o outcome) error {
		emitted.Add(1)
		order = append(order, string(o.line))
		if r.ID == "20" {
			return errStopped
		}
		return nil
	})
	if !errors.Is(err, errStopped) {
		t.Fatalf("err %v, want the emit error", err)
	}
	want := make([]string, 21)
	for i := range want {
		want[i] = fmt.Sprint(i)
	}
	if !slices.Equal(order, want) {
		t.Errorf("emitted %v, want 0..20 in order", order)
	}
	if m := maxAhead.Load(); m > workers {
		t.Errorf("%d records started ahead of the last emitted, want at most %d", m, workers)
	}
	if s := started.Load(); s > 21+workers-1 {
		t.Errorf("%d records started, want at most %d after the stop at record 20", s, 21+workers-1)
	}
}
