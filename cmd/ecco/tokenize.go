package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/hub"
	"github.com/ecco-go/ecco/ecco/tokenizer"
)

const tokenizeSynopsis = "ecco tokenize -model M -prompt TEXT [-json FILE]"

// tokenizeJSON is what `ecco tokenize` prints or writes.
type tokenizeJSON struct {
	Model     string   `json:"model"`
	TokenIDs  []int    `json:"token_ids"`
	Tokens    []string `json:"tokens"`     // display strings: " dog", "\n"
	BPETokens []string `json:"bpe_tokens"` // vocabulary strings: "Ġdog", "Ċ"
}

// runTokenize reads only the tokenizer files of a model folder, never its weights.
// (A hub id that is not cached is downloaded whole, as ecco.FromPretrained would.)
func runTokenize(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tokenize")
	model := modelFlag(fs)
	prompt := fs.String("prompt", "", "the `text` to tokenize")
	jsonPath := fs.String("json", "", "write the result to this JSON `file` instead of stdout")
	if err := parseFlags(fs, tokenizeSynopsis, args, stdout); err != nil {
		return err
	}
	if err := checkPrompt(*prompt); err != nil {
		return err
	}
	if err := checkOutputPath("json", *jsonPath); err != nil {
		return err
	}
	name := *model
	if name == "" {
		if name = os.Getenv(ecco.ModelEnv); name == "" {
			return usageErrorf("no -model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ecco.ModelEnv)
		}
	}
	dir, err := tokenizerDir(name)
	if err != nil {
		return err
	}
	tok, err := tokenizer.LoadDir(dir)
	if err != nil {
		return err
	}
	ids := tok.Encode(*prompt)
	if len(ids) == 0 {
		return fmt.Errorf("the prompt %q tokenizes to nothing", *prompt)
	}
	doc := tokenizeJSON{Model: name, TokenIDs: ids}
	for _, id := range ids {
		doc.Tokens = append(doc.Tokens, tok.DisplayToken(id))
		doc.BPETokens = append(doc.BPETokens, tok.Token(id))
	}
	if *jsonPath != "" {
		return writeJSON(*jsonPath, doc)
	}
	return encodeJSON(stdout, doc, "")
}

// tokenizerDir is name itself when it is a folder (which then needs no weights), otherwise the
// folder the hub resolves it to.
func tokenizerDir(name string) (string, error) {
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		return name, nil
	}
	return hub.Resolve(context.Background(), name, nil)
}
