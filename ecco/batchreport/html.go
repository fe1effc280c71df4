package batchreport

import (
	"fmt"
	"strings"

	"github.com/ecco-go/ecco/display"
)

// View is the report as a display view (HTML, Display in a notebook, Save).
func (r *Report) View() display.Dataset {
	d := display.Dataset{Summary: fmt.Sprintf("%d records from %s · attribution methods: %s", r.Records, r.Dir, orNone(r.Methods))}
	for _, md := range r.Distance {
		c := display.DistanceChart{Method: md.Method}
		for _, b := range md.Buckets {
			c.Bars = append(c.Bars, display.DistanceBar{Label: b.label(), Share: b.MeanShare, Steps: b.Steps})
		}
		d.Distance = append(d.Distance, c)
	}
	for _, mt := range r.TopTokens {
		t := display.TokenTable{Method: mt.Method}
		for _, ts := range mt.Tokens {
			t.Rows = append(t.Rows, display.TokenRow{Token: ts.Token, Total: ts.TotalShare, Count: ts.Count})
		}
		d.TopTokens = append(d.TopTokens, t)
	}
	if f := r.Faithfulness; f != nil {
		for _, m := range f.Methods {
			d.Faithfulness = append(d.Faithfulness, display.FaithfulnessRow{Method: m.Method, Records: m.Records, Comprehensiveness: m.MeanAOPCComprehensiveness, Sufficiency: m.MeanAOPCSufficiency})
		}
		d.FaithNote = "baseline: " + orNone(f.Baselines)
	}
	if f := r.Factors; f != nil {
		d.FactorNote = fmt.Sprintf("%d factors of the FFN activations of layer(s) %v, %d token positions pooled from %d records", len(f.Factors), f.Layers, f.Positions, f.Records)
		if f.Truncated {
			d.FactorNote += " (the first positions only: Options.MaxFactorPositions)"
		}
		for _, fa := range f.Factors {
			var neurons []string
			for _, n := range fa.TopNeurons {
				neurons = append(neurons, fmt.Sprintf("%d:%d", n.Layer, n.Index))
			}
			df := display.DatasetFactor{Index: fa.Index, Neurons: strings.Join(neurons, " ")}
			for _, e := range fa.Examples {
				df.Examples = append(df.Examples, display.FactorExample{ID: e.ID, Strength: e.Strength, Tokens: e.TopTokens})
			}
			d.Factors = append(d.Factors, df)
		}
	}
	return d
}

// WriteHTML writes the report as one offline HTML page to path, atomically.
func (r *Report) WriteHTML(path string) error {
	return display.WritePage(path, "Ecco · dataset report", r.View())
}

// label is "3–4", "65+" or "1".
func (b DistanceBucket) label() string {
	switch {
	case b.To == 0:
		return fmt.Sprintf("%d+", b.From)
	case b.To == b.From:
		return fmt.Sprint(b.From)
	}
	return fmt.Sprintf("%d–%d", b.From, b.To)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
