// Package bench times what `ecco bench` measures on one model: loading, a forward pass,
// generation with activations, generation with grad×input, and integrated gradients. The
// command parses the flags and resolves the model; this package runs the steps and prints
// the table.
package bench

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/timing"
)

// Report is the file `ecco bench -json` writes: the timings and, inline, the build and
// machine they were measured on (`ecco env -json`).
type Report struct {
	ecco.Env
	Model        string           `json:"model"`
	BackendName  string           `json:"backend_name"` // the backend as it names itself
	Config       ecco.ModelConfig `json:"config"`
	PromptTokens int              `json:"prompt_tokens"`
	NewTokens    int              `json:"new_tokens"`
	IGTokens     int              `json:"ig_tokens"`
	Repeat       int              `json:"repeat"`
	Steps        []timing.Step    `json:"steps"`
}

// Print writes the timings measured in this run, one step a row.
func Print(w io.Writer, r *Report) error {
	c := r.Config
	fmt.Fprintf(w, "model %s: %d layers, width %d, %d heads, vocab %d; backend %s, SIMD matrix products %s, %d CPUs\n",
		r.Model, c.NLayer, c.NEmbd, c.NHead, c.VocabSize, r.Backend, r.SIMD, r.CPUs)
	fmt.Fprintf(w, "prompt %d tokens, %d new tokens, median of %d runs (first run: includes compiling graphs)\n\n",
		r.PromptTokens, r.NewTokens, r.Repeat)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "step\tmedian\tfirst run\t")
	for _, s := range r.Steps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", s.Name, timing.Format(s.Median), timing.Format(s.First))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}
