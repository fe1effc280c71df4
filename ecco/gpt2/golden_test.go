package gpt2

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/refdata"
)

func loadTiny(t *testing.T) *decoder.Model {
	t.Helper()
	m, err := Load(familytest.Backend(t), refdata.ModelDir())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReferenceModel checks tiny-a's logits at the first and last positions, the top-10 ids and
// the KV-cached greedy continuation against the original Ecco's.
func TestReferenceModel(t *testing.T) {
	familytest.CheckPrompts(t, loadTiny(t), refdata.TestData(), "tiny-a")
}

// TestTopLogitsMatchEcco checks the values of Ecco's ten largest last-position logits, beyond
// the first 20 of the vocabulary that CheckPrompts compares.
func TestTopLogitsMatchEcco(t *testing.T) {
	m := loadTiny(t)
	for prompt := 1; prompt <= 3; prompt++ {
		g := refdata.Load(t, "tiny-a", prompt)
		ids, top := g.Input.IDs, g.FirstForward
		out, err := m.Step(ids, nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []float32
		for _, id := range top.Top10IDsLast {
			got = append(got, out.Logits[0][id])
		}
		familytest.Close(t, fmt.Sprintf("prompt %d top-10 logits", prompt), got, top.Top10LogitsLast, 1e-4)
	}
}

// TestHubLayout loads tiny-a saved as the hub's gpt2 is (no "transformer." prefix, attention
// buffers) with a stored lm_head.weight of 2·wte: the logits must be twice tiny-a's, so the
// stored head is the one used.
func TestHubLayout(t *testing.T) {
	src, err := safetensors.OpenDir(refdata.ModelDir())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var tensors []safetensors.Tensor
	for _, name := range src.Names() {
		data, shape, err := src.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		key := name[len("transformer."):]
		tensors = append(tensors, safetensors.Tensor{Name: key, Shape: shape, Data: data})
		if key == "wte.weight" {
			doubled := make([]float32, len(data))
			for i, v := range data {
				doubled[i] = 2 * v
			}
			tensors = append(tensors, safetensors.Tensor{Name: headKey, Shape: shape, Data: doubled})
		}
		if key == "h.0.ln_1.weight" {
			mask := make([]float32, 4*4)
			tensors = append(tensors, safetensors.Tensor{Name: "h.0.attn.bias", Shape: []int{1, 1, 4, 4}, Data: mask},
				safetensors.Tensor{Name: "h.0.attn.masked_bias", Shape: []int{1}, Data: []float32{-1e4}})
		}
	}
	dir := t.TempDir()
	if err := safetensors.Write(filepath.Join(dir, "model.safetensors"), tensors, safetensors.F32, nil); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join(refdata.ModelDir(), "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), config, 0o644); err != nil {
		t.Fatal(err)
	}
	hub, err := Load(familytest.Backend(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := []int{15496, 11, 616, 3290, 318}
	want, err := loadTiny(t).Step(ids, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := hub.Step(ids, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i, w := range want.Logits[0] {
		worst = math.Max(worst, math.Abs(float64(got.Logits[0][i])-2*float64(w)))
	}
	if worst > 1e-5 {
		t.Errorf("logits with lm_head.weight = 2·wte differ from twice tiny-a's by %.3g", worst)
	}
}
