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

// TestReferenceModel checks tiny-bart-a's encoder output, first-step logits and greedy ids (with
// and without the KV cache) against the original Ecco's.
func TestReferenceModel(t *testing.T) {
	familytest.CheckSeq2Seq(t, loadTiny(t), tiny)
}
