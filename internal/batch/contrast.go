package batch

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco"
)

// addContrast gives the record's Output the "contrastive" field `ecco generate -contrast`
// writes, when the record names a "foil": each generated (or target) token against the foil's
// token at the same step, with the gradient methods of -attribution.
func addContrast(out *ecco.Output, methods []ecco.Method, r Record) error {
	if r.Foil == nil {
		return nil
	}
	if _, err := out.ContrastFoil(*r.Foil, methods); err != nil {
		return fmt.Errorf("\"foil\": %w", err)
	}
	return nil
}
