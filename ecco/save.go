package ecco

import (
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

// Save writes the Output as JSON (the documented format, "version" OutputVersion) to path,
// atomically: a failed save leaves no file behind and never a partial one.
func (o *Output) Save(path string) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("ecco: encoding output: %w", err)
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("ecco: saving output to %s: %w", path, err)
	}
	return nil
}

// LoadOutput reads an Output saved with Save. Attach a model to compute what it lacks.
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
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("ecco: loading output %s: not an ecco Output (JSON written by out.Save): %w", path, err)
	}
	if o.Version == 0 && len(o.TokenIDs) == 0 {
		return nil, fmt.Errorf("ecco: loading output %s: not an ecco Output: it has neither \"version\" nor \"token_ids\" (write one with out.Save or `ecco generate -json`)", path)
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
		return fmt.Errorf("version %d, want %d", o.Version, OutputVersion)
	case o.NInput < 1 || o.NInput > len(o.TokenIDs):
		return fmt.Errorf("n_input_tokens %d does not fit %d token ids", o.NInput, len(o.TokenIDs))
	case len(o.Tokens) != len(o.TokenIDs) || len(o.Partial) != len(o.TokenIDs):
		return fmt.Errorf("%d tokens and %d partial flags for %d token ids", len(o.Tokens), len(o.Partial), len(o.TokenIDs))
	case len(o.ActivationLayers) != len(o.Activations):
		return fmt.Errorf("%d activation layers named but %d stored", len(o.ActivationLayers), len(o.Activations))
	}
	for name, steps := range o.Attributions {
		if len(steps) != o.NGenerated() {
			return fmt.Errorf("attribution %q has %d steps for %d generated tokens", name, len(steps), o.NGenerated())
		}
		for i, s := range steps {
			if len(s) != o.NInput+i {
				return fmt.Errorf("attribution %q step %d scores %d tokens, want %d", name, i, len(s), o.NInput+i)
			}
		}
	}
	return nil
}
