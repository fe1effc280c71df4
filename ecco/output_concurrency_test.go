package ecco

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/display"
)

// TestConcurrentOutputViews: goroutines share one Output and call its views and lazy
// computations at once (attributions, logit lens, attention, NMF, Save); each result equals the
// one from a fresh Output computed sequentially, and each lazy result is computed once. Run it
// under -race (CI does).
func TestConcurrentOutputViews(t *testing.T) {
	lm := tiny(t) // loaded with activations
	const prompt = "Hello, my dog is cute"
	opts := GenerateOptions{Tokens: 3}
	fresh := func() *Output {
		out, err := lm.Generate(prompt, opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	dir := t.TempDir()
	calls := []func(o *Output) (string, error){
		func(o *Output) (string, error) { return rendered(o.SaliencyView(GradXInput, display.StyleMinimal)) },
		func(o *Output) (string, error) {
			return rendered(o.SaliencyView(IntegratedGradients, display.StyleDetailed))
		},
		func(o *Output) (string, error) { return rendered(o.RankingsView(LensEcco)) },
		func(o *Output) (string, error) { return rendered(o.LayerPredictionsView(o.NInput, 5, LensLnF)) },
		func(o *Output) (string, error) { return rendered(o.HeadView(1, 0)) },
		func(o *Output) (string, error) {
			f, err := o.RunNMF(3, nil)
			if err != nil {
				return "", err
			}
			return rendered(f.ExplorerView(5))
		},
		func(o *Output) (string, error) {
			views, err := o.Views(2) // a saliency view per attribution held so far: 4 to 6 views
			return fmt.Sprint(len(views) >= 4), err
		},
		func(o *Output) (string, error) {
			path := filepath.Join(dir, fmt.Sprintf("out-%p.json", o))
			return "", o.Save(path)
		},
	}
	want := make([]string, len(calls))
	seq := fresh()
	for i, call := range calls {
		got, err := call(seq)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		want[i] = stripIDs(got)
	}
	shared := fresh()
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(calls))
	for round := range 4 {
		for i, call := range calls {
			wg.Go(func() {
				got, err := call(shared)
				switch {
				case err != nil:
					errs <- fmt.Errorf("round %d call %d: %w", round, i, err)
				case stripIDs(got) != want[i]:
					errs <- fmt.Errorf("round %d call %d: differs from the sequential result", round, i)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(shared.Attributions); n != 2 {
		t.Errorf("%d attributions kept, want 2 (grad_x_input, integrated_gradients)", n)
	}
}

// rendered renders a view, passing its error on.
func rendered[V display.View](v V, err error) (string, error) {
	if err != nil {
		return "", err
	}
	return v.HTML(), nil
}

// viewID matches the random DOM ids of rendered views (package display), which differ per call.
var viewID = regexp.MustCompile(`eg[0-9a-f]{12}`)

func stripIDs(html string) string { return viewID.ReplaceAllString(html, "ID") }
