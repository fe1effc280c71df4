package refdata

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// Golden is a reference file golden/<model>/prompt<n>.json: the fields the tests read, for
// decoders and encoders alike (tests/testdata/REFERENCE.md, REFERENCE-bert.md).
type Golden struct {
	Prompt     string `json:"prompt"`
	EccoConfig struct {
		Activations []string `json:"activations"` // the capture regexes of Ecco's model config
	} `json:"ecco_model_config"`
	Input struct {
		IDs     []int    `json:"ids"`
		Tokens  []string `json:"tokens"`
		Decoded []string `json:"decoded"`
	} `json:"input"`
	FirstForward struct {
		LogitsLastFirst20 []float64 `json:"logits_last_first20"`
		LogitsPos0First20 []float64 `json:"logits_pos0_first20"`
		Top10IDsLast      []int     `json:"top10_ids_last"`
		Top10LogitsLast   []float64 `json:"top10_logits_last"`
		ArgmaxLast        int       `json:"argmax_last"`
	} `json:"first_forward"`
	Greedy struct {
		IDs        []int    `json:"ids"` // the new tokens
		Tokens     []string `json:"tokens"`
		Decoded    []string `json:"decoded"`
		AllIDs     []int    `json:"all_ids"` // prompt and new tokens
		OutputText string   `json:"output_text"`
	} `json:"greedy"`
	// Attribution holds each method's scores, [generated token][earlier token], under Ecco's
	// method names (read them with Scores), beside notes on how they were computed.
	Attribution map[string]json.RawMessage `json:"attribution"`
	Sampling    map[string]json.RawMessage `json:"sampling"`
	Rankings    struct {
		Rank        [][]int  `json:"rank_of_generated_token"`
		Top1        [][]int  `json:"layer_top1_id"`
		InputLabels []string `json:"input_tokens_labels"`
		OutLabels   []string `json:"output_tokens_labels"`
	} `json:"rankings"`
	LayerPredictions []struct {
		Position int `json:"position"`
		Layers   []struct {
			TopIDs    []int     `json:"top_ids"`
			TopProbs  []float64 `json:"top_probs"`
			TopTokens []string  `json:"top_tokens"`
		} `json:"layers"`
	} `json:"layer_predictions"`
	LogitLens struct {
		SequenceIDs []int `json:"sequence_ids"`
		Variants    map[string]struct {
			Top1 [][]int  `json:"top1"`
			Rank [][]*int `json:"next_token_rank"`
		} `json:"variants"`
	} `json:"logit_lens"`
	NMF NMF `json:"nmf"`
	// Gemma 3's files also record the model as it generates (Ecco's path left out its embedding
	// scale, REFERENCE-modern.md); Load puts these in place of Attribution's scores and NMF.
	AttributionEmbedScaled map[string]json.RawMessage `json:"attribution_embed_scaled"`
	NMFInputIDsPath        *NMF                       `json:"nmf_input_ids_path"`
	Hidden                 struct {
		Full [][][]float64 `json:"full"` // encoders: [L+1][T][D]
	} `json:"hidden_states"`
	MLM MLM `json:"mlm"`
}

// NMF is Ecco's run_nmf on the prompt's activations: scikit-learn's result and random start.
type NMF struct {
	Factors           [][]float64 `json:"factors"`
	H                 [][]float64 `json:"H"`
	ReconstructionErr float64     `json:"reconstruction_err"`
	NIter             int         `json:"n_iter"`
	InitW             [][]float64 `json:"init_W"`
	InitH             [][]float64 `json:"init_H"`
	InputShape        []int       `json:"input_shape"`
}

// MLM is an encoder's masked-word head on the prompt (BERT references only).
type MLM struct {
	Pos1First20 []float64 `json:"logits_pos1_first20"`
	MaskFirst20 []float64 `json:"logits_mask_first20"`
	MaskPos     *int      `json:"mask_position"` // nil: the prompt has no [MASK]
	Top10IDs    []int     `json:"top10_ids"`
	Top10Probs  []float64 `json:"top10_probs"`
	Attribution struct {
		TargetID            int       `json:"target_id"`
		GradXInput          []float64 `json:"grad_x_input"`
		Gradient            []float64 `json:"gradient"`
		IntegratedGradients []float64 `json:"integrated_gradients"`
	} `json:"attribution"`
}

// Path is the file name (e.g. "prompt1.json") of a reference model's outputs.
func Path(model, name string) string { return filepath.Join(TestData(), "golden", model, name) }

// Load reads golden/<model>/prompt<n>.json.
func Load(t testing.TB, model string, n int) *Golden {
	t.Helper()
	var g Golden
	ReadJSON(t, Path(model, fmt.Sprintf("prompt%d.json", n)), &g)
	for method, scores := range g.AttributionEmbedScaled {
		g.Attribution[method] = scores
	}
	if g.NMFInputIDsPath != nil {
		g.NMF = *g.NMFInputIDsPath
	}
	return &g
}

// Activations reads golden/<model>/prompt<n>.activations.json: the FFN neurons, [L][N][T]
// (Gemma 3: those of the model as it generates, as Load's scores).
func Activations(t testing.TB, model string, n int) [][][]float64 {
	t.Helper()
	var acts struct {
		Activations  [][][]float64 `json:"activations"`
		InputIDsPath [][][]float64 `json:"activations_input_ids_path"`
	}
	ReadJSON(t, Path(model, fmt.Sprintf("prompt%d.activations.json", n)), &acts)
	if acts.InputIDsPath != nil {
		return acts.InputIDsPath
	}
	return acts.Activations
}

// Scores is the reference attribution of method: [generated token][earlier token].
func (g *Golden) Scores(t testing.TB, method string) [][]float64 {
	t.Helper()
	var scores [][]float64
	if err := json.Unmarshal(g.Attribution[method], &scores); err != nil {
		t.Fatalf("golden attribution %q: %v", method, err)
	}
	return scores
}

// EncoderActivations reads an encoder's golden/<model>/prompt<n>.activations.json: Ecco's FFN
// neurons [L][N][T] and, for a layer shared by every depth (ALBERT), each application of it
// (nil otherwise): Ecco records the shared layer once, overwritten by each application, so its
// activations are the last application's alone.
func EncoderActivations(t testing.TB, model string, n int) (ecco, all [][][]float64) {
	t.Helper()
	var acts struct {
		Activations     [][][]float64 `json:"activations"`
		AllApplications [][][]float64 `json:"all_applications"`
	}
	ReadJSON(t, Path(model, fmt.Sprintf("prompt%d.activations.json", n)), &acts)
	return acts.Activations, acts.AllApplications
}
