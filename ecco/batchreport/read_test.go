package batchreport_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/batchreport"
)

// TestReportBadFiles: malformed lines are errors naming the file and line; a partial last line
// (a run still writing) is skipped; sections without data are left out.
func TestReportBadFiles(t *testing.T) {
	dir := smallBatch(t)
	good, err := os.ReadFile(filepath.Join(dir, batchreport.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	first := good[:bytes.IndexByte(good, '\n')+1]
	write := func(content string) string {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, batchreport.ResultsFile), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	bad := strings.Replace(string(first), `"n_input_tokens":`, `"n_input_tokens":1000,"x":`, 1)
	for _, c := range []struct {
		content, want string
	}{
		{string(first) + string(first) + "{not json\n", "results.jsonl line 3 is not a result"},
		{string(first) + bad, `line 2 (id "r0"): "n_input_tokens" 1000`},
		{`{"id": "a", "tokens": ["x", "y"], "n_input_tokens": 1, "attributions": {"m": [[0.5, 0.5]]}}` + "\n", `attributions "m" row 0 has 2 scores, want 1`},
		{"", "holds no results yet"},
	} {
		_, err := batchreport.Build(write(c.content), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Build: %v, want an error with %q", err, c.want)
		}
	}
	if _, err := batchreport.Build(write(string(first)), &batchreport.Options{MaxLineBytes: 100}); err == nil || !strings.Contains(err.Error(), "line 1: line longer than 100 bytes") {
		t.Errorf("over-long line: %v", err)
	}
	if _, err := batchreport.Build(t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "results.jsonl") {
		t.Errorf("missing file: %v", err)
	}
	plain := `{"id": "a", "tokens": ["x", "y", "z"], "n_input_tokens": 1, "attributions": {"m": [[1], [0.25, 0.75]]}}` + "\n"
	rep, err := batchreport.Build(write(plain+string(first[:len(first)/2])), nil)
	if err != nil || rep.Records != 1 || rep.Faithfulness != nil || rep.Factors != nil {
		t.Fatalf("plain record and a partial line: %+v, %v; want 1 record, no faithfulness, no factors", rep, err)
	}
	if b := rep.Distance[0].Buckets; len(b) != 2 || b[0].MeanShare != (1+0.75)/2 || b[1].MeanShare != 0.25 || b[1].Steps != 1 {
		t.Errorf("buckets %+v, want distance 1: 0.875 over 2 steps, distance 2: 0.25 over 1", b)
	}
}

// TestReportEncoderDecoder: an encoder–decoder's rows score the source, the start token and the
// target before each token; its two-stack activations stay out of the factors.
func TestReportEncoderDecoder(t *testing.T) {
	dir := t.TempDir()
	rec := `{"id": "e", "tokens": ["a", "b", "<s>", "c", "d"], "n_input_tokens": 2, "encoder_decoder": true,` +
		` "attributions": {"m": [[0.2, 0.3, 0.5], [0.1, 0.1, 0.2, 0.6]]},` +
		` "activations": {"encoder": {"shape": [1, 1, 2], "layers": [0], "values": [[[1, 2]]]}, "decoder": {"shape": [1, 1, 2], "layers": [0], "values": [[[3, 4]]]}}}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, batchreport.ResultsFile), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := batchreport.Build(dir, nil)
	if err != nil || rep.Records != 1 || rep.Factors != nil {
		t.Fatalf("%+v, %v; want 1 record without factors", rep, err)
	}
	if b := rep.Distance[0].Buckets; b[0].MeanShare != (0.5+0.6)/2 || b[0].Steps != 2 {
		t.Errorf("distance-1 bucket %+v, want 0.55 over 2 steps", b[0])
	}
}
