package bart

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/refdata"
)

// variant writes tiny-bart-a's weights as model type modelType: without the tensors drop names,
// with each stack's final layer_norm (weight 1 + i/100 over its 64 values, bias 0), and
// scale_embedding set.
func variant(t *testing.T, modelType string, drop func(string) bool) family.Seq2Seq {
	t.Helper()
	src := refdata.EncDecModelDir(tiny)
	var extra []safetensors.Tensor
	for _, stack := range []string{"encoder", "decoder"} {
		w, b := make([]float32, 64), make([]float32, 64)
		for i := range w {
			w[i] = 1 + float32(i)/100
		}
		extra = append(extra, safetensors.Tensor{Name: "model." + stack + ".layer_norm.weight", Shape: []int{64}, Data: w},
			safetensors.Tensor{Name: "model." + stack + ".layer_norm.bias", Shape: []int{64}, Data: b})
	}
	dir := familytest.Rewrite(t, src, func(name string) string {
		if drop(name) {
			return ""
		}
		return name
	}, extra, "generation_config.json")
	edited := familytest.EditedConfig(t, readConfig(t), func(c map[string]any) { c["model_type"], c["scale_embedding"] = modelType, true })
	if err := os.WriteFile(filepath.Join(dir, "config.json"), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPegasus: a Pegasus checkpoint (no learned positions, no layernorm_embedding, final norms)
// embeds as shared[ids]·√D + the sinusoidal table from position 0, recomputed here in float64
// from transformers' formula, and keeps the KV cache consistent with whole-sequence runs.
func TestPegasus(t *testing.T) {
	m := variant(t, "pegasus", func(name string) bool {
		return strings.Contains(name, "embed_positions") || strings.Contains(name, "layernorm_embedding")
	})
	g := refdata.LoadEncDec(t, tiny, 3)
	_, out, err := m.Encode(g.Input.IDs, family.StepOptions{Hidden: true})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := m.Embeddings(g.Input.IDs)
	if err != nil {
		t.Fatal(err)
	}
	const d = 64
	worst := 0.0
	for p := range g.Input.IDs {
		for j := range d {
			// Column j < d/2 is sin(p/10000^(2j/d)); column d/2+j the cosine of the same angle.
			angle := float64(p) / math.Pow(10000, float64(2*(j%(d/2)))/d)
			pos := math.Sin(angle)
			if j >= d/2 {
				pos = math.Cos(angle)
			}
			want := float64(rows[p*d+j])*8 + pos
			worst = math.Max(worst, math.Abs(float64(out.Hidden[0][p][j])-want))
		}
	}
	if worst > 1e-5 {
		t.Errorf("Pegasus embeddings differ from shared·√D + sinusoid by %.3g", worst)
	}
	if len(out.Hidden) != 3 {
		t.Fatalf("%d hidden states, want 3", len(out.Hidden))
	}
	familytest.CheckSeq2SeqCache(t, m, g.Input.IDs, g.Decoder.IDs[:6], "pegasus")
}

// TestMBART: an mBART checkpoint (BART's learned positions and layernorm_embedding, pre-norm
// blocks, final norms) keeps the KV cache consistent, and its embedding gradients agree with
// finite differences and differentiate the scaled model's probabilities (checkGeneratingProbs).
func TestMBART(t *testing.T) {
	m := variant(t, "mbart", func(string) bool { return false })
	g := refdata.LoadEncDec(t, tiny, 3)
	familytest.CheckSeq2SeqCache(t, m, g.Input.IDs, g.Decoder.IDs[:6], "mbart")
	if info := m.Info(); info.FinalNorm != "model.decoder.layer_norm" || info.Capture != "fc2" {
		t.Errorf("mBART info: final norm %q, capture %q", info.FinalNorm, info.Capture)
	}
	if testing.Short() {
		t.Skip("slow: finite differences")
	}
	familytest.CheckSeq2SeqGradients(t, m, g.Input.IDs, g.Decoder.IDs[:3], g.Decoder.IDs[3])
}
