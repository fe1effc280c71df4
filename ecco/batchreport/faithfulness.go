package batchreport

import (
	"slices"
	"strings"
)

// Faithfulness averages the records' faithfulness scores by method.
type Faithfulness struct {
	Baselines []string             `json:"baselines"` // the distinct "baseline" values seen
	Methods   []MethodFaithfulness `json:"methods"`
}

// MethodFaithfulness is one method's averages over the records that scored it.
type MethodFaithfulness struct {
	Method                    string  `json:"method"`
	Records                   int     `json:"records"`
	MeanAOPCComprehensiveness float64 `json:"mean_aopc_comprehensiveness"`
	MeanAOPCSufficiency       float64 `json:"mean_aopc_sufficiency"`
}

type faithSums struct {
	baselines map[string]bool
	by        map[string]*MethodFaithfulness
}

func newFaithSums() *faithSums {
	return &faithSums{baselines: map[string]bool{}, by: map[string]*MethodFaithfulness{}}
}

func (f *faithSums) add(fj *faithfulnessJSON) {
	if fj == nil {
		return
	}
	f.baselines[fj.Baseline] = true
	for m, mf := range fj.Methods {
		if mf.MeanAOPCComprehensiveness == nil || mf.MeanAOPCSufficiency == nil {
			continue
		}
		s := f.by[m]
		if s == nil {
			s = &MethodFaithfulness{Method: m}
			f.by[m] = s
		}
		s.Records++
		s.MeanAOPCComprehensiveness += *mf.MeanAOPCComprehensiveness
		s.MeanAOPCSufficiency += *mf.MeanAOPCSufficiency
	}
}

// result is nil when no record carried a score.
func (f *faithSums) result() *Faithfulness {
	if len(f.by) == 0 {
		return nil
	}
	out := &Faithfulness{}
	for b := range f.baselines {
		out.Baselines = append(out.Baselines, b)
	}
	slices.Sort(out.Baselines)
	for _, s := range f.by {
		s.MeanAOPCComprehensiveness /= float64(s.Records)
		s.MeanAOPCSufficiency /= float64(s.Records)
		out.Methods = append(out.Methods, *s)
	}
	slices.SortFunc(out.Methods, func(a, b MethodFaithfulness) int { return strings.Compare(a.Method, b.Method) })
	return out
}
