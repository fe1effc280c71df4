package ecco

import "strings"

// Stage names the long work a ProgressEvent reports on.
type Stage string

// The stages Generate, Attribution and RunNMF report.
const (
	StageGenerate    Stage = "generate"    // units: generated tokens
	StageAttribution Stage = "attribution" // units: generated tokens explained by every requested method
	StageNMF         Stage = "nmf"         // units: NMF iterations (Total is MaxIter; it may stop earlier)
)

// ProgressEvent reports how far a stage of long work has come. A stage starts with Done 0 (NMF:
// with its first iteration) and ends with one event whose Final is set; Done may then be below
// Total (generation stopped at <|endoftext|>, NMF converged).
type ProgressEvent struct {
	Stage  Stage
	Done   int    // units finished
	Total  int    // units planned
	Detail string // StageGenerate: the token just chosen; StageAttribution: the methods, comma-separated
	Token  int    // StageGenerate: the id of the token just chosen
	Final  bool   // the last event of the stage
}

// ProgressFunc receives ProgressEvents. It runs on the goroutine doing the work, so it should
// return quickly; a nil ProgressFunc costs nothing.
type ProgressFunc func(ProgressEvent)

// report sends e when f is set.
func (f ProgressFunc) report(e ProgressEvent) {
	if f != nil {
		f(e)
	}
}

// then sends each event to f and then to g; either may be nil.
func (f ProgressFunc) then(g ProgressFunc) ProgressFunc {
	if f == nil || g == nil {
		if f == nil {
			return g
		}
		return f
	}
	return func(e ProgressEvent) { f(e); g(e) }
}

// attributionProgress reports StageAttribution for methods to hook: it sends Done 0 now and
// returns the function that reports each later count of explained tokens.
func (o *Output) attributionProgress(methods []Method, hook ProgressFunc) func(done int) {
	if hook == nil {
		return func(int) {}
	}
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = string(m)
	}
	detail, total := strings.Join(names, ", "), o.NGenerated()
	report := func(done int) {
		hook(ProgressEvent{Stage: StageAttribution, Done: done, Total: total, Detail: detail, Final: done == total})
	}
	report(0)
	return report
}
