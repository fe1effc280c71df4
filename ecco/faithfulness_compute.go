package ecco

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// ScoreFaithfulness measures the faithfulness of each method on every generated token,
// computing the methods' attributions first when the Output lacks them, and keeps the numbers
// in the Output (field Faithfulness, saved by Save) beside those of other methods measured with
// the same fractions and baseline. Every removal runs in batched forward passes (a group of
// generated tokens shares one batch; identical removals run once). A loaded Output without a
// model returns the numbers it holds.
func (o *Output) ScoreFaithfulness(methods []Method, opts *FaithfulnessOptions) (*Faithfulness, error) {
	return o.faithfulness(methods, opts, 0, o.NGenerated(), true)
}

// StepFaithfulness measures the faithfulness of each method on generated token step alone: the
// result holds one row per method. It is not kept in the Output.
func (o *Output) StepFaithfulness(step int, methods []Method, opts *FaithfulnessOptions) (*Faithfulness, error) {
	if step < 0 || step >= o.NGenerated() {
		return nil, fmt.Errorf("ecco: faithfulness step %d: want one of the %d generated tokens (0..%d)", step, o.NGenerated(), o.NGenerated()-1)
	}
	return o.faithfulness(methods, opts, step, step+1, false)
}

func (o *Output) faithfulness(methods []Method, opts *FaithfulnessOptions, from, to int, keep bool) (*Faithfulness, error) {
	parsed, err := parseMethods(methods)
	if err != nil {
		return nil, err
	}
	if len(parsed) == 0 {
		return nil, fmt.Errorf("ecco: faithfulness: no method given: name at least one, e.g. %s", GradXInput)
	}
	fractions, baseName, err := opts.check(o.Config.VocabSize)
	if err != nil {
		return nil, err
	}
	o.lazy.Lock()
	defer o.lazy.Unlock()
	result := &Faithfulness{Baseline: baseName, Fractions: fractions, Methods: map[string]*MethodFaithfulness{}}
	held := o.heldFaithfulness(baseName, fractions)
	var missing []Method
	for _, m := range parsed {
		if f, ok := held[string(m)]; ok {
			result.Methods[string(m)] = stepSlice(f, from, to)
		} else {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return result, nil
	}
	if err := o.computeAttributions(missing, o.Options.Progress); err != nil {
		return nil, err
	}
	measured, err := o.measureFaithfulness(missing, fractions, opts, from, to)
	if err != nil {
		return nil, err
	}
	maps.Copy(result.Methods, measured)
	if keep {
		o.keepFaithfulness(result)
	}
	return result, nil
}

// heldFaithfulness is the Output's kept faithfulness when it was measured the same way.
func (o *Output) heldFaithfulness(baseline string, fractions []float64) map[string]*MethodFaithfulness {
	o.mu.Lock()
	defer o.mu.Unlock()
	f := o.Faithfulness
	if f == nil || f.Baseline != baseline || !slices.Equal(f.Fractions, fractions) {
		return nil
	}
	return maps.Clone(f.Methods)
}

// keepFaithfulness stores r's methods in the Output, replacing numbers measured another way.
func (o *Output) keepFaithfulness(r *Faithfulness) {
	o.mu.Lock()
	f := o.Faithfulness
	if f == nil || f.Baseline != r.Baseline || !slices.Equal(f.Fractions, r.Fractions) {
		f = &Faithfulness{Baseline: r.Baseline, Fractions: r.Fractions, Methods: map[string]*MethodFaithfulness{}}
		o.Faithfulness = f
	}
	maps.Copy(f.Methods, r.Methods)
	o.mu.Unlock()
	o.persist()
}

// stepSlice is f restricted to steps from..to−1.
func stepSlice(f *MethodFaithfulness, from, to int) *MethodFaithfulness {
	if from == 0 && to == len(f.Comprehensiveness) {
		return f
	}
	s := &MethodFaithfulness{Comprehensiveness: f.Comprehensiveness[from:to], Sufficiency: f.Sufficiency[from:to]}
	s.summarize()
	return s
}

// measureFaithfulness removes, for steps from..to−1, each method's top-k tokens (and, for
// sufficiency, every other token of the step's prefix) and reads the drops in p(token).
func (o *Output) measureFaithfulness(methods []Method, fractions []float64, opts *FaithfulnessOptions, from, to int) (map[string]*MethodFaithfulness, error) {
	_, model, err := o.attachedCausal(fmt.Sprintf("faithfulness of %v (not in this Output)", methods))
	if err != nil {
		return nil, err
	}
	var occ *OcclusionOptions
	if opts != nil {
		occ = &OcclusionOptions{Baseline: opts.Baseline}
	}
	baseline, err := occlusionBaseline(model, occ)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	scores := map[Method][][]float64{}
	for _, m := range methods {
		scores[m] = o.Attributions[string(m)]
	}
	o.mu.Unlock()
	out := map[string]*MethodFaithfulness{}
	for _, m := range methods {
		out[string(m)] = &MethodFaithfulness{}
	}
	group := targetsPerCall(model)
	for start := from; start < to; start += group {
		end := min(start+group, to)
		// Row 0 is the unchanged sequence; rows[key] the others, each removal once.
		rows, index := [][]int{nil}, map[string]int{"": 0}
		add := func(positions []int) int {
			key := positionsKey(positions)
			if r, ok := index[key]; ok {
				return r
			}
			index[key] = len(rows)
			rows = append(rows, positions)
			return len(rows) - 1
		}
		type pick struct{ comp, suff []int } // [k] row indices
		picks := map[Method][]pick{}
		for i := start; i < end; i++ {
			n := o.NInput + i
			for _, m := range methods {
				order := ranking(scores[m][i])
				var p pick
				for _, k := range fractions {
					c := TopCount(k, n)
					p.comp = append(p.comp, add(slices.Sorted(slices.Values(order[:c]))))
					p.suff = append(p.suff, add(slices.Sorted(slices.Values(order[c:]))))
				}
				picks[m] = append(picks[m], p)
			}
		}
		probs, err := removedProbs(model, o.TokenIDs[:o.NInput+end], o.NInput+start, baseline, rows)
		if err != nil {
			return nil, err
		}
		for _, m := range methods {
			f := out[string(m)]
			for j, p := range picks[m] {
				full := probs[j][0]
				comp, suff := make([]float64, len(fractions)), make([]float64, len(fractions))
				for k := range fractions {
					comp[k], suff[k] = full-probs[j][p.comp[k]], full-probs[j][p.suff[k]]
				}
				f.Comprehensiveness = append(f.Comprehensiveness, comp)
				f.Sufficiency = append(f.Sufficiency, suff)
			}
		}
	}
	for _, f := range out {
		f.summarize()
	}
	return out, nil
}

// positionsKey names a sorted set of positions.
func positionsKey(positions []int) string {
	var b strings.Builder
	for _, p := range positions {
		b.WriteString(strconv.Itoa(p))
		b.WriteByte(',')
	}
	return b.String()
}
