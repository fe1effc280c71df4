// Package timing times the steps of `ecco bench`: each step several times, every run reported
// as it ends, the first run (which also compiles graphs) kept beside the median.
package timing

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"
)

// Step is one timed operation.
type Step struct {
	Name    string    `json:"name"`
	Median  float64   `json:"median_seconds"`
	First   float64   `json:"first_seconds"` // includes compiling the step's graphs
	Seconds []float64 `json:"seconds"`       // every run, in order
}

// Runner runs steps, keeping the first error; later steps are skipped once one failed.
type Runner struct {
	Repeat   int
	Progress io.Writer // each run's time as it ends: a full bench takes many minutes
	Err      error
}

// Time runs setup (untimed, when not nil) and then f, Repeat times.
func (r *Runner) Time(name string, setup, f func() error) Step {
	step := Step{Name: name}
	for range r.Repeat {
		if r.Err != nil {
			return step
		}
		if setup != nil {
			if err := setup(); err != nil {
				r.Err = fmt.Errorf("%s: preparing: %w", name, err)
				return step
			}
		}
		// Untimed: the previous run's garbage (a whole model, for the load step) is collected
		// first, as Python frees it on the spot; left to the collector, it made the next load
		// page-fault fresh memory and vary from run to run (BENCHMARKS.md).
		runtime.GC()
		start := time.Now()
		if err := f(); err != nil {
			r.Err = fmt.Errorf("%s: %w", name, err)
			return step
		}
		step.Seconds = append(step.Seconds, time.Since(start).Seconds())
		fmt.Fprintf(r.Progress, "bench: %s, run %d of %d: %s\n", name, len(step.Seconds), r.Repeat, Format(step.Seconds[len(step.Seconds)-1]))
	}
	step.First = step.Seconds[0]
	step.Median = Median(step.Seconds)
	return step
}

// Median of xs (the mean of the middle two for an even count).
func Median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 0 {
		return (s[m-1] + s[m]) / 2
	}
	return s[m]
}

// Format writes seconds with three decimals below one second, two above.
func Format(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.3f s", s)
	}
	return fmt.Sprintf("%.2f s", s)
}
