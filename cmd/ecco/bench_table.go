package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ecco-go/ecco/internal/timing"
)

// printBench prints the timings measured in this run, one step a row.
func printBench(w io.Writer, doc *benchJSON) error {
	c := doc.Config
	fmt.Fprintf(w, "model %s: %d layers, width %d, %d heads, vocab %d; backend %s, SIMD matrix products %s, %d CPUs\n",
		doc.Model, c.NLayer, c.NEmbd, c.NHead, c.VocabSize, doc.Backend, doc.SIMD, doc.CPUs)
	fmt.Fprintf(w, "prompt %d tokens, %d new tokens, median of %d runs (first run: includes compiling graphs)\n\n",
		doc.PromptTokens, doc.NewTokens, doc.Repeat)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "step\tmedian\tfirst run\t")
	for _, s := range doc.Steps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", s.Name, timing.Format(s.Median), timing.Format(s.First))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}
