package batchreport

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/ecco-go/ecco/internal/jsonl"
)

// record is what the report reads from one results.jsonl line.
type record struct {
	ID     string   `json:"id"`
	Tokens []string `json:"tokens"`
	NInput int      `json:"n_input_tokens"`
	// EncoderDecoder marks an encoder–decoder's record: its start token sits between the source
	// and the generated tokens, and its activations are two stacks, which the factors leave out.
	EncoderDecoder bool                   `json:"encoder_decoder"`
	Attributions   map[string][][]float64 `json:"attributions"`
	Faithfulness   *faithfulnessJSON      `json:"faithfulness"`
	Activations    *activationsJSON       `json:"activations"`
}

// activationsJSON is the "activations" object of a saved Output: [layer][neuron][position].
type activationsJSON struct {
	Shape  [3]int        `json:"shape"`
	Layers []int         `json:"layers"`
	Values [][][]float32 `json:"values"`
}

// faithfulnessJSON is the optional "faithfulness" object of a record.
type faithfulnessJSON struct {
	Baseline  string                        `json:"baseline"`
	Fractions []float64                     `json:"fractions"`
	Methods   map[string]methodFaithfulness `json:"methods"`
}

type methodFaithfulness struct {
	MeanAOPCComprehensiveness *float64 `json:"mean_aopc_comprehensiveness"`
	MeanAOPCSufficiency       *float64 `json:"mean_aopc_sufficiency"`
}

// eachRecord calls fn with every complete line of path decoded, numbered from 1. A line longer
// than maxLine bytes, or one that is not a well-formed result, is an error naming the file and
// line; a last line without its newline is a write still going on (or cut by a kill) and is
// skipped, as `ecco batch` does when it resumes.
func eachRecord(path string, maxLine int, fn func(line int, r *record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("batchreport: %w (is it the -out folder of an `ecco batch` run?)", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		text, err := jsonl.ReadLine(br, int64(maxLine))
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("batchreport: %s line %d: %w (Options.MaxLineBytes bounds a line)", path, n, err)
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		var r record
		if err := json.Unmarshal(text, &r); err != nil {
			return fmt.Errorf("batchreport: %s line %d is not a result of `ecco batch`: %w", path, n, err)
		}
		if err := r.check(); err != nil {
			return fmt.Errorf("batchreport: %s line %d (id %q): %w", path, n, r.ID, err)
		}
		if err := fn(n, &r); err != nil {
			return err
		}
	}
}

// first is the position of the first generated token (after an encoder–decoder's start token).
func (r *record) first() int {
	if r.EncoderDecoder {
		return r.NInput + 1
	}
	return r.NInput
}

// check wants the shapes the report relies on: an id, tokens covering the prompt, attribution
// rows of first()+i finite scores, activations matching their shape.
func (r *record) check() error {
	if r.EncoderDecoder {
		r.Activations = nil // {"encoder", "decoder"}: not one [layer][neuron][position] array
	}
	switch {
	case r.ID == "":
		return errors.New(`no "id"`)
	case r.NInput < 1 || r.NInput > len(r.Tokens):
		return fmt.Errorf(`"n_input_tokens" %d with %d "tokens"`, r.NInput, len(r.Tokens))
	}
	for m, rows := range r.Attributions {
		for i, row := range rows {
			if len(row) != r.first()+i || r.first()+i >= len(r.Tokens) {
				return fmt.Errorf("attributions %q row %d has %d scores, want %d (n_input_tokens + row) within %d tokens", m, i, len(row), r.first()+i, len(r.Tokens))
			}
			for _, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					return fmt.Errorf("attributions %q row %d holds %v, want shares ≥ 0", m, i, v)
				}
			}
		}
	}
	if a := r.Activations; a != nil {
		if len(a.Values) != a.Shape[0] || len(a.Layers) != a.Shape[0] {
			return fmt.Errorf("activations: shape %v with %d layers stored and %d named", a.Shape, len(a.Values), len(a.Layers))
		}
		if a.Shape[2] > len(r.Tokens) {
			return fmt.Errorf("activations: %d positions for %d tokens", a.Shape[2], len(r.Tokens))
		}
		for _, neurons := range a.Values {
			if len(neurons) != a.Shape[1] {
				return fmt.Errorf("activations: a layer has %d neurons, shape says %d", len(neurons), a.Shape[1])
			}
			for _, row := range neurons {
				if len(row) != a.Shape[2] {
					return fmt.Errorf("activations: a neuron has %d positions, shape says %d", len(row), a.Shape[2])
				}
			}
		}
	}
	return nil
}
