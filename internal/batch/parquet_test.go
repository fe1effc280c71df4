package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// readParquet reads dir/results.parquet back with parquet-go's reader.
func readParquet(t *testing.T, dir string) []ParquetRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ParquetFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.Read[ParquetRow](f, st.Size())
	if err != nil {
		t.Fatalf("reading %s back: %v", ParquetFile, err)
	}
	return rows
}

// checkParquetEqualsJSONL compares every row with the results.jsonl line it came from, decoded
// independently with encoding/json.
func checkParquetEqualsJSONL(t *testing.T, dir string) {
	t.Helper()
	rows := readParquet(t, dir)
	lines := bytes.Split(bytes.TrimSuffix(readFile(t, filepath.Join(dir, ResultsFile)), []byte("\n")), []byte("\n"))
	if len(rows) != len(lines) {
		t.Fatalf("%s has %d rows, %s %d lines", ParquetFile, len(rows), ResultsFile, len(lines))
	}
	for i, line := range lines {
		var want struct {
			ID, Model, Text string
			GeneratedText   string                 `json:"generated_text"`
			NInput          int64                  `json:"n_input_tokens"`
			TokenIDs        []int64                `json:"token_ids"`
			Tokens          []string               `json:"tokens"`
			Attributions    map[string][][]float64 `json:"attributions"`
		}
		if err := json.Unmarshal(line, &want); err != nil {
			t.Fatal(err)
		}
		got := rows[i]
		if got.ID != want.ID || got.Model != want.Model || got.Text != want.Text || got.GeneratedText != want.GeneratedText ||
			got.NInput != want.NInput || !equalInts(int64s(got.TokenIDs), int64s(want.TokenIDs)) || len(got.Tokens) != len(want.Tokens) {
			t.Fatalf("row %d: %+v\nwant the line's %+v", i, got, want)
		}
		for j := range got.Tokens {
			if got.Tokens[j] != want.Tokens[j] {
				t.Fatalf("row %d token %d: %q, want %q", i, j, got.Tokens[j], want.Tokens[j])
			}
		}
		if len(got.Attributions) != len(want.Attributions) {
			t.Fatalf("row %d: %d methods, want %d", i, len(got.Attributions), len(want.Attributions))
		}
		for _, m := range got.Attributions {
			w := want.Attributions[m.Method]
			if len(m.Scores) != len(w) || len(w) == 0 {
				t.Fatalf("row %d %s: %d generated tokens, want %d", i, m.Method, len(m.Scores), len(w))
			}
			for g := range w {
				if len(m.Scores[g]) != len(w[g]) {
					t.Fatalf("row %d %s token %d: %d positions, want %d", i, m.Method, g, len(m.Scores[g]), len(w[g]))
				}
				for p := range w[g] {
					if m.Scores[g][p] != w[g][p] || math.IsNaN(w[g][p]) {
						t.Fatalf("row %d %s [%d][%d]: %v, want %v", i, m.Method, g, p, m.Scores[g][p], w[g][p])
					}
				}
			}
		}
	}
}

func int64s(v []int64) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

// TestParquetEqualsJSONL: -format parquet writes a results.parquet whose rows, read back with
// parquet-go, equal results.jsonl's lines; a stopped run leaves no Parquet file, and the
// resumed run writes it whole. Row groups of parquetRowGroup records: 20 records with a group
// of 256 make one group, so the test shrinks nothing and checks the count.
func TestParquetEqualsJSONL(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 20)
	out := t.TempDir()
	cfg := config(in, out)
	cfg.Parquet, cfg.stopAfter = true, 6
	if _, err := Run(lm, cfg); !errors.Is(err, errStopped) {
		t.Fatalf("stopAfter 6: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, ParquetFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a stopped run left %s (%v): it is written only when the journal is complete", ParquetFile, err)
	}
	cfg.stopAfter = 0
	if sum, err := Run(lm, cfg); err != nil || sum.Done != 14 {
		t.Fatalf("resume: %+v, %v", sum, err)
	}
	checkParquetEqualsJSONL(t, out)
	if n := len(readParquet(t, out)); n != 20 {
		t.Errorf("%d rows, want 20", n)
	}
}

// TestParquetRowGroups: a journal longer than a row group streams into several groups, each
// read back in order.
func TestParquetRowGroups(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 2)
	out := t.TempDir()
	if _, err := Run(lm, config(in, out)); err != nil {
		t.Fatal(err)
	}
	journal := readFile(t, filepath.Join(out, ResultsFile))
	first := journal[:bytes.IndexByte(journal, '\n')+1]
	var long bytes.Buffer
	for range parquetRowGroup*2 + 3 {
		long.Write(first)
	}
	if err := os.WriteFile(filepath.Join(out, ResultsFile), long.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := WriteParquet(out)
	if err != nil || n != parquetRowGroup*2+3 {
		t.Fatalf("WriteParquet: %d, %v", n, err)
	}
	f, err := os.Open(filepath.Join(out, ParquetFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if g := len(pf.RowGroups()); g != 3 {
		t.Errorf("%d row groups, want 3 of at most %d rows", g, parquetRowGroup)
	}
	checkParquetEqualsJSONL(t, out)
}

// TestMergeWritesParquet: `ecco merge -format parquet` writes the Parquet copy of the merged
// journal.
func TestMergeWritesParquet(t *testing.T) {
	lm := tiny(t)
	in, _ := dataset(t, 6)
	var dirs []string
	for i := range 2 {
		cfg := config(in, t.TempDir())
		cfg.Shard = Shard{Index: i, Count: 2}
		if _, err := Run(lm, cfg); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, cfg.Out)
	}
	merged := t.TempDir()
	if n, err := Merge(MergeConfig{Out: merged, Input: in, Shards: dirs, Parquet: true}); err != nil || n != 6 {
		t.Fatalf("Merge: %d, %v", n, err)
	}
	checkParquetEqualsJSONL(t, merged)
}
