package ecco

import (
	"bufio"
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// maxOutputBytes bounds the read of a saved Output (activations of a large model run to
// hundreds of megabytes of JSON).
const maxOutputBytes = 4 << 30

// Save writes the Output as JSON (the saved format: "schema" OutputSchema, "version"
// OutputVersion, the fields documented on Output) to path, atomically: a failed save leaves no
// file behind and never a partial one. `ecco generate -json` writes the same format.
func (o *Output) Save(path string) error {
	if err := atomicfile.Write(path, o.WriteJSON); err != nil {
		return fmt.Errorf("ecco: saving output to %s: %w", path, err)
	}
	return nil
}

// WriteJSON writes what Save writes to w, one line. Tokens such as "<|endoftext|>" stay
// readable: HTML characters are not escaped.
//
// Why not a json.Encoder of o: it would check and copy MarshalJSON's result once more, 0.3 s of
// CPU for SmolLM-135M's 47 MB (35 tokens with activations). The hidden states and activations
// go to w as they are formatted, a few layers at a time, not as one buffer of the whole file
// (BENCHMARKS.md, "Writing the numbers").
func (o *Output) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	out := &sticky{w: bw}
	if err := o.writeJSON(out); err != nil {
		if out.err != nil {
			return fmt.Errorf("ecco: writing output: %w", err)
		}
		return fmt.Errorf("ecco: encoding output: %w", err)
	}
	if err := out.string("\n"); err != nil {
		return fmt.Errorf("ecco: writing output: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("ecco: writing output: %w", err)
	}
	return nil
}

// LoadOutput reads an Output saved with Save or written by `ecco generate -json` (or `ecco
// forward -json` on an encoder). Attach a model to compute what it lacks.
func LoadOutput(path string) (*Output, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ecco: loading output: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOutputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ecco: loading output %s: %w", path, err)
	}
	if len(data) > maxOutputBytes {
		return nil, fmt.Errorf("ecco: loading output %s: larger than %d bytes", path, int64(maxOutputBytes))
	}
	var o Output
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&o); err != nil {
		return nil, fmt.Errorf("ecco: loading output %s: not an ecco Output (JSON written by out.Save or `ecco generate -json`): %w", path, err)
	}
	if o.Version == 0 {
		return nil, fmt.Errorf("ecco: loading output %s: not an ecco Output: it has no \"version\" (write one with out.Save or `ecco generate -json`; "+
			"`ecco forward -json` on a causal model writes next-token logits, not an Output)", path)
	}
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("ecco: loading output %s: %w", path, err)
	}
	return &o, nil
}

// validate checks what the views index into, so a hand-edited file fails here and not in a view.
func (o *Output) validate() error {
	switch {
	case o.Version != OutputVersion:
		return fmt.Errorf("version %d, want %d (or 1)", o.Version, OutputVersion)
	case o.Schema != OutputSchema:
		return fmt.Errorf("schema %q, want %q", o.Schema, OutputSchema)
	case o.NInput < 1 || o.FirstGenerated() > len(o.TokenIDs):
		return fmt.Errorf("n_input_tokens %d does not fit %d token ids", o.NInput, len(o.TokenIDs))
	case len(o.Tokens) != len(o.TokenIDs) || len(o.Partial) != len(o.TokenIDs):
		return fmt.Errorf("%d tokens and %d partial flags for %d token ids", len(o.Tokens), len(o.Partial), len(o.TokenIDs))
	case len(o.ActivationLayers) != len(o.Activations):
		return fmt.Errorf("%d activation layers named but %d stored", len(o.ActivationLayers), len(o.Activations))
	case len(o.EncoderActivationLayers) != len(o.EncoderActivations):
		return fmt.Errorf("%d encoder activation layers named but %d stored", len(o.EncoderActivationLayers), len(o.EncoderActivations))
	case !o.EncoderDecoder && len(o.EncoderActivations) > 0:
		return fmt.Errorf("encoder activations in the output of a model that is not an encoder-decoder")
	}
	for name, steps := range o.Attributions {
		if len(steps) != o.NGenerated() {
			return fmt.Errorf("attribution %q has %d steps for %d generated tokens", name, len(steps), o.NGenerated())
		}
		for i, s := range steps {
			if len(s) != o.FirstGenerated()+i {
				return fmt.Errorf("attribution %q step %d scores %d tokens, want %d", name, i, len(s), o.FirstGenerated()+i)
			}
		}
	}
	if err := o.validateExplanations(); err != nil {
		return err
	}
	return o.validateLens()
}

// validateLens checks the cached logit lens against the generated tokens and layers.
func (o *Output) validateLens() error {
	for name, d := range o.Lens {
		if d == nil || len(d.RankOfGenerated) != o.Config.NLayer || len(d.LayerTop1) != o.Config.NLayer || len(d.TopIDs) != o.NGenerated() {
			return fmt.Errorf("lens %q does not cover %d layers × %d generated tokens", name, o.Config.NLayer, o.NGenerated())
		}
		for l := range d.RankOfGenerated {
			if len(d.RankOfGenerated[l]) != o.NGenerated() || len(d.LayerTop1[l]) != o.NGenerated() {
				return fmt.Errorf("lens %q layer %d does not cover the %d generated tokens", name, l, o.NGenerated())
			}
		}
		for j := range d.TopIDs {
			if len(d.TopIDs[j]) != o.Config.NLayer || len(d.TopProbs[j]) != o.Config.NLayer || len(d.TopTokens[j]) != o.Config.NLayer {
				return fmt.Errorf("lens %q token %d does not cover %d layers", name, j, o.Config.NLayer)
			}
			for l, ids := range d.TopIDs[j] {
				if len(d.TopProbs[j][l]) != len(ids) || len(d.TopTokens[j][l]) != len(ids) {
					return fmt.Errorf("lens %q token %d layer %d: %d ids, %d probabilities, %d tokens", name, j, l, len(ids), len(d.TopProbs[j][l]), len(d.TopTokens[j][l]))
				}
			}
		}
	}
	return nil
}
