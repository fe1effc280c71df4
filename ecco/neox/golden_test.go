package neox

import (
	"fmt"
	"path/filepath"
	"regexp"
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
			// The captured module is the one Ecco's regex hooks in every layer.
			g := familytest.Load(t, familytest.TestData, name, 1)
			if len(g.EccoConfig.Activations) != 1 {
				t.Fatalf("ecco_model_config activations %q: want one regex", g.EccoConfig.Activations)
			}
			re := regexp.MustCompile(g.EccoConfig.Activations[0])
			for i := range m.Info().Layers {
				if module := fmt.Sprintf("gpt_neox.layers.%d.%s", i, m.Info().Capture); !re.MatchString(module) {
					t.Errorf("capture module %q does not match Ecco's %q", module, re)
				}
			}
		})
	}
}
