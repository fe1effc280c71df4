package refdata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferenceFilesRead: every reference model's files decode into Golden.
func TestPromptAndModelExist(t *testing.T) {
	for _, model := range []string{"tiny-a", "tiny-neo-a", "tiny-llama-a", "tiny-qwen2-a", "tiny-bert-a"} {
		g := Load(t, model, 1)
		if g.Prompt == "" || len(g.Input.IDs) == 0 {
			t.Errorf("%s prompt1.json has no prompt or ids", model)
		}
		if acts := Activations(t, model, 1); len(acts) == 0 || len(acts[0]) == 0 || len(acts[0][0]) == 0 {
			t.Errorf("%s prompt1.activations.json: %d layers, want [L][N][T]", model, len(acts))
		}
	}
	if m := Load(t, "tiny-bert-a", 4).MLM; m.MaskPos == nil || len(m.Top10IDs) != 10 || len(m.Attribution.GradXInput) == 0 {
		t.Errorf("tiny-bert-a prompt4.json: no [MASK] results: %+v", m)
	}
	if g := Load(t, "tiny-a", 1); len(g.Scores(t, "grad_x_input")) != len(g.Greedy.IDs) {
		t.Errorf("tiny-a prompt1.json: grad_x_input has a row per generated token")
	}
	if _, err := os.Stat(filepath.Join(ModelDir(), "config.json")); err != nil {
		t.Fatal(err)
	}
}

func TestReadJSONNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := readJSON(path, &v); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("want an error naming %s, got %v", path, err)
	}
}

// TestEncDecFilesRead: both enc-dec references decode into EncDecGolden with the layout the
// README gives (G+1 attribution vectors, entry i of length n+i).
func TestEncDecFilesRead(t *testing.T) {
	for _, model := range []string{"tiny-t5-a", "tiny-bart-a"} {
		for n := 1; n <= 3; n++ {
			g := LoadEncDec(t, model, n)
			nIn, gen := len(g.Input.IDs), len(g.Greedy.IDs)
			if nIn == 0 || gen == 0 || len(g.Decoder.IDs) != gen+1 || len(g.FirstForward.EncoderOutput.Full) != nIn {
				t.Fatalf("%s prompt%d: %d input ids, %d generated, %d decoder ids, %d encoder rows", model, n, nIn, gen, len(g.Decoder.IDs), len(g.FirstForward.EncoderOutput.Full))
			}
			for _, method := range Methods {
				scores := g.Attribution.Scores(method)
				if len(scores) != gen+1 || len(scores[gen]) != nIn+gen || len(g.Attribution.Float64(t, method)) != gen {
					t.Errorf("%s prompt%d %s: %d vectors, want %d", model, n, method, len(scores), gen+1)
				}
			}
			acts := LoadEncDecActivations(t, model, n)
			if len(acts.Encoder) == 0 || len(acts.Encoder[0][0]) != nIn || len(acts.Decoder[0][0]) != gen {
				t.Errorf("%s prompt%d activations: want [L][N][%d] and [L][N][%d]", model, n, nIn, gen)
			}
		}
	}
	if g := LoadEncDec(t, "tiny-t5-a", 1); g.Attribution.ReLUNearKinks == nil || len(g.Attribution.ReLUNearKinks.EffectSumPerStep["integrated_gradients"]) != len(g.Greedy.IDs) {
		t.Errorf("tiny-t5-a prompt1.json: no relu_near_kinks")
	}
	if g := LoadEncDec(t, "tiny-bart-a", 1); g.NMFCorrectNeurons == nil || len(g.NMFCorrectNeurons.Factors) == 0 {
		t.Errorf("tiny-bart-a prompt1.json: no nmf_correct_neurons")
	}
}
