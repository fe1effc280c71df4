package decoder

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// MaxGraphsPerExec bounds the compiled graphs kept per kind: every sequence length compiles anew.
const MaxGraphsPerExec = 512

// Execs caches one graph.Exec per kind of computation, built on first use; it is safe for
// concurrent use. Every family's model keeps one (decoder, bert).
type Execs[K comparable] struct {
	mu sync.Mutex
	m  map[K]*graph.Exec
}

// Get returns kind's Exec, building it with build on first use; what names the computation in
// errors ("step": "building the step graph: ...").
func (c *Execs[K]) Get(backend compute.Backend, kind K, what string, build func([]*graph.Node) []*graph.Node) (*graph.Exec, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[kind]; ok {
		return e, nil
	}
	e, err := graph.NewExec(backend, build)
	if err != nil {
		return nil, fmt.Errorf("building the %s graph: %w", what, err)
	}
	e.SetMaxCache(MaxGraphsPerExec)
	if c.m == nil {
		c.m = map[K]*graph.Exec{}
	}
	c.m[kind] = e
	return e, nil
}

// Has reports whether kind was built.
func (c *Execs[K]) Has(kind K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[kind]
	return ok
}

// Count reports how many built kinds satisfy match.
func (c *Execs[K]) Count(match func(K) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for kind := range c.m {
		if match(kind) {
			n++
		}
	}
	return n
}

// Run executes e on the weights followed by inputs.
func Run(e *graph.Exec, weights []*tensors.Tensor, inputs ...any) ([]*tensors.Tensor, error) {
	args := make([]any, 0, len(weights)+len(inputs))
	for _, w := range weights {
		args = append(args, w)
	}
	out, err := e.Exec(append(args, inputs...)...)
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", e.Name(), err)
	}
	return out, nil
}

// ForEach runs do(0), …, do(n-1) on GOMAXPROCS goroutines and returns the first error.
//
// Why: loading decodes each weight into fresh memory, and the decode with its first-touch page
// faults is per tensor, so the cores share it (with the two changes beside it, in NewWeight and
// safetensors' decodeFloat32, `ecco bench`'s load of DistilGPT2 went from 0.39 s to 0.27–0.29 s).
func ForEach(n int, do func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = do(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
