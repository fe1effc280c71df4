package display

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// reference is tiny-a's prompt 1, the reference file the views are fed from.
type reference struct {
	*refdata.Golden
	gradXInput [][]float64 // [generated token][earlier token]
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	g := refdata.Load(t, "tiny-a", 1)
	return &reference{g, g.Scores(t, "grad_x_input")}
}

// tokens converts raw GPT-2 tokens and their decoded text; a raw token that
// does not start with "Ġ" continues the previous word.
func refTokens(raw, decoded []string, ids []int) []Token {
	out := make([]Token, len(raw))
	for i := range raw {
		out[i] = Token{Text: decoded[i], ID: ids[i], Partial: !strings.HasPrefix(raw[i], "Ġ") && raw[i] != "Ċ"}
	}
	return out
}

func (r *reference) allTokens() []Token {
	return append(refTokens(r.Input.Tokens, r.Input.Decoded, r.Input.IDs),
		refTokens(r.Greedy.Tokens, r.Greedy.Decoded, r.Greedy.IDs)...)
}

func (r *reference) nInput() int { return len(r.Input.IDs) }

func (r *reference) sequence() Sequence { return Sequence{Tokens: r.allTokens(), NInput: r.nInput()} }

func (r *reference) saliency(style Style) Saliency {
	return Saliency{Tokens: r.allTokens(), NInput: r.nInput(), Method: "grad_x_input", Scores: r.gradXInput, Style: style}
}

// factors aligns Ecco's P = n+G-1 factor positions to the n+G tokens the
// way Ecco's explore() does: the last prompt position is repeated.
func (r *reference) factors() Factors {
	n := r.nInput()
	var vals [][]float64
	for _, row := range r.NMF.Factors {
		aligned := append(append([]float64{}, row[:n]...), row[n-1:]...)
		vals = append(vals, aligned)
	}
	const neuronsPerLayer = 256
	var top [][]Neuron
	for _, h := range r.NMF.H {
		idx := make([]int, len(h))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return h[idx[a]] > h[idx[b]] })
		var list []Neuron
		for _, c := range idx[:5] {
			list = append(list, Neuron{Layer: c / neuronsPerLayer, Index: c % neuronsPerLayer, Weight: h[c]})
		}
		top = append(top, list)
	}
	return Factors{Tokens: r.allTokens(), NInput: n, Values: vals, TopNeurons: top}
}

func (r *reference) predictions(step int) LayerPredictions {
	lp := r.LayerPredictions[step]
	all := r.allTokens()
	target := all[lp.Position]
	p := LayerPredictions{Position: lp.Position, Target: &target}
	for l, layer := range lp.Layers {
		p.Layers = append(p.Layers, LayerTopK{Layer: l, Tokens: layer.TopTokens, IDs: layer.TopIDs, Probs: layer.TopProbs})
	}
	return p
}

func (r *reference) rankings() Rankings {
	var rows []string
	for l := range r.Rankings.Rank {
		rows = append(rows, fmt.Sprintf("Layer %d", l))
	}
	return Rankings{Title: "Rank of the generated token at each layer", RowLabels: rows,
		ColLabels: r.Greedy.Decoded, TopLabels: append([]string{r.Input.Decoded[r.nInput()-1]}, r.Greedy.Decoded[:len(r.Greedy.Decoded)-1]...),
		Ranks: r.Rankings.Rank}
}

// similarity is a small layer × layer matrix built around the reference CKA
// value between layer 0 and the last layer of prompt 1 (analysis.json).
func similarity() Heatmap {
	const cka = 0.8195247113488441
	return Heatmap{Title: "CKA similarity", RowLabels: []string{"Layer 0", "Layer 1"}, ColLabels: []string{"Layer 0", "Layer 1"},
		Values: [][]float64{{1, cka}, {cka, 1}}}
}
