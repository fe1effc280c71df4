package main

import (
	"github.com/ecco-go/ecco/ecco"
)

// nmfTopNeurons is how many neurons per factor the JSON lists.
const nmfTopNeurons = 10

// addRequested computes the results the flags ask for and keeps them in out, so that `-json`
// writes them with the Output (ecco.Output's saved format, which ecco.LoadOutput reads).
func addRequested(lm *ecco.LM, out *ecco.Output, g *generateFlags) error {
	if g.nmf > 0 {
		summary, err := nmfSummary(out, g.nmf)
		if err != nil {
			return err
		}
		out.NMF = summary
	}
	if g.rankings {
		if _, err := out.LensData(g.lens); err != nil { // kept in out.Lens
			return err
		}
	}
	if g.layerPredictions > 0 {
		preds, err := out.AllLayerPredictions(g.layerPredictions, g.lens)
		if err != nil {
			return err
		}
		out.Predictions = preds
	}
	if g.logitLens != "" {
		grid, err := lm.LogitLens(out.TokenIDs, g.lens)
		if err != nil {
			return err
		}
		out.LogitLens = grid
	}
	return nil
}

// nmfSummary runs Ecco's run_nmf(k) over every captured layer of out.
func nmfSummary(out *ecco.Output, k int) (*ecco.NMFSummary, error) {
	f, err := out.RunNMF(k, nil)
	if err != nil {
		return nil, err
	}
	return f.Summary(nmfTopNeurons)
}
