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
	m, err := Load(familytest.SequentialBackend(t), refdata.EncDecModelDir(tiny))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestReferenceModel checks tiny-bart-a's encoder output, first-step logits and greedy ids (with
// and without the KV cache) against the original Ecco's.
func TestReferenceModel(t *testing.T) {
	familytest.CheckSeq2Seq(t, loadTiny(t), tiny)
}

// TestAttributions recomputes grad×input, gradient and integrated gradients from
// EmbeddingGradients with Ecco's maths and compares them with Ecco's and the float64 reference.
func TestAttributions(t *testing.T) {
	familytest.CheckSeq2SeqAttributions(t, loadTiny(t), tiny)
}

// TestGradientsFiniteDifferences checks EmbeddingGradients of both stacks against central
// differences on the third prompt with the first three decoder inputs (the second target's
// gradient must vanish at the last: the decoder is causal).
func TestGradientsFiniteDifferences(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: 2·64 forward passes per token checked")
	}
	g := refdata.LoadEncDec(t, tiny, 3)
	familytest.CheckSeq2SeqGradients(t, loadTiny(t), g.Input.IDs, g.Decoder.IDs[:3], g.Decoder.IDs[3])
}

// TestCaptures checks the FFN neurons of both stacks in Ecco's final forward, and the rankings
// and layer predictions LMHead gives on the decoder's hidden states.
func TestCaptures(t *testing.T) {
	familytest.CheckSeq2SeqCaptures(t, loadTiny(t), tiny)
}
