package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/jsonfile"
)

const forwardSynopsis = "ecco forward -model M -prompt TEXT [-json FILE] [-top K] [-ablate L:n1,n2] [-add L:n1,n2=V] [-set L:n=V]\n" +
	"               encoders (BERT, RoBERTa, DistilBERT, ALBERT, ELECTRA): [-activations [-nmf K]] [-mask-top K [-attribution METHODS]]"

// forwardJSON is the file `ecco forward -json` writes.
type forwardJSON struct {
	Model      string      `json:"model"`
	TokenIDs   []int       `json:"token_ids"`
	Tokens     []string    `json:"tokens"`
	LogitsLast []float32   `json:"logits_last"`     // the whole vocabulary at the last position
	Edits      []ecco.Edit `json:"edits,omitempty"` // the neuron edits applied (-ablate, -add, -set)
}

func runForward(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("forward")
	model := modelFlag(fs)
	prompt := fs.String("prompt", "", "the `text` to run the model on")
	jsonPath := fs.String("json", "", "write the token ids and the last position's logits to this JSON `file`")
	top := fs.Int("top", 5, "print the `K` most likely next tokens (encoders: at each [MASK])")
	var edits editFlags
	edits.declare(fs)
	var enc encoderFlags
	enc.declare(fs)
	if err := parseFlags(fs, forwardSynopsis, args, stdout); err != nil {
		return err
	}
	if err := checkPrompt(*prompt); err != nil {
		return err
	}
	if *top < 0 {
		return usageErrorf("-top %d: want 0 or more tokens to print", *top)
	}
	if err := checkOutputPath("json", *jsonPath); err != nil {
		return err
	}
	if err := enc.validate(*jsonPath); err != nil {
		return err
	}
	noteFastPath(stderr)
	lm, err := ecco.FromPretrained(*model, enc.options()...)
	if err != nil {
		return err
	}
	if lm, err = edits.apply(lm); err != nil {
		return err
	}
	if lm.IsEncoder() {
		return runEncoderForward(lm, *prompt, *jsonPath, *top, &enc, stdout)
	}
	if lm.IsEncoderDecoder() {
		return fmt.Errorf("%s is an encoder-decoder (%s): ecco forward runs causal models and encoders; use ecco generate, "+
			"which encodes the prompt and explains what the decoder generates", *model, lm.Info().ModelType)
	}
	if enc.used() {
		return usageErrorf("-activations, -nmf, -mask-top and -attribution explain encoders (BERT, RoBERTa, ...); %s is causal: use ecco generate", *model)
	}
	ids, err := lm.Encode(*prompt)
	if err != nil {
		return err
	}
	if limit := lm.Model.Info().Positions; len(ids) > limit {
		return fmt.Errorf("the prompt's %d tokens exceed the model's context of %d positions", len(ids), limit)
	}
	step, err := lm.Model.Step(ids, nil, family.StepOptions{})
	if err != nil {
		return err
	}
	logits := step.Logits[0]
	if *jsonPath != "" {
		doc := forwardJSON{Model: lm.Name, TokenIDs: ids, LogitsLast: logits, Edits: lm.Edits()}
		for _, id := range ids {
			doc.Tokens = append(doc.Tokens, lm.Tokenizer.DisplayToken(id))
		}
		if err := jsonfile.Write(*jsonPath, doc); err != nil {
			return err
		}
	}
	return printTopLogits(stdout, lm, logits, *top)
}

// printTopLogits lists the k highest logits: rank, id, token and logit.
func printTopLogits(w io.Writer, lm *ecco.LM, logits []float32, k int) error {
	order := make([]int, len(logits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(logits[b], logits[a]) })
	for rank, id := range order[:min(k, len(order))] {
		if _, err := fmt.Fprintf(w, "%d\t%d\t%s\t%.4f\n", rank+1, id, strconv.Quote(lm.Tokenizer.DisplayToken(id)), logits[id]); err != nil {
			return err
		}
	}
	return nil
}
