package ecco

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
)

// TestProgressEvents follows one generation with two attribution methods, a later integrated
// gradients call and NMF through the Progress hook: every stage starts at 0, counts up to its
// total and ends with exactly one Final event, and the generate events carry the chosen tokens.
func TestProgressEvents(t *testing.T) {
	var events []ProgressEvent
	record := func(e ProgressEvent) { events = append(events, e) }
	const n = 8 // more than igGroup: the integrated-gradients reports come from two calls
	out, err := tiny(t).Generate("Hello, my name", GenerateOptions{Tokens: n, Attribution: []Method{GradXInput, Gradient}, Progress: record})
	if err != nil {
		t.Fatal(err)
	}
	generated := only(events, StageGenerate)
	if got := doneCounts(generated); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("generate reported done %v, want 0..%d", got, n)
	}
	for i, e := range generated[1:] {
		if e.Token != out.GeneratedIDs()[i] || e.Detail != out.Tokens[out.NInput+i] || e.Total != n {
			t.Errorf("generate event %d: %+v, want token %d %q of %d", i+1, e, out.GeneratedIDs()[i], out.Tokens[out.NInput+i], n)
		}
	}
	checkFinalOnlyLast(t, generated)
	attributed := only(events, StageAttribution)
	group := targetsPerCall(tiny(t).Model)
	wantPlain := []int{0}
	for start := 0; start < n; start += group {
		wantPlain = append(wantPlain, min(start+group, n))
	}
	if got := doneCounts(attributed); !slices.Equal(got, wantPlain) || attributed[0].Detail != "grad_x_input, gradient" {
		t.Errorf("attribution events %+v: want done %v for \"grad_x_input, gradient\"", attributed, wantPlain)
	}
	checkFinalOnlyLast(t, attributed)

	// After Generate, the Output keeps reporting to Options.Progress.
	events = nil
	out.Options.IGSteps = 4
	if _, err := out.Attribution(IntegratedGradients); err != nil {
		t.Fatal(err)
	}
	var want []int // 0, then the end of every group of igGroup tokens in every group of gradientGroup
	for start := 0; start < n; start += group {
		for j := start; j < min(start+group, n); j += igGroup {
			if j == 0 {
				want = append(want, 0)
			}
			want = append(want, min(j+igGroup, start+group, n))
		}
	}
	if got := doneCounts(events); !slices.Equal(got, want) || events[0].Detail != "integrated_gradients" {
		t.Errorf("integrated gradients events %+v: want done %v (groups of %d)", events, want, igGroup)
	}
	checkFinalOnlyLast(t, events)

	events = nil
	f, err := out.RunNMF(2, nil)
	if err != nil {
		t.Fatal(err)
	}
	iters := f.Result.Iterations
	if len(events) != iters+1 || events[iters-1].Done != iters || events[0].Total != 500 {
		t.Fatalf("nmf: %d events for %d iterations (first %+v): want one per iteration of at most 500, then the final one", len(events), iters, events[0])
	}
	if last := events[iters]; last.Done != iters || last.Detail != nmfOutcome(f.Result) {
		t.Errorf("nmf final event %+v after %d iterations", last, iters)
	}
	checkFinalOnlyLast(t, events)
}

func only(events []ProgressEvent, s Stage) []ProgressEvent {
	var out []ProgressEvent
	for _, e := range events {
		if e.Stage == s {
			out = append(out, e)
		}
	}
	return out
}

func doneCounts(events []ProgressEvent) []int {
	var out []int
	for _, e := range events {
		out = append(out, e.Done)
	}
	return out
}

func checkFinalOnlyLast(t *testing.T, events []ProgressEvent) {
	t.Helper()
	var flags []string
	for _, e := range events {
		flags = append(flags, fmt.Sprint(e.Final))
	}
	if len(events) == 0 || !events[len(events)-1].Final || strings.Count(strings.Join(flags, ","), "true") != 1 {
		t.Errorf("Final flags %v: want only the last event final", flags)
	}
}

// TestLiveFeed: the notebook live view, fed by the same events, shows the generated tokens and
// the attribution count.
func TestLiveFeed(t *testing.T) {
	lm := tiny(t)
	ids, err := lm.Encode("Hello, my name")
	if err != nil {
		t.Fatal(err)
	}
	live := display.NewLive(lm.displayTokens(ids))
	var last string
	out, err := lm.Generate("Hello, my name", GenerateOptions{Tokens: 3, Attribution: []Method{GradXInput},
		Progress: lm.liveFeed(live).then(func(e ProgressEvent) {
			if e.Stage == StageAttribution && e.Final {
				last = live.HTML()
			}
		})})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range out.Tokens[out.NInput:] {
		if !strings.Contains(last, html.EscapeString(tok)) {
			t.Errorf("live view lacks generated token %q:\n%s", tok, last)
		}
	}
	if !strings.Contains(last, "attribution 3/3") {
		t.Errorf("live view lacks \"attribution 1/3\":\n%s", last)
	}
}
