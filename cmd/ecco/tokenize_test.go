package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestTokenizeMatchesEcco(t *testing.T) {
	for prompt := 1; prompt <= 3; prompt++ {
		t.Run(fmt.Sprint("prompt", prompt), func(t *testing.T) {
			want := loadGolden(t, prompt)
			path := filepath.Join(t.TempDir(), "tokens.json")
			if out := mustRun(t, "tokenize", "-model", tinyDir, "-prompt", want.Prompt, "-json", path); out != "" {
				t.Errorf("with -json, stdout should be empty, got %q", out)
			}
			var got tokenizeJSON
			readJSON(t, path, &got)
			if !slices.Equal(got.TokenIDs, want.Input.IDs) {
				t.Errorf("token_ids %v, want %v", got.TokenIDs, want.Input.IDs)
			}
			if !slices.Equal(got.Tokens, want.Input.Tokens) {
				t.Errorf("tokens %q, want %q", got.Tokens, want.Input.Tokens)
			}
			if !slices.Equal(got.IDsNoSpecial, want.Input.IDs) {
				t.Errorf("ids_no_special %v, want %v (GPT-2 adds no special tokens)", got.IDsNoSpecial, want.Input.IDs)
			}
			if len(got.Display) != len(got.TokenIDs) {
				t.Errorf("%d display strings for %d ids", len(got.Display), len(got.TokenIDs))
			}
			if got.Decoded != want.Prompt {
				t.Errorf("decoded %q, want %q", got.Decoded, want.Prompt)
			}
		})
	}
}

// TestTokenizeNeedsNoWeights runs on a folder holding only the tokenizer file.
func TestTokenizeNeedsNoWeights(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(tinyDir, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := loadGolden(t, 3)
	var got tokenizeJSON
	if err := json.Unmarshal([]byte(mustRun(t, "tokenize", "-model", dir, "-prompt", want.Prompt)), &got); err != nil {
		t.Fatalf("stdout is not the JSON object: %v", err)
	}
	if !slices.Equal(got.TokenIDs, want.Input.IDs) {
		t.Errorf("token_ids %v, want %v", got.TokenIDs, want.Input.IDs)
	}
}

func Example_tokenize() {
	run([]string{"tokenize", "-model", tinyDir, "-prompt", "Hello, my dog is cute"}, os.Stdout, os.Stderr)
	// Output:
	// {"model":"../../tests/testdata/models/tiny-a","token_ids":[15496,11,616,3290,318,13779],"ids_no_special":[15496,11,616,3290,318,13779],"tokens":["Hello",",","Ġmy","Ġdog","Ġis","Ġcute"],"display":["Hello",","," my"," dog"," is"," cute"],"partial":[true,true,false,false,false,false],"decoded":"Hello, my dog is cute"}
}
