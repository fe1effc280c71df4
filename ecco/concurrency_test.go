package ecco

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestConcurrentGenerateAndAttribute: goroutines share one LM and run Generate with attributions
// and Attribute, 50 calls in all, under the backend's default (parallel) op executor: no
// deadlock, and every result equals the sequential one. Run it under -race (CI does).
func TestConcurrentGenerateAndAttribute(t *testing.T) {
	lm := tiny(t)
	prompts := []string{"Hello, my dog is cute", "The countries of the European Union are:\n1. Austria"}
	opts := GenerateOptions{Tokens: 4, Attribution: []Method{GradXInput}}
	type result struct {
		ids    []int
		scores [][]float64
	}
	run := func(i int) (result, error) {
		prompt := prompts[i%len(prompts)]
		if i%3 == 2 {
			out, err := lm.Attribute(prompt, " and the cat", GradXInput)
			if err != nil {
				return result{}, err
			}
			return result{out.TokenIDs, out.Attributions[string(GradXInput)]}, nil
		}
		out, err := lm.Generate(prompt, opts)
		if err != nil {
			return result{}, err
		}
		return result{out.TokenIDs, out.Attributions[string(GradXInput)]}, nil
	}
	const calls, workers = 50, 4
	want := make([]result, 6) // the sequential results of the 6 distinct calls (i mod 6)
	for i := range want {
		r, err := run(i)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
	}
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	next := make(chan int, calls)
	for i := range calls {
		next <- i
	}
	close(next)
	for range workers {
		wg.Go(func() {
			for i := range next {
				got, err := run(i)
				if err != nil {
					errs <- err
					continue
				}
				w := want[i%6]
				if !slices.Equal(got.ids, w.ids) {
					errs <- fmt.Errorf("call %d: ids %v, sequential %v", i, got.ids, w.ids)
					continue
				}
				for k := range w.scores {
					if !slices.Equal(got.scores[k], w.scores[k]) {
						errs <- fmt.Errorf("call %d token %d: scores %v, sequential %v", i, k, got.scores[k], w.scores[k])
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
