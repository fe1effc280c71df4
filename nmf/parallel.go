package nmf

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEachChunk calls fn(c) for every chunk, spread over GOMAXPROCS workers.
func forEachChunk(count int, fn func(c int)) {
	workers := min(runtime.GOMAXPROCS(0), count)
	if workers <= 1 {
		for c := range count {
			fn(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= count {
					return
				}
				fn(c)
			}
		}()
	}
	wg.Wait()
}
