package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// printBench prints the timings as a table beside Ecco's.
func printBench(w io.Writer, doc *benchJSON) error {
	c := doc.Config
	fmt.Fprintf(w, "model %s: %d layers, width %d, %d heads, vocab %d; backend %s, SIMD matrix products %s, %d CPUs\n",
		doc.Model, c.NLayer, c.NEmbd, c.NHead, c.VocabSize, doc.Backend, doc.SIMD, doc.CPUs)
	fmt.Fprintf(w, "prompt %d tokens, %d new tokens, median of %d runs (first run: includes compiling graphs)\n\n",
		doc.PromptTokens, doc.NewTokens, doc.Repeat)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "step\tEcco\tecco-go\tfirst run\tEcco / ecco-go\t")
	for _, s := range doc.Steps {
		ecco, ratio := "n/a", "n/a"
		if s.Ecco != nil {
			ecco = formatSeconds(*s.Ecco)
			ratio = fmt.Sprintf("%.2f×", *s.Ecco/s.Median)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", s.Name, ecco, formatSeconds(s.Median), formatSeconds(s.First), ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !doc.Comparable {
		fmt.Fprintln(w, "\nnote: Ecco's figures are for a DistilGPT2-shaped model (6 layers, width 768, 12 heads, vocab 50257),\nprompt 1 and 35 new tokens on 2 CPU cores; this run differs, so the ratios are not like for like.")
	}
	_, err := fmt.Fprintln(w)
	return err
}

func formatSeconds(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.3f s", s)
	}
	return fmt.Sprintf("%.2f s", s)
}
