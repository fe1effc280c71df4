package ecco

import (
	"math"
	"testing"

	"github.com/ecco-go/ecco/ecco/analysis"
)

func TestLayerSimilarity(t *testing.T) {
	out := generateTiny(t, "The countries of the European Union are:\n1. Austria\n2. Belgium\n3. Bulgaria\n4.", 10)
	sim, err := out.LayerSimilarity(analysis.CKA)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := sim.Dims(); r != out.Config.NLayer+1 || c != r {
		t.Fatalf("%d x %d similarity, want %d x %d", r, c, out.Config.NLayer+1, out.Config.NLayer+1)
	}
	a, _ := out.HiddenStates(0)
	b, _ := out.HiddenStates(2)
	direct, err := analysis.CKA(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sim.At(0, 2)-direct) > 1e-12 || math.Abs(sim.At(1, 1)-1) > 1e-9 {
		t.Errorf("CKA(emb, layer 1) = %g vs direct %g; diagonal %g", sim.At(0, 2), direct, sim.At(1, 1))
	}
	v, err := out.SimilarityView("CKA", analysis.CKA)
	if err != nil || v.Validate() != nil {
		t.Errorf("view: %v / %v", err, v.Validate())
	}
}
