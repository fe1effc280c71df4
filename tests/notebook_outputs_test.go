package tests

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strings"
)

// maxNotebookBytes bounds the size of a notebook read back from disk: executed
// notebooks embed widget HTML, but anything near this size is a runaway output.
const maxNotebookBytes = 64 << 20

// notebook is the part of the .ipynb format (nbformat 4) the harness checks.
type notebook struct {
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []notebookCell `json:"cells"`
}

type notebookCell struct {
	CellType string           `json:"cell_type"`
	Source   multilineString  `json:"source"`
	Outputs  []notebookOutput `json:"outputs"`
}

func (c notebookCell) source() string { return string(c.Source) }

type notebookOutput struct {
	OutputType string                     `json:"output_type"` // stream, display_data, execute_result, error
	Name       string                     `json:"name"`        // stream: stdout or stderr
	Text       multilineString            `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	Ename      string                     `json:"ename"`
	Evalue     string                     `json:"evalue"`
	Traceback  []string                   `json:"traceback"`
}

// multilineString decodes nbformat's text fields, stored either as one
// string or as a list of lines.
type multilineString string

func (m *multilineString) UnmarshalJSON(raw []byte) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		*m = multilineString(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return fmt.Errorf("want a string or a list of strings, got %.40s", raw)
	}
	*m = multilineString(strings.Join(lines, ""))
	return nil
}

// readNotebook parses an .ipynb file, refusing files over maxNotebookBytes.
func readNotebook(path string) (*notebook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading notebook: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxNotebookBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading notebook %s: %w", path, err)
	}
	if len(data) > maxNotebookBytes {
		return nil, fmt.Errorf("notebook %s is larger than %d bytes: is a cell printing a runaway output?", path, maxNotebookBytes)
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("notebook %s is not valid nbformat JSON: %w", path, err)
	}
	return &nb, nil
}

var (
	ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// stderrFailure matches what GoNB writes to a cell's stderr when a shell
	// command (`!`, `!*`) or the cell's Go program fails: nbconvert does not see
	// these as errors, since the kernel still replies "ok".
	stderrFailure = regexp.MustCompile(`(?m)^(exit status \d+|signal: .+|panic: .+|fatal error: .+)$`)
	// eccoErrorBox matches the element display.ShowError draws.
	eccoErrorBox = regexp.MustCompile(`<div class="[^"]*\beg-error\b`)
)

// problems lists every error the executed notebook shows: error outputs,
// failures GoNB reports on stderr, and GoNB's HTML compile-error reports.
func (nb *notebook) problems() []string {
	var found []string
	for i, cell := range nb.Cells {
		for _, out := range cell.Outputs {
			where := fmt.Sprintf("cell %d", i+1)
			switch {
			case out.OutputType == "error":
				trace := ansiEscape.ReplaceAllString(strings.Join(out.Traceback, "\n"), "")
				found = append(found, fmt.Sprintf("%s: error output %s: %s\n%s", where, out.Ename, out.Evalue, lastLines(trace, 15)))
			case out.OutputType == "stream" && out.Name == "stderr":
				text := ansiEscape.ReplaceAllString(string(out.Text), "")
				if m := stderrFailure.FindString(text); m != "" {
					found = append(found, fmt.Sprintf("%s: stderr reports %q:\n%s", where, m, lastLines(text, 15)))
				}
			}
			if html, ok := out.mime("text/html"); ok && strings.Contains(html, `class="gonb-err-`) {
				found = append(found, fmt.Sprintf("%s: GoNB error report in HTML output:\n%s", where, lastLines(htmlToText(html), 20)))
			} else if ok && eccoErrorBox.MatchString(html) {
				// A view method's error, shown even when the cell ignores the returned error.
				found = append(found, fmt.Sprintf("%s: ecco error box:\n%s", where, lastLines(htmlToText(html), 20)))
			}
		}
	}
	return found
}

var (
	htmlStyle = regexp.MustCompile(`(?is)<style.*?</style>`)
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
)

// htmlToText reduces an HTML report (GoNB shows compile errors as HTML) to its
// non-blank text lines.
func htmlToText(s string) string {
	s = html.UnescapeString(htmlTag.ReplaceAllString(htmlStyle.ReplaceAllString(s, ""), ""))
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, strings.TrimRight(line, " \t"))
		}
	}
	return strings.Join(lines, "\n")
}

// mime returns the output's data for a MIME type, joined into one string.
func (out *notebookOutput) mime(mimeType string) (string, bool) {
	raw, ok := out.Data[mimeType]
	if !ok {
		return "", false
	}
	var text multilineString
	if err := text.UnmarshalJSON(raw); err != nil {
		return "", false
	}
	return string(text), true
}

// htmlOutputs returns every text/html output of the notebook.
func (nb *notebook) htmlOutputs() []string {
	var htmls []string
	for _, cell := range nb.Cells {
		for _, out := range cell.Outputs {
			if html, ok := out.mime("text/html"); ok {
				htmls = append(htmls, html)
			}
		}
	}
	return htmls
}

// elementWithView matches an HTML start tag carrying data-ecco-view="NAME",
// and not the same text inside a script, e.g. querySelector('[data-ecco-view="NAME"]').
func elementWithView(view string) *regexp.Regexp {
	return regexp.MustCompile(`<[A-Za-z][^<>]*\sdata-ecco-view="` + regexp.QuoteMeta(view) + `"`)
}

// missingViews returns the views for which no text/html output has an element
// with that data-ecco-view attribute.
func (nb *notebook) missingViews(widgets []widgetCheck) []string {
	htmls := nb.htmlOutputs()
	var missing []string
	for _, w := range widgets {
		element := elementWithView(w.View)
		found := false
		for _, h := range htmls {
			if element.MatchString(h) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, w.View)
		}
	}
	return missing
}
