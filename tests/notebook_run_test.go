package tests

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cellTimeout bounds one cell. The first cell that imports GoMLX compiles it,
// which takes minutes on a cold build cache.
const cellTimeout = 15 * time.Minute

// kernelEnv returns the environment of nbconvert, inherited by the kernel and
// every cell: the repository root for the setup cell's replace rule and the
// bundled tiny models (GPT-2, a Llama for notebook 05, a BERT for 06, a T5 for 08).
func kernelEnv(root string) []string {
	return append(os.Environ(),
		"ECCO_REPO="+root,
		"ECCO_MODEL="+filepath.Join(root, "tests", "testdata", "models", "tiny-a"),
		"ECCO_LLAMA_MODEL="+filepath.Join(root, "tests", "testdata", "models", "tiny-llama-a"),
		"ECCO_BERT_MODEL="+filepath.Join(root, "tests", "testdata", "models", "tiny-bert-a"),
		"ECCO_SEQ2SEQ_MODEL="+filepath.Join(root, "tests", "testdata", "models", "tiny-t5-a"),
	)
}

// executeNotebook runs every cell of the notebook with the GoNB kernel and
// writes the executed notebook to outDir. The kernel starts in the notebook's
// own directory (nbconvert's default), as it does under `jupyter notebook`.
//
// --allow-errors keeps the executed notebook when a cell fails: GoNB shows a
// compile error only in the cell's outputs (an HTML report), so the caller
// finds the errors with (*notebook).problems. A non-zero exit still means the
// run itself broke (kernel died, cell timeout).
func executeNotebook(ctx context.Context, tools notebookTools, root, path, outDir string) (string, error) {
	cmd := exec.CommandContext(ctx, tools.jupyter, "nbconvert",
		"--to", "notebook", "--execute", "--allow-errors",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output-dir", outDir, path)
	cmd.Env = kernelEnv(root)
	cmd.Dir = filepath.Dir(path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("jupyter nbconvert --execute %s: %w\n%s", path, err, lastLines(dropKernelLog(string(out)), 40))
	}
	executed := filepath.Join(outDir, filepath.Base(path))
	if _, err := os.Stat(executed); err != nil {
		return "", fmt.Errorf("nbconvert reported success but wrote no notebook: %w", err)
	}
	return executed, nil
}

// convertToHTML renders an executed notebook as a standalone HTML page.
func convertToHTML(ctx context.Context, tools notebookTools, executed, outDir string) (string, error) {
	cmd := exec.CommandContext(ctx, tools.jupyter, "nbconvert", "--to", "html", "--output-dir", outDir, executed)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("jupyter nbconvert --to html %s: %w\n%s", executed, err, lastLines(string(out), 20))
	}
	html := filepath.Join(outDir, strings.TrimSuffix(filepath.Base(executed), ".ipynb")+".html")
	if _, err := os.Stat(html); err != nil {
		return "", fmt.Errorf("nbconvert --to html wrote no page: %w", err)
	}
	return html, nil
}

// klogInfoLine matches GoNB's informational and warning log lines, e.g.
// "I1129 12:57:49.905766   19577 main.go:226] kernel created".
var klogInfoLine = regexp.MustCompile(`^[IW]\d{4} \d\d:\d\d:\d\d`)

// dropKernelLog removes GoNB's log lines, which bury nbconvert's report of the
// failing cell.
func dropKernelLog(s string) string {
	var kept []string
	for _, line := range strings.Split(s, "\n") {
		if !klogInfoLine.MatchString(line) {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// executeCells writes cells as the notebook name in a temporary folder of notebooks/ (where the
// shipped notebooks sit, so the setup cell's relative paths hold), executes it into outDir and
// returns the executed notebook's path and contents.
func executeCells(ctx context.Context, t *testing.T, tools notebookTools, root, name string, cells []string, outDir string) (string, *notebook) {
	t.Helper()
	dir, err := os.MkdirTemp(filepath.Join(root, "notebooks"), "."+strings.TrimSuffix(name, ".ipynb")+"-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, name)
	if err := writeNotebook(path, cells); err != nil {
		t.Fatal(err)
	}
	executed, err := executeNotebook(ctx, tools, root, path, outDir)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := readNotebook(executed)
	if err != nil {
		t.Fatal(err)
	}
	return executed, nb
}

// artifactDir is $ECCO_NOTEBOOK_ARTIFACTS (created when missing), or a temporary folder.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ECCO_NOTEBOOK_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("ECCO_NOTEBOOK_ARTIFACTS: %v", err)
	}
	return dir
}

// prepareCellTest skips with -short outside CI, finds the tools and returns the repository root
// and the setup cell every notebook of cells starts with (the shipped notebooks' first cell).
func prepareCellTest(t *testing.T) (root string, tools notebookTools, setup string) {
	t.Helper()
	if testing.Short() && !inCI() {
		t.Skip("executes a notebook: skipped with -short")
	}
	root = repoRoot(t)
	tools = findNotebookTools(t)
	setup, err := setupCell(filepath.Join(root, "notebooks", "01-input-saliency.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	return root, tools, setup
}
