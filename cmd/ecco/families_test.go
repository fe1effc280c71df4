package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// familyModels are the reference models of the families beside GPT-2 (tiny-a has its own
// tests above); every CLI check runs on each, through the same JSON.
var familyModels = []string{"tiny-neo-a", "tiny-llama-a", "tiny-qwen2-a", "tiny-qwen3-a", "tiny-gemma3-a", "tiny-neox-a"}

// TestFamiliesMatchEcco runs `ecco forward` and `ecco generate` on every prompt of every family
// and compares each JSON field with the golden files: ids, logits, the three attributions,
// activations, rankings, layer predictions, both logit lenses and the NMF error.
func TestFamiliesMatchEcco(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 3 models × 3 prompts")
	}
	for _, model := range familyModels {
		for prompt := 1; prompt <= 3; prompt++ {
			t.Run(fmt.Sprintf("%s/prompt%d", model, prompt), func(t *testing.T) {
				want := refdata.Load(t, model, prompt)
				f, _ := forward(t, modelDir(model), want.Prompt)
				if !slices.Equal(f.TokenIDs, want.Input.IDs) {
					t.Fatalf("forward token_ids %v, want %v", f.TokenIDs, want.Input.IDs)
				}
				checkClose(t, "forward logits_last[:20]", float32s(f.LogitsLast[:20]), want.FirstForward.LogitsLastFirst20, 1e-4)

				got, _ := generateWith(t, modelDir(model), "-prompt", want.Prompt, "-n", "10", "-attribution", "grad_x_input,saliency,ig",
					"-activations", "-rankings", "-layer-predictions", "10", "-logit-lens", "ecco", "-nmf", "4")
				if !slices.Equal(got.TokenIDs, want.Greedy.AllIDs) {
					t.Fatalf("generate token_ids\n got %v\nwant %v", got.TokenIDs, want.Greedy.AllIDs)
				}
				for _, method := range []string{"grad_x_input", "gradient", "integrated_gradients"} {
					wantRows := want.Scores(t, method)
					if len(got.Attributions[method]) != len(wantRows) {
						t.Fatalf("%s: %d rows, want %d", method, len(got.Attributions[method]), len(wantRows))
					}
					for i, row := range got.Attributions[method] {
						checkClose(t, fmt.Sprintf("%s row %d", method, i), row, wantRows[i], 1e-5)
					}
				}
				checkActivations(t, got, model, prompt)
				checkPredictions(t, got, want)
				checkLens(t, got, want, "ecco")
				checkReconstruction(t, got, want)

				lnf, _ := generateWith(t, modelDir(model), "-prompt", want.Prompt, "-n", "10", "-logit-lens", "ln_f")
				checkLens(t, lnf, want, "ln_f")
			})
		}
	}
}
