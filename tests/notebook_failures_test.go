package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// failingCells are cells that must look failed in an executed notebook, each with the text its
// problem report must contain. GoNB shows a panic or a non-zero exit on the cell's stderr
// without marking the cell as an error for nbconvert, so the harness finds them itself.
var failingCells = []struct{ source, want string }{
	{"%%\npanic(\"a test cell panics\")", "panic: a test cell panics"},
	{"import \"errors\"\n\nfunc failing() error { return errors.New(\"a test cell's error\") }\n\n%%\nif err := failing(); err != nil {\n\tfmt.Fprintln(os.Stderr, err)\n\tos.Exit(1)\n}", "exit status 1"},
	// A view method's error, ignored by the cell, still shows as an error box.
	{"import \"github.com/ecco-go/ecco/ecco\"\n\n%%\nout := &ecco.Output{}\nout.Saliency()", "no model is attached"},
}

// TestNotebookFailedCellsLookFailed executes a notebook of failing cells and one clean cell with
// the GoNB kernel: every failing cell must be reported, the clean one must not.
func TestNotebookFailedCellsLookFailed(t *testing.T) {
	root, tools, setup := prepareCellTest(t)
	cells := []string{setup, "import (\n\t\"fmt\"\n\t\"os\"\n)\n"}
	for _, c := range failingCells {
		cells = append(cells, c.source)
	}
	cells = append(cells, "%%\nfmt.Println(\"a clean cell\")")
	ctx, cancel := contextForTest(t)
	defer cancel()
	_, nb := executeCells(ctx, t, tools, root, "failing.ipynb", cells, t.TempDir())
	problems := nb.problems()
	for i, c := range failingCells {
		cell := fmt.Sprintf("cell %d:", i+3)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, cell) && strings.Contains(p, c.want) }) {
			t.Errorf("%s (%q) is not reported as failed with %q; problems: %q", cell, c.source, c.want, problems)
		}
	}
	clean := fmt.Sprintf("cell %d:", len(cells))
	for _, p := range problems {
		if strings.HasPrefix(p, clean) || strings.HasPrefix(p, "cell 1:") || strings.HasPrefix(p, "cell 2:") {
			t.Errorf("a clean cell is reported as failed: %s", p)
		}
	}
}

// setupCell returns the first code cell of a shipped notebook: the setup every notebook runs.
func setupCell(path string) (string, error) {
	var nb struct {
		Cells []struct {
			CellType string          `json:"cell_type"`
			Source   multilineString `json:"source"`
		} `json:"cells"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(data, &nb); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			return string(c.Source), nil
		}
	}
	return "", fmt.Errorf("%s has no code cell", path)
}

// writeNotebook writes an nbformat 4 notebook of code cells for the GoNB kernel.
func writeNotebook(path string, sources []string) error {
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount *int           `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{
			"kernelspec":    map[string]string{"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
			"language_info": map[string]string{"name": "go"},
		},
	}
	var cells []cell
	for _, s := range sources {
		cells = append(cells, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: s})
	}
	nb["cells"] = cells
	data, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
