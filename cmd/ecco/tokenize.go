package main

import (
	"flag"
	"io"
	"os"

	"github.com/ecco-go/ecco/ecco/tokenizer"
	"github.com/ecco-go/ecco/internal/jsonfile"
)

const tokenizeSynopsis = "ecco tokenize -model M -prompt TEXT [-json FILE]"

// tokenizeJSON is what `ecco tokenize` prints or writes. Its fields follow
// HuggingFace: token_ids are encode(prompt) with the special tokens the
// tokenizer.json post-processor adds ([CLS] … [SEP] for BERT, <s> for
// SentencePiece BPE, none for GPT-2), tokens their vocabulary strings and
// decoded transformers' decode(token_ids).
type tokenizeJSON struct {
	Model        string   `json:"model"`
	TokenIDs     []int    `json:"token_ids"`
	IDsNoSpecial []int    `json:"ids_no_special"` // encode(prompt, add_special_tokens=False)
	Tokens       []string `json:"tokens"`         // vocabulary strings: "Ġdog", "▁dog", "##s"
	Display      []string `json:"display"`        // what the widgets show: " dog", "s"
	Partial      []bool   `json:"partial"`        // whether each token continues the word before it
	Decoded      string   `json:"decoded"`
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
	if !flagGiven(fs, "prompt") {
		return checkPrompt("") // an explicit -prompt "" is tokenized
	}
	if err := checkOutputPath("json", *jsonPath); err != nil {
		return err
	}
	name := modelName(*model)
	dir, err := tokenizerDir(name)
	if err != nil {
		return err
	}
	tok, err := tokenizer.LoadDir(dir)
	if err != nil {
		return err
	}
	plain := tok.Encode(*prompt)
	ids := tok.AddSpecialTokens(plain)
	doc := tokenizeJSON{Model: name, TokenIDs: ids, IDsNoSpecial: plain,
		Tokens: []string{}, Display: []string{}, Partial: []bool{}, Decoded: tok.DecodeLikeTransformers(ids)}
	for _, id := range ids {
		doc.Tokens = append(doc.Tokens, tok.Token(id))
		doc.Display = append(doc.Display, tok.DisplayToken(id))
		doc.Partial = append(doc.Partial, tok.IsPartial(id))
	}
	if *jsonPath != "" {
		return jsonfile.Write(*jsonPath, doc)
	}
	return jsonfile.Encode(stdout, doc)
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// tokenizerDir is name itself when it is a folder (which then needs no weights), otherwise the
// folder the hub resolves it to.
func tokenizerDir(name string) (string, error) {
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		return name, nil
	}
	return resolveModel(name)
}
