package llama

import (
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
)

const testData = "../../tests/testdata"

func backend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReferenceModels(t *testing.T) {
	for _, name := range []string{"tiny-llama-a", "tiny-qwen2-a"} {
		t.Run(name, func(t *testing.T) {
			m, err := Load(backend(t), filepath.Join(testData, "models", name))
			if err != nil {
				t.Fatal(err)
			}
			familytest.CheckPrompts(t, m, testData, name)
		})
	}
}
