package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type forwarded struct {
	TokenIDs   []int     `json:"token_ids"`
	Tokens     []string  `json:"tokens"`
	LogitsLast []float32 `json:"logits_last"`
}

func forward(t *testing.T, model, prompt string) (*forwarded, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "forward.json")
	stdout := mustRun(t, "forward", "-model", model, "-prompt", prompt, "-json", path)
	var f forwarded
	readJSON(t, path, &f)
	return &f, stdout
}

func TestForwardMatchesEcco(t *testing.T) {
	for prompt := 1; prompt <= 3; prompt++ {
		t.Run(fmt.Sprint("prompt", prompt), func(t *testing.T) {
			want := loadGolden(t, prompt)
			got, stdout := forward(t, tinyDir, want.Prompt)
			if !slices.Equal(got.TokenIDs, want.Input.IDs) {
				t.Fatalf("token_ids %v, want %v", got.TokenIDs, want.Input.IDs)
			}
			if len(got.LogitsLast) != 50257 {
				t.Fatalf("logits_last has %d values, want the whole vocabulary (50257)", len(got.LogitsLast))
			}
			checkClose(t, "logits_last[:20]", float32s(got.LogitsLast[:20]), want.FirstForward.LogitsLastFirst20, 1e-4)
			// stdout lists the top tokens, the golden argmax first.
			first := strings.Fields(strings.SplitN(stdout, "\n", 2)[0])
			if len(first) < 2 || first[0] != "1" || first[1] != fmt.Sprint(want.FirstForward.ArgmaxLast) {
				t.Errorf("stdout starts %q, want rank 1 = id %d", first, want.FirstForward.ArgmaxLast)
			}
		})
	}
}

func TestForwardWithoutJSON(t *testing.T) {
	stdout := mustRun(t, "forward", "-model", tinyDir, "-prompt", "Hello, my dog is cute", "-top", "3")
	if lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n"); len(lines) != 3 {
		t.Errorf("-top 3 printed %d lines: %q", len(lines), stdout)
	}
	if entries, _ := os.ReadDir("."); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasSuffix(e.Name(), ".json") }) {
		t.Errorf("forward without -json wrote a JSON file in the working folder")
	}
}
