package t5

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

// variant writes tiny-t5-a's weights renamed by rename with extra tensors and its config edited.
func variant(t *testing.T, rename func(string) string, extra []safetensors.Tensor, edit func(map[string]any)) family.Seq2Seq {
	t.Helper()
	src := refdata.EncDecModelDir(tiny)
	dir := familytest.Rewrite(t, src, rename, extra, "generation_config.json")
	config, err := os.ReadFile(filepath.Join(src, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), familytest.EditedConfig(t, string(config), edit), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func same(name string) string { return name }

// TestUntiedHead: a v1.1-style checkpoint whose untied lm_head is the shared matrix times
// d_model^-0.5 must give tiny-t5-a's logits: the rescale belongs to the tied head only.
func TestUntiedHead(t *testing.T) {
	set, err := safetensors.OpenDir(refdata.EncDecModelDir(tiny))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	data, shape, err := set.Float32(shared)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = float32(float64(data[i]) / 8) // 64^-0.5
	}
	m := variant(t, same, []safetensors.Tensor{{Name: lmHead, Shape: shape, Data: data}}, func(c map[string]any) { c["tie_word_embeddings"] = false })
	g := refdata.LoadEncDec(t, tiny, 1)
	enc, _, err := m.Encode(g.Input.IDs, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Step(enc, []int{m.DecoderStart()}, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	familytest.Close(t, "untied head's first-step logits", out.Logits[0][:20], g.FirstForward.LogitsLastFirst20, 1e-4)
}

// TestGatedFeedForward: with wi_0 = wi_1 = wi and "gated-relu", the encoder's layer-0 neurons
// are relu(a)·a = the ReLU model's neurons squared (the FFN input of layer 0 does not depend on
// the FFN); "gated-gelu" loads with the tanh GELU. Both keep the cache consistent.
func TestGatedFeedForward(t *testing.T) {
	g := refdata.LoadEncDec(t, tiny, 3)
	relu := loadTiny(t)
	_, base, err := relu.Encode(g.Input.IDs, family.StepOptions{FFN: true})
	if err != nil {
		t.Fatal(err)
	}
	gate := func(name string) string {
		return strings.Replace(name, "DenseReluDense.wi.", "DenseReluDense.wi_0.", 1)
	}
	var extra []safetensors.Tensor
	set, err := safetensors.OpenDir(refdata.EncDecModelDir(tiny))
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	for _, name := range set.Names() {
		if strings.Contains(name, "DenseReluDense.wi.") {
			data, shape, err := set.Float32(name)
			if err != nil {
				t.Fatal(err)
			}
			extra = append(extra, safetensors.Tensor{Name: strings.Replace(name, ".wi.", ".wi_1.", 1), Shape: shape, Data: data})
		}
	}
	for _, proj := range []string{"gated-relu", "gated-gelu"} {
		m := variant(t, gate, extra, func(c map[string]any) { c["feed_forward_proj"] = proj })
		_, out, err := m.Encode(g.Input.IDs, family.StepOptions{FFN: true})
		if err != nil {
			t.Fatal(err)
		}
		if proj == "gated-relu" {
			worst := 0.0
			for p, row := range out.FFN[0] {
				for n, v := range row {
					a := float64(base.FFN[0][p][n])
					worst = math.Max(worst, math.Abs(float64(v)-a*a)/math.Max(1, a*a))
				}
			}
			if worst > 1e-5 {
				t.Errorf("gated-relu layer-0 neurons differ from relu's squared by %.3g (relative)", worst)
			}
		}
		familytest.CheckSeq2SeqCache(t, m, g.Input.IDs, g.Decoder.IDs[:6], proj)
	}
}
