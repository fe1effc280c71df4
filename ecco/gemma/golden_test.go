package gemma

import (
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/familytest"
)

func TestReferenceModels(t *testing.T) {
	m, err := Load(familytest.Backend(t), filepath.Join(familytest.TestData, "models", "tiny-gemma3-a"))
	if err != nil {
		t.Fatal(err)
	}
	familytest.CheckPrompts(t, m, familytest.TestData, "tiny-gemma3-a")
}
