package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/progress"
)

// TestProgressOnTerminalOnly runs generate with attribution and NMF: a terminal gets the progress
// lines of every stage, -quiet and a redirected stderr get nothing.
func TestProgressOnTerminalOnly(t *testing.T) {
	dir := t.TempDir()
	args := func(extra ...string) []string {
		return append([]string{"generate", "-model", tinyDir, "-prompt", "Hello, my name", "-n", "3",
			"-attribution", "grad_x_input", "-activations", "-nmf", "2", "-json", filepath.Join(dir, "out.json")}, extra...)
	}
	if _, stderr, status := cli(args()...); status != 0 || stderr != "" {
		t.Errorf("stderr not a terminal: status %d, stderr %q: want nothing", status, stderr)
	}
	saved := progress.IsTerminal
	t.Cleanup(func() { progress.IsTerminal = saved })
	progress.IsTerminal = func(io.Writer) bool { return true }
	_, stderr, status := cli(args()...)
	if status != 0 {
		t.Fatalf("status %d, stderr %q", status, stderr)
	}
	for _, want := range []string{"\rgenerating 3/3 tokens in ", "\rattribution (grad_x_input) 3/3 tokens in ", "\rNMF "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("terminal stderr lacks %q:\n%q", want, stderr)
		}
	}
	if n := strings.Count(stderr, "\n"); n != 3 {
		t.Errorf("terminal stderr has %d lines, want one per stage (3):\n%q", n, stderr)
	}
	if _, stderr, status := cli(args("-quiet")...); status != 0 || stderr != "" {
		t.Errorf("-quiet: status %d, stderr %q: want nothing", status, stderr)
	}
}
