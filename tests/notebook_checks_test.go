package tests

import (
	"os"
	"strings"
	"testing"
)

// These tests check the harness's own parsing and checks on hand-written
// notebooks, without Jupyter: a check that cannot fail would hide broken notebooks.

func mustParseNotebook(t *testing.T, cellsJSON string) *notebook {
	t.Helper()
	path := t.TempDir() + "/nb.ipynb"
	writeFile(t, path, `{"metadata": {"kernelspec": {"name": "gonb"}}, "cells": [`+cellsJSON+`]}`)
	nb, err := readNotebook(path)
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func TestNotebookProblems(t *testing.T) {
	cases := []struct {
		name, cells string
		want        string // substring of the single problem; "" means no problem
	}{
		{"clean", `{"cell_type": "code", "outputs": [
			{"output_type": "stream", "name": "stderr", "text": ["go: added github.com/x/y v1.0.0\n"]},
			{"output_type": "stream", "name": "stdout", "text": "exit status 1\n"},
			{"output_type": "display_data", "data": {"text/html": ["<div data-ecco-view=\"a\">", "</div>"]}}]}`, ""},
		{"error output", `{"cell_type": "code", "outputs": [
			{"output_type": "error", "ename": "ERROR", "evalue": "failed to run go build", "traceback": ["\u001b[31mmain.go:3: undefined: x\u001b[0m"]}]}`,
			"main.go:3: undefined: x"},
		{"failed shell command", `{"cell_type": "code", "outputs": [
			{"output_type": "stream", "name": "stderr", "text": "go: module not found\nexit status 1\n"}]}`, `"exit status 1"`},
		{"panic", `{"cell_type": "markdown"}, {"cell_type": "code", "outputs": [
			{"output_type": "stream", "name": "stderr", "text": ["panic: boom\n", "\n", "goroutine 1 [running]:\n", "exit status 2\n"]}]}`, "cell 2: stderr"},
		{"gonb html error", `{"cell_type": "code", "outputs": [
			{"output_type": "display_data", "data": {"text/html": "<style>.gonb-err-location {}</style>\n<span class=\"gonb-err-location\">main.go:4</span> undefined: x &amp; y"}}]}`,
			"main.go:4 undefined: x & y"},
		{"ecco error box", `{"cell_type": "code", "outputs": [
			{"output_type": "display_data", "data": {"text/html": "<div class=\"eccogo eg-error\" role=\"alert\">ecco: no model is attached</div>"}}]}`,
			"cell 1: ecco error box:\necco: no model is attached"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems := mustParseNotebook(t, c.cells).problems()
			if c.want == "" {
				if len(problems) != 0 {
					t.Fatalf("want no problems, got %q", problems)
				}
				return
			}
			if len(problems) != 1 || !strings.Contains(problems[0], c.want) {
				t.Fatalf("want one problem containing %q, got %q", c.want, problems)
			}
		})
	}
}

func TestMissingViews(t *testing.T) {
	nb := mustParseNotebook(t, `{"cell_type": "code", "outputs": [
		{"output_type": "display_data", "data": {"text/html": ["<div class=\"w\"\n data-ecco-view=\"saliency\"", " data-ecco-ready=\"0\"></div>",
			"<script>document.querySelector('[data-ecco-view=\"factors\"]')</script>"]}},
		{"output_type": "stream", "name": "stdout", "text": "<div data-ecco-view=\"activations\">"}]}`)
	got := nb.missingViews([]widgetCheck{{View: "saliency"}, {View: "activations"}, {View: "sal"}, {View: "factors"}})
	if strings.Join(got, ",") != "activations,sal,factors" {
		t.Fatalf("missing views = %q, want [activations sal factors] (stdout text, prefixes and scripts do not count)", got)
	}
}

func TestWidgetsFor(t *testing.T) {
	table := map[string][]widgetCheck{
		"ok.ipynb":          {{View: "saliency", Ready: true}},
		"placeholder.ipynb": {{View: todoView}},
		"empty.ipynb":       {},
		"bad.ipynb":         {{View: `x"]`}},
	}
	if w, err := widgetsFor(table, "ok.ipynb"); err != nil || len(w) != 1 {
		t.Fatalf("ok.ipynb: got %v, %v", w, err)
	}
	for name, want := range map[string]string{
		"absent.ipynb":      "no entry",
		"placeholder.ipynb": "placeholder",
		"empty.ipynb":       "empty",
		"bad.ipynb":         "must match",
	} {
		if _, err := widgetsFor(table, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, want)
		}
	}
}

func TestReadNotebookRejectsBadJSON(t *testing.T) {
	path := t.TempDir() + "/broken.ipynb"
	writeFile(t, path, `{"cells": [`)
	if _, err := readNotebook(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("want an error naming %s, got %v", path, err)
	}
}

func TestIsLocalURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"file:///usr/share/javascript/requirejs/require.min.js": true,
		"data:image/png;base64,AAAA":                            true,
		"about:blank":                                           true,
		"https://unpkg.com/@jupyter-widgets/html-manager":       false,
		"http://127.0.0.1:8888/files/x.js":                      false,
		"ws://localhost/socket":                                 false,
		"//cdn.example.com/x.js":                                false,
	} {
		if got := isLocalURL(raw); got != want {
			t.Errorf("isLocalURL(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestDropKernelLog(t *testing.T) {
	in := "I1129 12:57:49.905766   19577 main.go:226] kernel created\nCellExecutionError: boom\nW1129 12:57:49.904834 19577 kernel.go:339] x\nInfo: kept"
	if got := dropKernelLog(in); got != "CellExecutionError: boom\nInfo: kept" {
		t.Fatalf("dropKernelLog = %q", got)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
