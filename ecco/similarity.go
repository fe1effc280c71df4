package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/analysis"
	"gonum.org/v1/gonum/mat"
)

// Score compares two (neurons × positions) matrices, e.g. analysis.CKA or analysis.SVCCAScore(20).
type Score func(a, b mat.Matrix) (float64, error)

// HiddenStatesAll returns every hidden_states entry (embeddings, then each layer) as
// D × positions matrices, ready for the analysis package's scores.
func (o *Output) HiddenStatesAll() ([]mat.Matrix, error) {
	var out []mat.Matrix
	for l := range o.Hidden {
		m, err := o.HiddenStates(l)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// LayerSimilarity scores every pair of hidden_states entries (embeddings and each layer) with
// score: the layer × layer comparison of Ecco's analysis notebook, one call.
func (o *Output) LayerSimilarity(score Score) (*mat.Dense, error) {
	layers, err := o.HiddenStatesAll()
	if err != nil {
		return nil, err
	}
	return analysis.Pairwise(layers, score)
}

// SimilarityView draws LayerSimilarity as a heatmap titled with the score's name.
func (o *Output) SimilarityView(name string, score Score) (display.Heatmap, error) {
	sim, err := o.LayerSimilarity(score)
	if err != nil {
		return display.Heatmap{}, err
	}
	labels := []string{"Embeddings"}
	for l := range o.Config.NLayer {
		labels = append(labels, fmt.Sprintf("Layer %d", l))
	}
	return display.Heatmap{Title: name + " between layers (hidden states)", RowLabels: labels, ColLabels: labels, Values: rowsOf(sim)}, nil
}
