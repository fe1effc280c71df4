package tests

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// widgetCheck is one widget a notebook must display.
type widgetCheck struct {
	// View is the value of the data-ecco-view attribute on the widget's root
	// element, e.g. "saliency" for <div data-ecco-view="saliency">.
	View string
	// Ready means the widget's JavaScript sets data-ecco-ready="1" on that
	// element once it has built the view; the browser check waits for it.
	Ready bool
}

// todoView marks a table entry the notebook author has not filled in yet.
const todoView = "TODO"

// notebookWidgets lists, for each notebook file in notebooks/, the widgets it
// must display. A notebook without an entry fails: add one when adding a
// notebook. Entries still set to todoView fail with a reminder.
var notebookWidgets = map[string][]widgetCheck{
	"01-input-saliency.ipynb":      {{View: "sequence", Ready: true}, {View: "saliency", Ready: true}},
	"02-neuron-factors.ipynb":      {{View: "sequence", Ready: true}, {View: "factors", Ready: true}},
	"03-layer-predictions.ipynb":   {{View: "predictions", Ready: true}, {View: "rankings", Ready: true}, {View: "heatmap", Ready: true}},
	"04-forced-continuation.ipynb": {{View: "saliency", Ready: true}},
	"05-llama-family.ipynb":        {{View: "saliency", Ready: true}, {View: "factors", Ready: true}, {View: "predictions", Ready: true}, {View: "rankings", Ready: true}},
	"06-bert-masked-words.ipynb":   {{View: "sequence", Ready: true}, {View: "factors", Ready: true}, {View: "predictions", Ready: true}, {View: "saliency", Ready: true}},
	"07-edits-attention.ipynb":     {{View: "factors", Ready: true}, {View: "compare", Ready: true}, {View: "saliency", Ready: true}, {View: "heads", Ready: true}},
	"08-encoder-decoder.ipynb":     {{View: "sequence", Ready: true}, {View: "saliency", Ready: true}, {View: "factors", Ready: true}, {View: "rankings", Ready: true}},
}

// viewName restricts view names to what can sit unescaped in a CSS selector
// and in a JavaScript string.
var viewName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// widgetsFor returns the table entry for a notebook, or why it cannot be used.
func widgetsFor(table map[string][]widgetCheck, notebookFile string) ([]widgetCheck, error) {
	widgets, ok := table[notebookFile]
	if !ok {
		return nil, fmt.Errorf("notebook %s has no entry in notebookWidgets (tests/notebooks_test.go): add the data-ecco-view names it displays", notebookFile)
	}
	if len(widgets) == 0 {
		return nil, fmt.Errorf("notebookWidgets[%q] is empty: list at least one widget the notebook displays", notebookFile)
	}
	for _, w := range widgets {
		if w.View == todoView {
			return nil, fmt.Errorf("notebookWidgets[%q] is still a placeholder: set View to the data-ecco-view name the notebook displays", notebookFile)
		}
		if !viewName.MatchString(w.View) {
			return nil, fmt.Errorf("notebookWidgets[%q]: view %q must match %s", notebookFile, w.View, viewName)
		}
	}
	return widgets, nil
}

// TestNotebooks executes every notebook with the GoNB kernel, checks its
// outputs for errors and for the widgets of the notebookWidgets table, then
// renders it to HTML and checks the widgets in an offline headless Chromium.
func TestNotebooks(t *testing.T) {
	if testing.Short() && !inCI() {
		t.Skip("notebooks take tens of seconds to execute: skipped with -short")
	}
	root := repoRoot(t)
	dir, paths := notebookPaths(t, root)
	if len(paths) == 0 {
		skipOrFail(t, "no notebooks (*.ipynb) in %s: nothing to test", dir)
	}
	tools := findNotebookTools(t)
	outDir := artifactDir(t)
	browser := startBrowser(t, tools.chromium)

	for _, path := range paths {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".ipynb"), func(t *testing.T) {
			widgets, err := widgetsFor(notebookWidgets, name)
			if err != nil {
				t.Fatal(err)
			}
			source, err := readNotebook(path)
			if err != nil {
				t.Fatal(err)
			}
			if kernel := source.Metadata.Kernelspec.Name; kernel != "gonb" {
				t.Fatalf("%s: metadata.kernelspec.name is %q, want \"gonb\" (select the Go (gonb) kernel and save)", path, kernel)
			}
			ctx, cancel := contextForTest(t)
			defer cancel()

			start := time.Now()
			executed, err := executeNotebook(ctx, tools, root, path, outDir)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("executed %s in %v", name, time.Since(start).Round(100*time.Millisecond))
			result, err := readNotebook(executed)
			if err != nil {
				t.Fatal(err)
			}
			if problems := result.problems(); len(problems) > 0 {
				t.Fatalf("%s shows %d error(s):\n%s", executed, len(problems), strings.Join(problems, "\n---\n"))
			}
			if missing := result.missingViews(widgets); len(missing) > 0 {
				t.Fatalf("%s: no text/html output carries data-ecco-view for %q (outputs have %d text/html parts)",
					executed, missing, len(result.htmlOutputs()))
			}

			html, err := convertToHTML(ctx, tools, executed, outDir)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkRenderedPage(browser, html, widgets); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// contextForTest ends shortly before the test binary's deadline, so that a
// hung kernel is killed and reported instead of the whole binary panicking.
func contextForTest(t *testing.T) (context.Context, context.CancelFunc) {
	deadline, ok := t.Deadline()
	if !ok {
		return context.WithCancel(context.Background())
	}
	return context.WithDeadline(context.Background(), deadline.Add(-30*time.Second))
}
