package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/display"
)

// Views turn an Output into display widgets. Each ...View method returns the widget (with
// HTML() and Save); the methods named as in Ecco (Show, Saliency, PrimaryAttributions, Explore,
// Rankings, RankingsWatch, LayerPredictions) display it in a GoNB notebook, and do nothing else
// outside one. They return their error, and in a notebook also show it.

// displayTokens converts the Output's tokens for the display package.
func (o *Output) displayTokens() []display.Token {
	out := make([]display.Token, len(o.TokenIDs))
	for i, id := range o.TokenIDs {
		out[i] = display.Token{Text: o.Tokens[i], ID: id, Partial: o.Partial[i] && i > 0}
	}
	return out
}

// SequenceView is the token sequence (Ecco's explorable).
func (o *Output) SequenceView() display.Sequence {
	return display.Sequence{Tokens: o.displayTokens(), NInput: o.NInput}
}

// Show displays the token sequence in a notebook.
func (o *Output) Show() error { return show(o.SequenceView()) }

// SaliencyView is the attribution widget for method in style ("minimal" or "detailed"),
// computing the attribution first when the Output lacks it. An encoder–decoder's shows, as
// Ecco does, the source as input and the decoder's tokens as output: its start token, with
// Ecco's all-zero placeholder row, then the generated tokens, the first of them selected.
func (o *Output) SaliencyView(method Method, style display.Style) (display.Saliency, error) {
	scores, err := o.Attribution(method)
	if err != nil {
		return display.Saliency{}, err
	}
	v := display.Saliency{Tokens: o.displayTokens(), NInput: o.NInput, Method: string(method), Scores: scores, Style: style}
	if o.EncoderDecoder {
		v.Scores, v.First = append([][]float64{make([]float64, o.NInput)}, scores...), 1
	}
	return v, nil
}

// PrimaryAttributions displays the attribution of method in style (Ecco's
// primary_attributions), computing it when missing.
func (o *Output) PrimaryAttributions(method Method, style display.Style) error {
	return showView(o.SaliencyView(method, style))
}

// Saliency displays grad×input saliency, Ecco's default view (computed when missing). For an
// encoder's text with a [MASK], it is the first [MASK]'s top prediction (see MaskSaliency).
func (o *Output) Saliency() error {
	if o.isMaskedText() {
		return o.MaskSaliency(GradXInput, -1, -1)
	}
	return o.PrimaryAttributions(GradXInput, display.StyleMinimal)
}

// ExplorerView is the NMF factor explorer. Ecco's activations cover one position fewer than the
// tokens; the last token then repeats the last position's factor values. An encoder–decoder's
// joined factors cover the source, then the decoder's tokens.
func (f *NeuronFactors) ExplorerView(topNeurons int) (display.Factors, error) {
	tokens, nInput := f.output.explorerTokens(f.Stack)
	factors := f.Factors()
	for i, row := range factors {
		for len(row) < len(tokens) {
			row = append(row, row[len(row)-1])
		}
		factors[i] = row
	}
	v := display.Factors{Tokens: tokens, NInput: nInput, Values: factors}
	for k := range factors {
		top, err := f.TopNeurons(k, topNeurons)
		if err != nil {
			return v, err
		}
		var row []display.Neuron
		for _, n := range top {
			row = append(row, display.Neuron{Layer: n.Layer, Index: n.Neuron, Weight: n.Weight})
		}
		v.TopNeurons = append(v.TopNeurons, row)
	}
	return v, nil
}

// Explore displays the NMF factor explorer with each factor's top 10 neurons.
func (f *NeuronFactors) Explore() error { return showView(f.ExplorerView(10)) }

// LayerPredictions displays each layer's top-k tokens for the generated token at position
// (Ecco's layer_predictions); PredictionsAt returns the numbers.
func (o *Output) LayerPredictions(position, topk int, lens Lens) error {
	return showView(o.LayerPredictionsView(position, topk, lens))
}

// LayerPredictionsView draws PredictionsAt for the generated token at position, every layer.
func (o *Output) LayerPredictionsView(position, topk int, lens Lens) (display.LayerPredictions, error) {
	preds, err := o.PredictionsAt(position, topk, -1, lens)
	if err != nil {
		return display.LayerPredictions{}, err
	}
	target := o.displayTokens()[position]
	v := display.LayerPredictions{Position: position, Target: &target}
	for _, p := range preds {
		v.Layers = append(v.Layers, display.LayerTopK{Layer: p.Layer, Tokens: p.Tokens, IDs: p.IDs, Probs: p.Probs})
	}
	return v, nil
}

// Rankings displays the rank of each generated token at every layer (Ecco's rankings); the
// numbers are LensData's RankOfGenerated.
func (o *Output) Rankings(lens Lens) error { return showView(o.RankingsView(lens)) }

// RankingsView draws the rank of each generated token at every layer: layers × generated tokens.
func (o *Output) RankingsView(lens Lens) (display.Rankings, error) {
	r, err := o.LensData(lens)
	if err != nil {
		return display.Rankings{}, err
	}
	v := display.Rankings{Title: "Rank of the generated token at each layer", RowLabels: layerLabels(o.Config.NLayer), Ranks: r.RankOfGenerated}
	for j := range o.NGenerated() {
		v.ColLabels = append(v.ColLabels, o.Tokens[o.FirstGenerated()+j])
		v.TopLabels = append(v.TopLabels, o.Tokens[o.FirstGenerated()+j-1])
	}
	return v, nil
}

// RankingsWatch displays the rank of each watched token id at every layer, for the generated
// token at position (Ecco's rankings_watch); WatchRanks returns the numbers.
func (o *Output) RankingsWatch(position int, lens Lens, ids ...int) error {
	return showView(o.RankingsWatchView(position, lens, ids...))
}

// RankingsWatchView draws WatchRanks: layers × watched tokens.
func (o *Output) RankingsWatchView(position int, lens Lens, ids ...int) (display.Rankings, error) {
	ranks, err := o.WatchRanks(position, lens, ids...)
	if err != nil {
		return display.Rankings{}, err
	}
	v := display.Rankings{Title: fmt.Sprintf("Rank of watched tokens at position %d", position), RowLabels: layerLabels(o.Config.NLayer), Ranks: ranks}
	v.ColLabels = o.displayTokenTexts(ids)
	return v, nil
}

func layerLabels(n int) []string {
	labels := make([]string, n)
	for i := range labels {
		labels[i] = fmt.Sprintf("Layer %d", i)
	}
	return labels
}

// Views returns every view the Output's data allows: the token sequence, a saliency view per
// attribution it holds, the contrast and faithfulness views when computed, the NMF explorer
// (k = nmfK, when activations were captured and nmfK > 0), and, when the logit lens can be
// computed or is cached, rankings and the first generated token's layer predictions.
func (o *Output) Views(nmfK int) ([]display.View, error) {
	views := []display.View{o.SequenceView()}
	o.mu.Lock()
	held := make(map[Method]bool)
	for name := range o.Attributions {
		held[Method(name)] = true
	}
	o.mu.Unlock()
	for _, m := range []Method{GradXInput, Gradient, IntegratedGradients, Occlusion, LastLayerAttention, AttentionRollout, ValueZeroing} {
		if held[m] {
			v, err := o.SaliencyView(m, display.StyleMinimal)
			if err != nil {
				return nil, err
			}
			views = append(views, v)
		}
	}
	more, err := o.explanationViews()
	if err != nil {
		return nil, err
	}
	views = append(views, more...)
	if nmfK > 0 && len(o.Activations) > 0 {
		f, err := o.RunNMF(nmfK, nil)
		if err != nil {
			return nil, err
		}
		v, err := f.ExplorerView(10)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	if lm := o.model(); (o.cachedLens(LensEcco) != nil || (lm != nil && !lm.IsEncoder())) && o.NGenerated() > 0 {
		r, err := o.RankingsView(LensEcco)
		if err != nil {
			return nil, err
		}
		p, err := o.LayerPredictionsView(o.FirstGenerated(), lensTopK, LensEcco)
		if err != nil {
			return nil, err
		}
		views = append(views, r, p)
	}
	return views, nil
}

// WriteHTML writes one standalone page with every view of Views(nmfK).
func (o *Output) WriteHTML(path string, nmfK int) error {
	views, err := o.Views(nmfK)
	if err != nil {
		return err
	}
	return display.WritePage(path, "Ecco · "+o.Model, views...)
}
