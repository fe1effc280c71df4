package ecco

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// DefaultFractions are the shares k of a step's tokens that faithfulness removes or keeps:
// 10, 20 and 50 %. AOPC is the mean over these three (ERASER's bins are 1, 5, 10, 20 and 50 %;
// 1 and 5 % round up to one token on prompts under 20 tokens, the same as 10 %).
var DefaultFractions = []float64{0.1, 0.2, 0.5}

// FaithfulnessOptions tunes ScoreFaithfulness; nil means the defaults.
type FaithfulnessOptions struct {
	// Fractions are the shares k in (0, 1] of each step's tokens to remove or keep, increasing;
	// nil: DefaultFractions.
	Fractions []float64
	// Baseline is the token id whose embedding replaces a removed token; nil: the zero embedding.
	// Every method is measured with the same removal.
	Baseline *int
}

// Faithfulness says how well each attribution method's ranking of the tokens explains the
// model (DeYoung et al. 2020, "ERASER", comprehensiveness and sufficiency). At step i (generated
// token i, its NInput+i tokens before it), the top-k tokens are the ⌈k·(NInput+i)⌉ best-scored
// ones (at least one; ties go to the earlier token); removing a token replaces its embedding by
// the baseline.
type Faithfulness struct {
	Baseline  string    `json:"baseline"`  // "zero" or "token:<id>"
	Fractions []float64 `json:"fractions"` // the k's, e.g. [0.1, 0.2, 0.5]
	// Methods by method name.
	Methods map[string]*MethodFaithfulness `json:"methods"`
}

// MethodFaithfulness is one method's faithfulness. With p the probability of the generated
// token: Comprehensiveness[i][k] = p − p(top-k removed) (high: the tokens it ranks first matter),
// Sufficiency[i][k] = p − p(only the top-k kept) (low: they suffice). The AOPCs are their means
// over the fractions per step, and the Mean… fields the means of those over the steps.
type MethodFaithfulness struct {
	Comprehensiveness         [][]float64 `json:"comprehensiveness"` // [step][k]
	Sufficiency               [][]float64 `json:"sufficiency"`       // [step][k]
	AOPCComprehensiveness     []float64   `json:"aopc_comprehensiveness"`
	AOPCSufficiency           []float64   `json:"aopc_sufficiency"`
	MeanAOPCComprehensiveness float64     `json:"mean_aopc_comprehensiveness"`
	MeanAOPCSufficiency       float64     `json:"mean_aopc_sufficiency"`
}

// TopCount is how many of n tokens the fraction k selects: ⌈k·n⌉ (k·n within 1e-9 of an integer
// counts as that integer, so 0.1·30 is 3), at least 1 and at most n.
func TopCount(k float64, n int) int {
	c := int(math.Ceil(k*float64(n) - 1e-9))
	return min(max(c, 1), n)
}

// ranking orders positions by score, highest first; ties keep the earlier position first.
func ranking(scores []float64) []int {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	return order
}

// check validates the options and returns the fractions, the baseline's name and its id (nil:
// zero).
func (opts *FaithfulnessOptions) check(vocab int) ([]float64, string, error) {
	if opts == nil {
		opts = &FaithfulnessOptions{}
	}
	fractions := opts.Fractions
	if fractions == nil {
		fractions = DefaultFractions
	}
	if len(fractions) == 0 {
		return nil, "", fmt.Errorf("ecco: FaithfulnessOptions.Fractions is empty: want shares in (0, 1], e.g. %v", DefaultFractions)
	}
	for i, k := range fractions {
		if !(k > 0 && k <= 1) || (i > 0 && k <= fractions[i-1]) {
			return nil, "", fmt.Errorf("ecco: FaithfulnessOptions.Fractions %v: want increasing shares in (0, 1]", fractions)
		}
	}
	name := "zero"
	if opts.Baseline != nil {
		if id := *opts.Baseline; id < 0 || id >= vocab {
			return nil, "", fmt.Errorf("ecco: FaithfulnessOptions.Baseline %d: want a token id in [0, %d)", id, vocab)
		}
		name = "token:" + strconv.Itoa(*opts.Baseline)
	}
	return slices.Clone(fractions), name, nil
}

// baselineID parses a Faithfulness.Baseline name back to the options' form.
func baselineID(name string) (*int, error) {
	if name == "zero" {
		return nil, nil
	}
	id, err := strconv.Atoi(strings.TrimPrefix(name, "token:"))
	if !strings.HasPrefix(name, "token:") || err != nil {
		return nil, fmt.Errorf("faithfulness baseline %q: want \"zero\" or \"token:<id>\"", name)
	}
	return &id, nil
}

// summarize fills in the AOPCs and their means from the per-fraction drops.
func (m *MethodFaithfulness) summarize() {
	m.AOPCComprehensiveness, m.AOPCSufficiency = rowMeans(m.Comprehensiveness), rowMeans(m.Sufficiency)
	m.MeanAOPCComprehensiveness, m.MeanAOPCSufficiency = mean(m.AOPCComprehensiveness), mean(m.AOPCSufficiency)
}

func rowMeans(rows [][]float64) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		out[i] = mean(r)
	}
	return out
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	if len(xs) == 0 {
		return 0
	}
	return s / float64(len(xs))
}

// validate checks a loaded Faithfulness against the Output's steps.
func (f *Faithfulness) validate(steps int) error {
	if f == nil {
		return nil
	}
	if _, err := baselineID(f.Baseline); err != nil {
		return err
	}
	if _, _, err := (&FaithfulnessOptions{Fractions: f.Fractions}).check(math.MaxInt); err != nil {
		return fmt.Errorf("faithfulness: %w", err)
	}
	for name, m := range f.Methods {
		if m == nil || len(m.Comprehensiveness) != steps || len(m.Sufficiency) != steps ||
			len(m.AOPCComprehensiveness) != steps || len(m.AOPCSufficiency) != steps {
			return fmt.Errorf("faithfulness of %q does not cover the %d generated tokens", name, steps)
		}
		for i := range steps {
			if len(m.Comprehensiveness[i]) != len(f.Fractions) || len(m.Sufficiency[i]) != len(f.Fractions) {
				return fmt.Errorf("faithfulness of %q step %d: want one value per fraction (%d)", name, i, len(f.Fractions))
			}
		}
	}
	return nil
}
