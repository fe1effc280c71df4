package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// apiCellsBlock is the README's API: the go blocks between the api-cells markers, one notebook
// cell each.
var (
	apiCellsBlock = regexp.MustCompile("(?s)<!-- api-cells[^>]*-->(.*?)<!-- /api-cells -->")
	goBlock       = regexp.MustCompile("(?s)```go\\n(.*?)```")
)

// readmeCellWidgets are the views the README's API cells display.
var readmeCellWidgets = []widgetCheck{
	{View: "saliency", Ready: true}, {View: "factors", Ready: true}, {View: "predictions", Ready: true},
	{View: "rankings", Ready: true}, {View: "sequence", Ready: true}, {View: "compare", Ready: true}, {View: "heads", Ready: true},
}

// readmeCells returns the README's API cells with the hub ids replaced by the bundled tiny
// models of the same families (the tests run offline).
func readmeCells(t *testing.T, root string) []string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := apiCellsBlock.FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no <!-- api-cells --> ... <!-- /api-cells --> block")
	}
	models := strings.NewReplacer(
		`"distilgpt2"`, fmt.Sprintf("%q", filepath.Join(root, "tests", "testdata", "models", "tiny-a")),
		`"bert-base-uncased"`, fmt.Sprintf("%q", filepath.Join(root, "tests", "testdata", "models", "tiny-bert-a")),
		`"t5-small"`, fmt.Sprintf("%q", filepath.Join(root, "tests", "testdata", "models", "tiny-t5-a")))
	var cells []string
	for _, m := range goBlock.FindAllSubmatch(block[1], -1) {
		cells = append(cells, models.Replace(string(m[1])))
	}
	if len(cells) < 5 {
		t.Fatalf("the README's api-cells block has %d go blocks: want the API split into cells", len(cells))
	}
	for _, want := range []string{`"distilgpt2"`, "out.Saliency()", "out.RunNMF(10, nil)", "factors.Explore()"} {
		if !strings.Contains(string(block[1]), want) {
			t.Fatalf("the README's API cells no longer contain %s: update this test", want)
		}
	}
	return cells
}

// TestReadmeCellsRunOnePerCell executes the README's API as written, one go block per GoNB
// cell after the setup cell: the model loads and generates in the first cell and later cells
// use lm, out and factors (saliency, NMF, Explore, ...) without any other code. Every cell must
// run without error output, every view must be there, and each must render in Chromium.
func TestReadmeCellsRunOnePerCell(t *testing.T) {
	root, tools, setup := prepareCellTest(t)
	cells := append([]string{setup}, readmeCells(t, root)...)
	ctx, cancel := contextForTest(t)
	defer cancel()
	outDir := artifactDir(t)
	executed, nb := executeCells(ctx, t, tools, root, "readme-cells.ipynb", cells, outDir)
	if problems := nb.problems(); len(problems) > 0 {
		t.Fatalf("the README's API cells show %d error(s):\n%s", len(problems), strings.Join(problems, "\n---\n"))
	}
	if missing := nb.missingViews(readmeCellWidgets); len(missing) > 0 {
		t.Fatalf("the README's API cells display no %q", missing)
	}
	// Generation shows a live view. It must show in the first API cell, where out is generated,
	// and in no cell that only re-runs that declaration: they get the kept Output back.
	for i, cell := range nb.Cells[1:] {
		calls, shows := strings.Contains(cell.source(), ".Generate("), liveGeneration.MatchString(cellHTML(cell))
		if calls != shows {
			t.Errorf("API cell %d: live generation view shown: %v, want it exactly where the cell's own code calls an LM's Generate (%v)", i+1, shows, calls)
		}
	}
	html, err := convertToHTML(ctx, tools, executed, outDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkRenderedPage(startBrowser(t, tools.chromium), html, readmeCellWidgets); err != nil {
		t.Fatal(err)
	}
}

// liveGeneration matches the element of the live view package ecco shows while a model
// generates (its class name also appears in the stylesheet every view inlines).
var liveGeneration = regexp.MustCompile(`class="[^"]*\beg-livegen\b`)

// cellHTML joins a cell's text/html outputs.
func cellHTML(c notebookCell) string {
	var all strings.Builder
	for _, out := range c.Outputs {
		if html, ok := out.mime("text/html"); ok {
			all.WriteString(html)
		}
	}
	return all.String()
}
