package bart

import (
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/internal/refdata"
)

const tiny = "tiny-bart-a"

func loadTiny(t *testing.T) family.Seq2Seq {
	t.Helper()
	m, err := Load(familytest.Backend(t), refdata.EncDecModelDir(tiny))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGoldens checks tiny-bart-a against the original Ecco's outputs (familytest.RunSeq2SeqGoldens):
// encoder output, first-step logits, greedy ids with and without the KV cache, the three
// attributions, FFN neurons of both stacks, rankings and layer predictions, and gradients
// against finite differences.
func TestGoldens(t *testing.T) {
	familytest.RunSeq2SeqGoldens(t, loadTiny, tiny)
}
