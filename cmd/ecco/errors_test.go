package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkOneLineError asserts a failed run: non-zero status, nothing on stdout, and exactly one
// "ecco: " line on stderr with no trace of a panic.
func checkOneLineError(t *testing.T, args []string, mention string) {
	t.Helper()
	stdout, stderr, status := cli(args...)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	switch {
	case status == 0:
		t.Errorf("ecco %q: status 0, want a failure", args)
	case stdout != "":
		t.Errorf("ecco %q: printed %q on stdout", args, stdout)
	case len(lines) != 1 || !strings.HasPrefix(stderr, "ecco: ") || !strings.HasSuffix(stderr, "\n"):
		t.Errorf("ecco %q: stderr %q, want one line starting \"ecco: \"", args, stderr)
	case strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic:"):
		t.Errorf("ecco %q: stderr shows a panic: %q", args, stderr)
	case !strings.Contains(stderr, mention):
		t.Errorf("ecco %q: stderr %q does not mention %q", args, stderr, mention)
	}
}

func TestBadInputIsOneLine(t *testing.T) {
	dir := t.TempDir()
	gen := func(extra ...string) []string {
		return append([]string{"generate", "-model", tinyDir, "-prompt", "Hello"}, extra...)
	}
	cases := []struct {
		name    string
		args    []string
		mention string
	}{
		{"n zero", gen("-n", "0"), "-n 0"},
		{"n negative", gen("-n", "-1"), "-n -1"},
		{"top-p above 1", gen("-top-p", "1.5"), "-top-p 1.5"},
		{"top-p zero", gen("-top-p", "0"), "-top-p 0"},
		{"temperature negative", gen("-temperature", "-1"), "-temperature -1"},
		{"temperature zero", gen("-temperature", "0"), "-temperature 0"},
		{"top-k negative", gen("-top-k", "-2"), "-top-k -2"},
		{"ig-steps zero", gen("-ig-steps", "0"), "-ig-steps 0"},
		{"unknown subcommand", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown attribution", gen("-attribution", "grad_x_input,shap", "-json", filepath.Join(dir, "a.json")), `"shap"`},
		{"unknown lens", gen("-logit-lens", "tuned", "-json", filepath.Join(dir, "a.json")), `"tuned"`},
		{"nmf without activations", gen("-nmf", "4", "-json", filepath.Join(dir, "a.json")), "-activations"},
		{"results without a file", gen("-attribution", "ig"), "-json"},
		{"missing model folder", []string{"generate", "-model", filepath.Join(dir, "no-such-model"), "-prompt", "Hello"}, "no-such-model"},
		{"prompt too long", gen("-n", "200"), "128 positions"},
		{"empty prompt", []string{"generate", "-model", tinyDir, "-prompt", ""}, "-prompt is empty"},
		{"no prompt", []string{"generate", "-model", tinyDir}, "-prompt is empty"},
		{"unknown flag", gen("-bogus"), "-bogus"},
		{"stray argument", gen("more", "words"), `"more"`},
		{"json folder missing", gen("-json", filepath.Join(dir, "nope", "out.json")), "nope"},
		{"json is a folder", gen("-json", dir), "is a folder"},
		{"forward empty prompt", []string{"forward", "-model", tinyDir, "-prompt", ""}, "-prompt is empty"},
		{"forward too long", []string{"forward", "-model", tinyDir, "-prompt", strings.Repeat("Hello ", 200)}, "128 positions"},
		{"tokenize missing model", []string{"tokenize", "-model", filepath.Join(dir, "none"), "-prompt", "x"}, "none"},
		{"testmodel no out", []string{"testmodel", "-vocab-from", tinyDir}, "-out"},
		{"testmodel no vocab", []string{"testmodel", "-out", filepath.Join(dir, "m")}, "-vocab-from"},
		{"testmodel bad vocab", []string{"testmodel", "-out", filepath.Join(dir, "m"), "-vocab-from", dir, "-layers", "1", "-width", "8", "-heads", "2"}, "vocab.json"},
		{"testmodel heads", []string{"testmodel", "-out", filepath.Join(dir, "m"), "-vocab-from", tinyDir, "-width", "30", "-heads", "4"}, "multiple"},
		{"testmodel dtype", []string{"testmodel", "-out", filepath.Join(dir, "m"), "-vocab-from", tinyDir, "-dtype", "F8"}, `"F8"`},
		{"testmodel huge", []string{"testmodel", "-out", filepath.Join(dir, "m"), "-vocab-from", tinyDir, "-layers", "60000", "-width", "60000", "-heads", "1"}, "parameters"},
		{"bench repeat", []string{"bench", "-model", tinyDir, "-repeat", "0"}, "-repeat 0"},
		{"bench n", []string{"bench", "-model", tinyDir, "-n", "0"}, "-n 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkOneLineError(t, c.args, c.mention) })
	}
	// Failures leave no files behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("a failed run left %s behind", e.Name())
	}
}

func TestNoModelUsesEnvironment(t *testing.T) {
	t.Setenv("ECCO_MODEL", "")
	checkOneLineError(t, []string{"generate", "-prompt", "Hello"}, "ECCO_MODEL")
	checkOneLineError(t, []string{"tokenize", "-prompt", "Hello"}, "ECCO_MODEL")
	t.Setenv("ECCO_MODEL", tinyDir)
	var got tokenizeJSON
	stdout := mustRun(t, "tokenize", "-prompt", "Hello")
	if !strings.Contains(stdout, `"token_ids":[15496]`) {
		t.Errorf("with $ECCO_MODEL set: %q (%v)", stdout, got)
	}
}

func TestPanicIsOneLine(t *testing.T) {
	saved := commands
	t.Cleanup(func() { commands = saved })
	commands = append(slices.Clone(saved), command{"boom", "", func([]string, io.Writer, io.Writer) error { panic("kaboom\nsecond line") }})
	checkOneLineError(t, []string{"boom"}, "internal error: kaboom second line")
}

func TestReportFlattensErrors(t *testing.T) {
	var b strings.Builder
	if status := report(&b, "generate", errors.New("ecco: first\n\tsecond")); status != exitError || b.String() != "ecco: generate: first second\n" {
		t.Errorf("report: status %d, %q", status, b.String())
	}
	b.Reset()
	if status := report(&b, "", usageErrorf("bad")); status != exitUsage || b.String() != "ecco: bad\n" {
		t.Errorf("report: status %d, %q", status, b.String())
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}} {
		if stdout, _, status := cli(args...); status != 0 || !strings.Contains(stdout, "testmodel") {
			t.Errorf("ecco %v: status %d, stdout %q", args, status, stdout)
		}
	}
	for _, c := range commands {
		stdout, stderr, status := cli(c.name, "-h")
		if status != 0 || stderr != "" || !strings.Contains(stdout, "ecco "+c.name) || !strings.Contains(stdout, "-model") && !slices.Contains([]string{"testmodel", "env", "merge", "report"}, c.name) {
			t.Errorf("ecco %s -h: status %d, stderr %q, stdout %q", c.name, status, stderr, stdout)
		}
	}
	if _, stderr, status := cli(); status != exitUsage || !strings.Contains(stderr, "Commands:") {
		t.Errorf("ecco with no arguments: status %d, stderr %q", status, stderr)
	}
}
