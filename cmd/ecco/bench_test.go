package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/timing"
)

// TestBenchReportsEveryStep runs the bench subcommand on the tiny model with one run per step.
func TestBenchReportsEveryStep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.json")
	stdout, stderr, status := cli("bench", "-model", tinyDir, "-n", "2", "-repeat", "1", "-ig-tokens", "1", "-json", path)
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	var got benchJSON
	readJSON(t, path, &got)
	wantSteps := []string{"load model", "forward over the prompt", "generate 2 tokens + activations", "generate 2 + grad_x_input", "integrated gradients, 1 tokens"}
	if len(got.Steps) != len(wantSteps) || got.PromptTokens != 28 || got.NewTokens != 2 || got.IGTokens != 1 {
		t.Fatalf("bench JSON %+v: want %d steps on the 28-token prompt 1, 2 new tokens, 1 IG token", got, len(wantSteps))
	}
	if env := ecco.ReadEnv(); got.Env != env {
		t.Errorf("bench JSON's environment %+v, want `ecco env -json`'s %+v", got.Env, env)
	}
	for i, s := range got.Steps {
		if s.Name != wantSteps[i] {
			t.Errorf("step %d is %q, want %q", i, s.Name, wantSteps[i])
		}
		if len(s.Seconds) != 1 || !(s.Median > 0) || s.Median != s.First {
			t.Errorf("step %q: seconds %v, median %g, first %g: want one positive run", s.Name, s.Seconds, s.Median, s.First)
		}
		// The table's row holds this run's figures and nothing else.
		row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(s.Name) + ` +` + regexp.QuoteMeta(timing.Format(s.Median)) + ` +` + regexp.QuoteMeta(timing.Format(s.First)) + ` *$`)
		if !row.MatchString(stdout) {
			t.Errorf("the table lacks the row of step %q:\n%s", s.Name, stdout)
		}
		if !strings.Contains(stderr, "bench: "+s.Name+", run 1 of 1: ") {
			t.Errorf("no progress line for step %q on stderr:\n%s", s.Name, stderr)
		}
	}
	if n := len(regexp.MustCompile(`[0-9] s\b`).FindAllString(stdout, -1)); n != 2*len(wantSteps) || strings.Contains(stdout, "Ecco") {
		t.Errorf("the table holds %d figures, want only the %d this run measured (median and first run per step), none quoted from Ecco:\n%s", n, 2*len(wantSteps), stdout)
	}
}
