package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecco-go/ecco/internal/testenv"
)

const (
	eccoModulePath = "github.com/ecco-go/ecco"
	installHint    = "run ./kernel-setup.sh from the repository root (installs Jupyter, GoNB, goimports, gopls)"
)

// inCI reports whether the tests run in CI, where missing prerequisites fail
// instead of skipping.
func inCI() bool { return testenv.InCI() }

// skipOrFail skips the test outside CI and fails it in CI.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("%s (CI is set, so this fails instead of skipping)", msg)
	}
	t.Skip(msg)
}

// repoRoot returns the absolute repository root: go test runs in tests/.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatalf("cannot resolve repository root: %v", err)
	}
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatalf("repository root %s: %v (go test must run from the tests/ directory)", root, err)
	}
	if !bytes.Contains(goMod, []byte("module "+eccoModulePath+"\n")) {
		t.Fatalf("%s/go.mod does not declare module %s", root, eccoModulePath)
	}
	return root
}

// notebookPaths lists the notebooks to run, sorted, and the directory they came from.
func notebookPaths(t *testing.T, root string) (dir string, paths []string) {
	t.Helper()
	dir = os.Getenv("ECCO_NOTEBOOKS_DIR")
	if dir == "" {
		dir = filepath.Join(root, "notebooks")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("notebooks directory %q: %v", dir, err)
	}
	paths, err = filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		t.Fatalf("listing notebooks in %s: %v", dir, err)
	}
	return dir, paths // Glob returns names in lexical order.
}

// notebookTools holds the external programs the harness drives.
type notebookTools struct {
	jupyter  string
	chromium string
}

// findNotebookTools locates jupyter (with nbconvert and the gonb kernel),
// goimports (GoNB runs it on every cell) and chromium, skipping or failing the
// test with an install hint when one is missing.
func findNotebookTools(t *testing.T) notebookTools {
	t.Helper()
	var tools notebookTools
	var err error
	if tools.jupyter, err = exec.LookPath("jupyter"); err != nil {
		skipOrFail(t, "jupyter is not installed: %s", installHint)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, tools.jupyter, "nbconvert", "--version").CombinedOutput(); err != nil {
		skipOrFail(t, "jupyter nbconvert does not run (%v: %s): %s", err, lastLines(string(out), 5), installHint)
	}
	if err := checkGonbKernel(ctx, tools.jupyter); err != nil {
		skipOrFail(t, "%v: %s", err, installHint)
	}
	if _, err := exec.LookPath("goimports"); err != nil {
		skipOrFail(t, "goimports is not on PATH (GoNB needs it): %s", installHint)
	}
	if tools.chromium, err = testenv.Chromium(); err != nil {
		skipOrFail(t, "%v", err)
	}
	return tools
}

// checkGonbKernel verifies that Jupyter knows the gonb kernel and that its
// binary exists.
func checkGonbKernel(ctx context.Context, jupyter string) error {
	out, err := exec.CommandContext(ctx, jupyter, "kernelspec", "list", "--json").Output()
	if err != nil {
		return fmt.Errorf("jupyter kernelspec list failed: %w", err)
	}
	var specs struct {
		Kernelspecs map[string]struct {
			Spec struct {
				Argv []string `json:"argv"`
			} `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &specs); err != nil {
		return fmt.Errorf("parsing `jupyter kernelspec list --json`: %w", err)
	}
	gonb, ok := specs.Kernelspecs["gonb"]
	if !ok {
		return fmt.Errorf("the gonb Jupyter kernel is not installed")
	}
	if len(gonb.Spec.Argv) == 0 {
		return fmt.Errorf("the gonb kernelspec has no argv")
	}
	if _, err := os.Stat(gonb.Spec.Argv[0]); err != nil {
		return fmt.Errorf("the gonb kernel binary is missing: %w", err)
	}
	return nil
}

// lastLines returns at most n trailing lines of s, to keep failure messages short.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
