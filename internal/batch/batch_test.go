package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

const tinyDir = "../../tests/testdata/models/tiny-a"

var (
	tinyOnce sync.Once
	tinyLM   *ecco.LM
	tinyErr  error
)

// tiny is the bundled reference model, loaded once for every test.
func tiny(t *testing.T) *ecco.LM {
	t.Helper()
	tinyOnce.Do(func() { tinyLM, tinyErr = ecco.FromPretrained(tinyDir) })
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyLM
}

// dataset writes n records, every third with a target, and returns the file and the records.
func dataset(t *testing.T, n int) (string, []Record) {
	t.Helper()
	words := []string{"The dog", "A cat sat on", "Hello, my dog is cute", "Paris is the capital of", "One two three", "Go is a language"}
	var buf bytes.Buffer
	var recs []Record
	for i := range n {
		r := Record{Line: i + 1, ID: fmt.Sprintf("rec-%02d", i), Prompt: fmt.Sprintf("%s %d", words[i%len(words)], i)}
		if i%3 == 2 {
			target := fmt.Sprintf(" and then %d", i)
			r.Target = &target
		}
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(line, '\n'))
		recs = append(recs, r)
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, recs
}

func config(in, out string) Config {
	return Config{Options: Options{Model: tinyDir, Input: in, Tokens: 3, Attribution: []string{"grad_x_input", "integrated_gradients"}}, Out: out}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// resultIDs are the ids of a results file's lines, in order.
func resultIDs(t *testing.T, dir string) []string {
	t.Helper()
	lines, _, err := indexResults(filepath.Join(dir, ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.id
	}
	return ids
}

func TestBatchEqualsOneByOne(t *testing.T) {
	lm := tiny(t)
	in, recs := dataset(t, 20)
	out := t.TempDir()
	sum, err := Run(lm, config(in, out))
	if err != nil || sum.Done != 20 || sum.Failed != 0 {
		t.Fatalf("Run: %+v, %v", sum, err)
	}
	got := bytes.SplitAfter(readFile(t, filepath.Join(out, ResultsFile)), []byte("\n"))
	if len(got) != 21 || len(got[20]) != 0 {
		t.Fatalf("results.jsonl has %d lines, want 20", len(got)-1)
	}
	for i, r := range recs {
		o := generateRecord(t, lm, r)
		o.Hidden = nil // not asked for (-hidden)
		want, err := resultLine(r.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("line %d differs from the library's Output for %s:\n got %.200s\nwant %.200s", i+1, r.ID, got[i], want)
		}
		var decoded struct {
			ID           string                 `json:"id"`
			TokenIDs     []int                  `json:"token_ids"`
			Attributions map[string][][]float64 `json:"attributions"`
		}
		if err := json.Unmarshal(got[i], &decoded); err != nil {
			t.Fatal(err)
		}
		if decoded.ID != r.ID || len(decoded.Attributions["grad_x_input"]) != o.NGenerated() || !equalInts(decoded.TokenIDs, o.TokenIDs) {
			t.Errorf("line %d: id %q, %d attributed tokens, ids %v; want %q, %d, %v", i+1, decoded.ID, len(decoded.Attributions["grad_x_input"]), decoded.TokenIDs, r.ID, o.NGenerated(), o.TokenIDs)
		}
	}
	m, err := ReadManifest(out)
	if err != nil || m.Options.Tokens != 3 || m.Env.GoVersion == "" {
		t.Errorf("manifest %+v, %v", m, err)
	}
	if data := readFile(t, filepath.Join(out, ErrorsFile)); len(data) != 0 {
		t.Errorf("errors.jsonl holds %q, want nothing", data)
	}
}

func equalInts(a, b []int) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestBatchResumesAfterAStop(t *testing.T) {
	lm := tiny(t)
	in, recs := dataset(t, 20)
	whole := t.TempDir()
	if _, err := Run(lm, config(in, whole)); err != nil {
		t.Fatal(err)
	}
	want := readFile(t, filepath.Join(whole, ResultsFile))

	out := t.TempDir()
	for _, k := range []int{4, 3, 5} { // three stops, each with a torn line left behind
		cfg := config(in, out)
		cfg.stopAfter = k
		if _, err := Run(lm, cfg); !errors.Is(err, errStopped) {
			t.Fatalf("stopAfter %d: %v", k, err)
		}
		f, err := os.OpenFile(filepath.Join(out, ResultsFile), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		first := want[:bytes.IndexByte(want, '\n')]
		f.Write(first[:len(first)/2]) // the start of a line, as a kill mid-write leaves it
		f.Close()
	}
	sum, err := Run(lm, config(in, out))
	if err != nil || sum.Skipped != 12 || sum.Done != 8 {
		t.Fatalf("resume: %+v, %v; want 12 skipped, 8 done", sum, err)
	}
	if got := readFile(t, filepath.Join(out, ResultsFile)); !bytes.Equal(got, want) {
		t.Errorf("resumed results (%d bytes) differ from one whole run (%d bytes)", len(got), len(want))
	}
	ids := resultIDs(t, out)
	if len(ids) != len(recs) {
		t.Fatalf("%d results, want %d", len(ids), len(recs))
	}
	for i, r := range recs {
		if ids[i] != r.ID {
			t.Errorf("result %d is %q, want %q", i, ids[i], r.ID)
		}
	}
}

func TestBatchRefusesOtherOptions(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 2)
	out := t.TempDir()
	var log bytes.Buffer
	first := config(in, out)
	first.Log = &log
	if _, err := Run(lm, first); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "batch 2/2 records, ") || !strings.Contains(log.String(), " left") {
		t.Errorf("progress %q, want done/total, rate and time left", log.String())
	}
	cfg := config(in, out)
	cfg.Tokens = 4
	_, err := Run(lm, cfg)
	if err == nil || !strings.Contains(err.Error(), "tokens: was 3, now 4") || !strings.Contains(err.Error(), ManifestFile) {
		t.Errorf("resume with -n 4 after -n 3: %v, want an error naming the manifest and the option", err)
	}
}

func TestBatchShardsMergeToOneRun(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 20)
	whole := t.TempDir()
	if _, err := Run(lm, config(in, whole)); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	total := 0
	for i := range 4 {
		cfg := config(in, t.TempDir())
		cfg.Shard = Shard{Index: i, Count: 4}
		sum, err := Run(lm, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Done == 0 || sum.Done == 20 {
			t.Errorf("shard %d ran %d of 20 records: the hash does not spread these ids", i, sum.Done)
		}
		total += sum.Done
		dirs = append(dirs, cfg.Out)
	}
	if total != 20 {
		t.Fatalf("the 4 shards ran %d records, want 20", total)
	}
	merged := t.TempDir()
	n, err := Merge(MergeConfig{Out: merged, Input: in, Shards: dirs})
	if err != nil || n != 20 {
		t.Fatalf("Merge: %d, %v", n, err)
	}
	if !bytes.Equal(readFile(t, filepath.Join(merged, ResultsFile)), readFile(t, filepath.Join(whole, ResultsFile))) {
		t.Error("the merged shards differ from one unsharded run")
	}
	if m, err := ReadManifest(merged); err != nil || m.Options.Shard.Count != 0 {
		t.Errorf("merged manifest: %+v, %v", m, err)
	}
	// Without -in the shards are checked against each other: the same ids, shard by shard.
	if n, err := Merge(MergeConfig{Out: t.TempDir(), Shards: dirs}); err != nil || n != 20 {
		t.Errorf("Merge without the input: %d, %v", n, err)
	}
	for _, c := range []struct {
		shards []string
		want   string
	}{
		{dirs[:3], "3 shards given but the run was split into 4"},
		{append(dirs[:3:3], dirs[0]), `are both "0/4"`},
		{[]string{dirs[0], dirs[1], dirs[2], whole}, "split the input differently"},
	} {
		if _, err := Merge(MergeConfig{Out: t.TempDir(), Input: in, Shards: c.shards}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Merge %v: %v, want %q", c.shards, err, c.want)
		}
	}
	// A shard that lost a result is caught against the input.
	lost := filepath.Join(dirs[1], ResultsFile)
	data := readFile(t, lost)
	if err := os.WriteFile(lost, data[:bytes.IndexByte(data, '\n')+1], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(MergeConfig{Out: t.TempDir(), Input: in, Shards: dirs}); err == nil || !strings.Contains(err.Error(), "have no result in the shards") {
		t.Errorf("Merge with a lost result: %v", err)
	}
}
