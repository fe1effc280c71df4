package refdata

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// EncDecGolden is an encoder–decoder reference file golden/tiny-{t5,bart}-a/prompt<n>.json
// (tests/testdata/REFERENCE-encdec.md): the fields the tests read. Generated tokens number G;
// the encoder input n.
type EncDecGolden struct {
	Prompt     string `json:"prompt"`
	EccoConfig struct {
		Embedding   string   `json:"embedding"`
		Activations []string `json:"activations"`
	} `json:"ecco_model_config"`
	Special struct {
		DecoderStart int  `json:"decoder_start_token_id"`
		EOS          int  `json:"eos_token_id"`
		Pad          int  `json:"pad_token_id"`
		BOS          *int `json:"bos_token_id"`
	} `json:"special_ids"`
	Input struct {
		IDs          []int    `json:"ids"` // the encoder's input, n
		Tokens       []string `json:"tokens"`
		Decoded      []string `json:"decoded"`
		NInputTokens int      `json:"n_input_tokens"`
	} `json:"input"`
	Decoder struct {
		Start        int   `json:"start_token_id"`
		IDs          []int `json:"ids"`               // [start] + generated, G+1
		FinalForward []int `json:"final_forward_ids"` // [start] + generated[:G-1]: the activations' decoder input
	} `json:"decoder"`
	EccoOutput struct {
		TokenIDs     []int    `json:"token_ids"` // encoder ids, then the decoder's
		Tokens       []string `json:"tokens"`
		NInputTokens int      `json:"n_input_tokens"`
		OutputText   string   `json:"output_text"`
	} `json:"ecco_output"`
	FirstForward struct {
		LogitsLastFirst20     []float64 `json:"logits_last_first20"` // the first decoder step's logits
		LogSoftmaxLastFirst20 []float64 `json:"log_softmax_last_first20"`
		Top10IDsLast          []int     `json:"top10_ids_last"`
		Top10LogitsLast       []float64 `json:"top10_logits_last"`
		ArgmaxLast            int       `json:"argmax_last"`
		EncoderOutput         struct {
			Full [][]float64 `json:"full"` // [n][D], after the encoder's final norm (T5)
		} `json:"encoder_output"`
	} `json:"first_forward"`
	Greedy struct {
		IDs     []int     `json:"ids"` // the G generated ids
		Tokens  []string  `json:"tokens"`
		Margin  []float64 `json:"top1_top2_logit_margin"`
		Chosen  []float64 `json:"chosen_logit"`
		Decoded []string  `json:"decoded"`
		Text    string    `json:"generated_text"`
	} `json:"greedy"`
	Attribution EncDecAttribution `json:"attribution"`
	NMF         NMF               `json:"nmf"`
	// NMFCorrectNeurons (BART) is Ecco's NMF on the correct FFN neurons (fc2's input): what a
	// port that fixes Ecco's BART capture reproduces. NMF is then Ecco's own on fc1's input.
	NMFCorrectNeurons *NMF `json:"nmf_correct_neurons"`
	Rankings          struct {
		Rank        [][]int     `json:"rank_of_generated_token"` // [decoder layer][step]
		Top1        [][]int     `json:"layer_top1_id"`
		MinLogitGap [][]float64 `json:"min_logit_gap"` // [layer][step]: below ~1e-5 the rank may move by 1
		InputLabels []string    `json:"input_tokens_labels"`
		OutLabels   []string    `json:"output_tokens_labels"`
	} `json:"rankings"`
	LayerPredictions struct {
		Steps []struct {
			Position int `json:"position"` // n+1+step in Ecco's token_ids
			Step     int `json:"step"`
			Layers   []struct {
				TopIDs    []int     `json:"top_ids"`
				TopProbs  []float64 `json:"top_probs"`
				TopTokens []string  `json:"top_tokens"`
			} `json:"layers"`
		} `json:"steps"`
	} `json:"layer_predictions"`
}

// EncDecAttribution holds Ecco's attributions of an enc-dec generation. Each method is G+1
// vectors: entry 0 Ecco's all-zero placeholder of length n+1, entry i (1..G) the n encoder
// tokens then the i decoder inputs [start, g0, …, g(i−2)], summing to 1.
type EncDecAttribution struct {
	GradXInput          [][]float64 `json:"grad_x_input"`
	Gradient            [][]float64 `json:"gradient"`
	IntegratedGradients [][]float64 `json:"integrated_gradients"`
	// Float64Reference holds the same G vectors (no placeholder) in float64, by method name.
	Float64Reference map[string]json.RawMessage `json:"float64_reference"`
	// ReLUNearKinks (ReLU T5 only) lists the ReLU pre-activations within float32 rounding of
	// 0 at an IG node, and what flipping their derivative changes (nil for other models).
	ReLUNearKinks *struct {
		Threshold float64 `json:"threshold"`
		NearKinks []struct {
			Stack         string                        `json:"stack"`
			Layer         int                           `json:"layer"`
			Position      int                           `json:"position"`
			Unit          int                           `json:"unit"`
			PreactFloat64 float64                       `json:"preact_float64"`
			StepsAffected []int                         `json:"steps_affected"`
			Effect        map[string]map[string]float64 `json:"effect"` // step -> method -> change
		} `json:"near_kinks"`
		EffectSumPerStep map[string][]float64 `json:"effect_sum_per_step"` // method -> [G]
	} `json:"relu_near_kinks"`
}

// Methods are the attribution methods of the enc-dec goldens, in Ecco's names.
var Methods = []string{"grad_x_input", "gradient", "integrated_gradients"}

// Scores returns method's G+1 vectors (entry 0 the placeholder); nil for an unknown method.
func (a *EncDecAttribution) Scores(method string) [][]float64 {
	switch method {
	case "grad_x_input":
		return a.GradXInput
	case "gradient":
		return a.Gradient
	case "integrated_gradients":
		return a.IntegratedGradients
	}
	return nil
}

// Float64 returns method's G float64 reference vectors (no placeholder).
func (a *EncDecAttribution) Float64(t testing.TB, method string) [][]float64 {
	t.Helper()
	var scores [][]float64
	if err := json.Unmarshal(a.Float64Reference[method], &scores); err != nil {
		t.Fatalf("golden float64_reference %q: %v", method, err)
	}
	return scores
}

// LoadEncDec reads golden/<model>/prompt<n>.json of an encoder–decoder model ("tiny-t5-a",
// "tiny-bart-a").
func LoadEncDec(t testing.TB, model string, n int) *EncDecGolden {
	t.Helper()
	var g EncDecGolden
	ReadJSON(t, Path(model, fmt.Sprintf("prompt%d.json", n)), &g)
	return &g
}

// EncDecActivations is golden/<model>/prompt<n>.activations.json of an enc-dec model: the FFN
// neurons of each stack, [L][N][positions] (encoder: the n prompt positions; decoder: the G
// decoder inputs of the final forward).
type EncDecActivations struct {
	Encoder [][][]float64 `json:"encoder"`
	Decoder [][][]float64 `json:"decoder"`
	// EccoDecoderFC1Input (BART) is what Ecco itself stores: fc1's input (the layer-normed
	// residual stream) of the decoder layers, [L][D][G], under 'decoder' (README: Ecco's BART bugs).
	EccoDecoderFC1Input [][][]float64 `json:"ecco_decoder_fc1_input"`
}

// LoadEncDecActivations reads golden/<model>/prompt<n>.activations.json.
func LoadEncDecActivations(t testing.TB, model string, n int) *EncDecActivations {
	t.Helper()
	var a EncDecActivations
	ReadJSON(t, Path(model, fmt.Sprintf("prompt%d.activations.json", n)), &a)
	return &a
}

// EncDecModelDir is the bundled enc-dec model ("tiny-t5-a", "tiny-bart-a").
func EncDecModelDir(model string) string { return filepath.Join(TestData(), "models", model) }
