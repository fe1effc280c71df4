package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeDataset writes n records, every fourth attributing a given target, after extra lines.
func writeDataset(t *testing.T, n int, extra ...string) string {
	t.Helper()
	lines := append([]string(nil), extra...)
	for i := range n {
		target := ""
		if i%4 == 3 {
			target = fmt.Sprintf(`, "target": " number %d"`, i)
		}
		lines = append(lines, fmt.Sprintf(`{"id": "q%d", "prompt": "Question %d: the dog is"%s}`, i, i, target))
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func batchArgs(in, out string, more ...string) []string {
	return append([]string{"batch", "-model", tinyDir, "-in", in, "-out", out, "-n", "4", "-attribution", "grad_x_input,ig"}, more...)
}

func results(t *testing.T, dir string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBatchCommand(t *testing.T) {
	in := writeDataset(t, 6, `{"id": "bad", "prompt": 3}`, `not json`)
	out := filepath.Join(t.TempDir(), "run")
	stdout, stderr, status := cli(batchArgs(in, out)...)
	if status != exitError || !strings.Contains(stderr, "records failed: 2 of 8") || !strings.Contains(stdout, "6 results written, 0 already there, 2 failed, of 8 records") {
		t.Fatalf("batch with 2 bad lines: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	errs, err := os.ReadFile(filepath.Join(out, "errors.jsonl"))
	if err != nil || !strings.Contains(string(errs), `{"line":1,"id":"bad",`) || !strings.Contains(string(errs), `{"line":2,"error":"not a JSON object`) {
		t.Errorf("errors.jsonl: %q, %v", errs, err)
	}
	if n := bytes.Count(results(t, out), []byte("\n")); n != 6 {
		t.Errorf("%d results, want 6", n)
	}
	stdout, _, _ = cli(batchArgs(in, out)...)
	if !strings.Contains(stdout, "0 results written, 6 already there, 2 failed") {
		t.Errorf("rerun: %q", stdout)
	}
	if _, stderr, status := cli(batchArgs(in, out, "-activations")...); status != exitError || !strings.Contains(stderr, "activations: was false, now true") {
		t.Errorf("resume with -activations: status %d, %q", status, stderr)
	}
	if _, stderr, status := cli(batchArgs(in, out, "-strict")...); status != exitError || !strings.Contains(stderr, "line 1 (id \"bad\")") {
		t.Errorf("-strict: status %d, %q", status, stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"batch", "-model", tinyDir, "-out", out}, "-in FILE.jsonl and -out DIR are both needed"},
		{batchArgs(in, out, "-shard", "4/4"), "want i/n with 0 <= i < n"},
		{batchArgs(in, out, "-n", "0"), "-n 0"},
		{[]string{"merge", "-out", out}, "at least one shard folder"},
	} {
		if _, stderr, status := cli(c.args...); status != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("ecco %s: status %d, %q; want %q", strings.Join(c.args, " "), status, stderr, c.want)
		}
	}
}

func TestMergeCommand(t *testing.T) {
	in := writeDataset(t, 10)
	whole := filepath.Join(t.TempDir(), "whole")
	mustRun(t, batchArgs(in, whole)...)
	var shards []string
	for i := range 3 {
		dir := filepath.Join(t.TempDir(), fmt.Sprint("shard", i))
		mustRun(t, batchArgs(in, dir, "-shard", fmt.Sprintf("%d/3", i))...)
		shards = append(shards, dir)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if got := mustRun(t, append([]string{"merge", "-out", merged, "-in", in}, shards...)...); got != "10 results merged from 3 shards into "+merged+"\n" {
		t.Errorf("merge printed %q", got)
	}
	if !bytes.Equal(results(t, merged), results(t, whole)) {
		t.Error("3 merged shards differ from one whole run")
	}
	if _, stderr, status := cli(append([]string{"merge", "-out", merged}, shards[:2]...)...); status != exitError || !strings.Contains(stderr, "split into 3") {
		t.Errorf("merge of 2 of 3 shards: status %d, %q", status, stderr)
	}
}

// TestBatchSurvivesKills builds the CLI, kills it with SIGKILL at random moments, and resumes
// until it finishes: every id once, the same bytes as one uninterrupted run, with 1 or 3
// workers, and the Parquet copy written at the end.
func TestBatchSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it several times")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ecco")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	in := writeDataset(t, 40)
	whole := filepath.Join(t.TempDir(), "whole")
	mustRun(t, batchArgs(in, whole)...)
	out := filepath.Join(t.TempDir(), "killed")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := 0
	for attempt := 0; ; attempt++ {
		// Runs alternate 1 and 3 workers: a kill loses at most the records in flight either way.
		cmd := exec.Command(bin, batchArgs(in, out, "-workers", fmt.Sprint(1+2*(attempt%2)), "-format", "parquet")...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if attempt < 6 && waitForNewResult(out, countResults(out), done) {
			// A random moment after the run is under way: between records or in the middle of one.
			time.Sleep(time.Duration(rng.IntN(150)) * time.Millisecond)
			cmd.Process.Kill()
			if err := <-done; err == nil {
				break // it finished first
			}
			kills++
			continue
		}
		if err := <-done; err != nil {
			t.Fatalf("run %d: %v\n%s", attempt, err, stderr.String())
		}
		break
	}
	if kills == 0 {
		t.Error("no kill landed before the run finished: the test proved nothing")
	}
	t.Logf("killed %d times part-way before the run finished", kills)
	if !bytes.Equal(results(t, out), results(t, whole)) {
		t.Errorf("the killed and resumed run's results differ from one uninterrupted run:\n%s", results(t, out))
	}
	if _, err := os.Stat(filepath.Join(out, "results.parquet")); err != nil {
		t.Errorf("the finished run wrote no results.parquet: %v", err)
	}
}

// countResults is the number of complete lines in dir/results.jsonl (0 before it exists).
func countResults(dir string) int {
	data, _ := os.ReadFile(filepath.Join(dir, "results.jsonl"))
	return bytes.Count(data, []byte("\n"))
}

// waitForNewResult waits until dir/results.jsonl has more than before complete lines; false
// when the process ended first.
func waitForNewResult(dir string, before int, done chan error) bool {
	for countResults(dir) <= before {
		select {
		case err := <-done:
			// Put it back for the caller, which waits on it again.
			go func() { done <- err }()
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
	return true
}
