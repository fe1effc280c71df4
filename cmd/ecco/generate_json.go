package main

import (
	"github.com/ecco-go/ecco/ecco"
)

// generateJSON is the file `ecco generate -json` writes. Field names follow ecco.Output where
// the two overlap; optional sections appear only when their flag asked for them.
type generateJSON struct {
	Model         string               `json:"model"`
	Config        ecco.ModelConfig     `json:"config"`
	Options       ecco.GenerateOptions `json:"options"`
	TokenIDs      []int                `json:"token_ids"`      // prompt + generated
	NInput        int                  `json:"n_input_tokens"` // prompt tokens
	Tokens        []string             `json:"tokens"`         // display strings
	Text          string               `json:"text"`           // prompt + generated
	GeneratedText string               `json:"generated_text"` // generated only

	Attributions   map[string][][]float64 `json:"attributions,omitempty"`
	IGCompleteness []float64              `json:"ig_completeness_error,omitempty"`

	Activations      *activationsJSON      `json:"activations,omitempty"`
	NMF              *nmfJSON              `json:"nmf,omitempty"`
	Rankings         *rankingsJSON         `json:"rankings,omitempty"`
	LayerPredictions []layerPredictionJSON `json:"layer_predictions,omitempty"`
	LogitLens        *lensGridJSON         `json:"logit_lens,omitempty"`
	Attention        [][][][]float32       `json:"attention,omitempty"` // [L][H][T][T], one forward over token_ids
	Edits            []ecco.Edit           `json:"edits,omitempty"`     // neuron edits applied (-ablate, -add, -set)
}

// activationsJSON holds the FFN neurons as [layer][neuron][position].
type activationsJSON struct {
	Shape  [3]int        `json:"shape"`  // [layers, neurons, positions]
	Layers []int         `json:"layers"` // model layer of each first index
	Values [][][]float32 `json:"values"`
}

// nmfJSON is Ecco's run_nmf(K) over every captured layer.
type nmfJSON struct {
	Components        int                   `json:"n_components"`
	Layers            []int                 `json:"layers"`
	Factors           [][]float64           `json:"factors"` // [K][positions]
	TopNeurons        [][]ecco.NeuronWeight `json:"top_neurons"`
	ReconstructionErr float64               `json:"reconstruction_err"`
	Iterations        int                   `json:"n_iter"`
	Converged         bool                  `json:"converged"`
}

// rankingsJSON is Ecco's rankings: every layer's rank of each generated token and its top-1 id.
type rankingsJSON struct {
	Lens            string  `json:"lens"`
	RankOfGenerated [][]int `json:"rank_of_generated_token"` // [L][G], 1 = top
	LayerTop1       [][]int `json:"layer_top1_id"`           // [L][G]
}

// layerPredictionJSON is every layer's top-K at one generated position.
type layerPredictionJSON struct {
	Position int                    `json:"position"`
	Token    string                 `json:"token"` // the token generated there
	Layers   []ecco.LayerPrediction `json:"layers"`
}

// lensGridJSON is the logit lens at every position of prompt + generated.
type lensGridJSON struct {
	Lens          string   `json:"lens"`
	SequenceIDs   []int    `json:"sequence_ids"`
	Top1          [][]int  `json:"top1"`            // [L][T]
	NextTokenRank [][]*int `json:"next_token_rank"` // [L][T], null at the last position
}

// nmfTopNeurons is how many neurons per factor the JSON lists.
const nmfTopNeurons = 10

// newGenerateJSON gathers out and the results the flags ask for (computing those that need it).
func newGenerateJSON(lm *ecco.LM, out *ecco.Output, g *generateFlags) (*generateJSON, error) {
	doc := &generateJSON{
		Model: out.Model, Config: out.Config, Options: out.Options,
		TokenIDs: out.TokenIDs, NInput: out.NInput, Tokens: out.Tokens, Text: out.Text,
		GeneratedText:  lm.Tokenizer.Decode(out.GeneratedIDs()),
		Attributions:   out.Attributions,
		IGCompleteness: out.IGCompleteness,
		Attention:      out.Attention,
		Edits:          out.Edits,
	}
	if g.activations {
		doc.Activations = newActivationsJSON(out)
	}
	if g.nmf > 0 {
		n, err := newNMFJSON(out, g.nmf)
		if err != nil {
			return nil, err
		}
		doc.NMF = n
	}
	if g.rankings {
		d, err := out.LensData(g.lens)
		if err != nil {
			return nil, err
		}
		doc.Rankings = &rankingsJSON{Lens: string(g.lens), RankOfGenerated: d.RankOfGenerated, LayerTop1: d.LayerTop1}
	}
	for pos := out.NInput; g.layerPredictions > 0 && pos < len(out.TokenIDs); pos++ {
		layers, err := out.PredictionsAt(pos, g.layerPredictions, -1, g.lens)
		if err != nil {
			return nil, err
		}
		doc.LayerPredictions = append(doc.LayerPredictions, layerPredictionJSON{Position: pos, Token: out.Tokens[pos], Layers: layers})
	}
	if g.logitLens != "" {
		grid, err := lm.LogitLens(out.TokenIDs, g.lens)
		if err != nil {
			return nil, err
		}
		doc.LogitLens = newLensGridJSON(g.lens, out.TokenIDs, grid)
	}
	return doc, nil
}

// newActivationsJSON is out's activations section (nil without activations).
func newActivationsJSON(out *ecco.Output) *activationsJSON {
	a := out.Activations
	if len(a) == 0 {
		return nil
	}
	return &activationsJSON{Shape: [3]int{len(a), len(a[0]), len(a[0][0])}, Layers: out.ActivationLayers, Values: a}
}

// newNMFJSON runs Ecco's run_nmf(k) over every captured layer of out.
func newNMFJSON(out *ecco.Output, k int) (*nmfJSON, error) {
	f, err := out.RunNMF(k, nil)
	if err != nil {
		return nil, err
	}
	n := &nmfJSON{Components: len(f.Factors()), Layers: f.Layers, Factors: f.Factors(),
		ReconstructionErr: f.Result.ReconstructionErr, Iterations: f.Result.Iterations, Converged: f.Result.Converged}
	for c := range n.Factors {
		top, err := f.TopNeurons(c, nmfTopNeurons)
		if err != nil {
			return nil, err
		}
		n.TopNeurons = append(n.TopNeurons, top)
	}
	return n, nil
}

// newLensGridJSON writes the rank at the last position, which has no next token, as null.
func newLensGridJSON(lens ecco.Lens, ids []int, grid *ecco.LensGrid) *lensGridJSON {
	j := &lensGridJSON{Lens: string(lens), SequenceIDs: ids, Top1: grid.Top1}
	for _, row := range grid.NextTokenRank {
		ranks := make([]*int, len(row))
		for t := range len(row) - 1 {
			ranks[t] = &row[t]
		}
		j.NextTokenRank = append(j.NextTokenRank, ranks)
	}
	return j
}
