package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCommand: `ecco batch -workers 2 -format parquet -activations` then `ecco report DIR
// -html -json` on its folder; the JSON's counts match the run and the page is written.
func TestReportCommand(t *testing.T) {
	in := writeDataset(t, 5)
	out := filepath.Join(t.TempDir(), "run")
	mustRun(t, "batch", "-model", tinyDir, "-in", in, "-out", out, "-n", "3", "-attribution", "grad_x_input", "-workers", "2", "-format", "parquet", "-activations")
	if _, err := os.Stat(filepath.Join(out, "results.parquet")); err != nil {
		t.Fatalf("-format parquet: %v", err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	stdout, stderr, status := cli("report", out, "-html", page, "-json", "-factors", "2")
	if status != 0 || !strings.Contains(stderr, "wrote "+page+" (5 records)") {
		t.Fatalf("report: status %d, stderr %q", status, stderr)
	}
	var rep struct {
		Records int      `json:"records"`
		Methods []string `json:"methods"`
		Factors struct {
			Factors []json.RawMessage `json:"factors"`
		} `json:"factors"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Records != 5 || strings.Join(rep.Methods, ",") != "grad_x_input" || len(rep.Factors.Factors) != 2 {
		t.Errorf("report -json: %+v, %v (%.200s)", rep, err, stdout)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), "Neuron factors across the dataset") {
		t.Errorf("report -html: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", out}, "nothing to write"},
		{[]string{"report", "-json"}, "no folder given"},
		{[]string{"report", t.TempDir(), "-json"}, "results.jsonl"},
		{[]string{"batch", "-model", tinyDir, "-in", in, "-out", out, "-workers", "0"}, "-workers 0"},
		{[]string{"batch", "-model", tinyDir, "-in", in, "-out", out, "-format", "csv"}, `-format "csv"`},
	} {
		if _, stderr, status := cli(c.args...); status == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("ecco %v: status %d, stderr %q, want %q", c.args, status, stderr, c.want)
		}
	}
}
