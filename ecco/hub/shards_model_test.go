package hub_test

import (
	"math"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/hub"
)

// A model downloaded as three shards computes the logits of the same model
// loaded from its folder.
func TestShardedDownloadLoadsSameModel(t *testing.T) {
	const prompt = "Hello, my dog is cute"
	endpoint := hub.StartShardedTinyHub(t, "org/tiny-sharded")
	settings := &hub.Settings{CacheDir: t.TempDir(), Endpoint: endpoint, Progress: func(string, int64, int64) {}}
	downloaded, err := ecco.FromPretrained("org/tiny-sharded", ecco.WithHub(settings))
	if err != nil {
		t.Fatal(err)
	}
	folder, err := ecco.FromPretrained("../../tests/testdata/models/tiny-a")
	if err != nil {
		t.Fatal(err)
	}
	got, err := downloaded.Forward(prompt, false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := folder.Forward(prompt, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Logits) != len(want.Logits) || len(got.Logits) == 0 {
		t.Fatalf("%d positions of logits, want %d", len(got.Logits), len(want.Logits))
	}
	var worst float64
	for i := range want.Logits {
		if len(got.Logits[i]) != len(want.Logits[i]) {
			t.Fatalf("position %d: %d logits, want %d", i, len(got.Logits[i]), len(want.Logits[i]))
		}
		for j, w := range want.Logits[i] {
			worst = max(worst, math.Abs(float64(got.Logits[i][j]-w)))
		}
	}
	// Same weights, same computation: only a change in summation order could move them.
	if worst > 1e-5 {
		t.Errorf("logits differ from the folder's by up to %g, want at most 1e-5", worst)
	}
}
