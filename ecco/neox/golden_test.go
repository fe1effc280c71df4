package neox

import (
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/familytest"
)

func TestReferenceModels(t *testing.T) {
	for _, name := range []string{"tiny-neox-a"} {
		t.Run(name, func(t *testing.T) {
			m, err := Load(familytest.Backend(t), filepath.Join(familytest.TestData, "models", name))
			if err != nil {
				t.Fatal(err)
			}
			familytest.CheckPrompts(t, m, familytest.TestData, name)
		})
	}
}
