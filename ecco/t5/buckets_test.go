package t5

import (
	"testing"

	"github.com/ecco-go/ecco/ecco/family/seq2seq"
	"github.com/ecco-go/ecco/internal/refdata"
)

// TestBucketsMatchTransformers compares seq2seq.Bucket with the bucket table of HuggingFace's
// _relative_position_bucket that model.json records for tiny-t5-a (32 buckets, distance 128,
// relative positions −127..127, both directions).
func TestBucketsMatchTransformers(t *testing.T) {
	var m struct {
		Buckets struct {
			Rel []int `json:"relative_positions"`
			Bi  []int `json:"bidirectional"`
			Uni []int `json:"unidirectional"`
		} `json:"relative_position_buckets"`
	}
	refdata.ReadJSON(t, refdata.Path(tiny, "model.json"), &m)
	b := m.Buckets
	if len(b.Rel) != 255 || len(b.Bi) != 255 || len(b.Uni) != 255 {
		t.Fatalf("model.json: %d relative positions, %d and %d buckets, want 255 each", len(b.Rel), len(b.Bi), len(b.Uni))
	}
	for i, rel := range b.Rel {
		if got := seq2seq.Bucket(rel, true, 32, 128); got != b.Bi[i] {
			t.Errorf("bidirectional bucket of %d: %d, want %d", rel, got, b.Bi[i])
		}
		if got := seq2seq.Bucket(rel, false, 32, 128); got != b.Uni[i] {
			t.Errorf("unidirectional bucket of %d: %d, want %d", rel, got, b.Uni[i])
		}
	}
}
