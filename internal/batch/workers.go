package batch

import "sync"

// outcome is one explained record: its results line, or why it failed.
type outcome struct {
	line []byte
	err  error
}

// explainInOrder runs explain over todo with up to workers records in flight and calls emit
// with each outcome in todo's order, from the calling goroutine. At most workers records are
// dispatched and not yet emitted, so a kill loses at most that many: a record that finished
// early waits for the ones before it, and no new record starts until the oldest is emitted.
// When emit fails, no further record starts, the ones in flight are waited for and dropped,
// and the error is returned.
func explainInOrder(todo []Record, workers int, explain func(Record) outcome, emit func(Record, outcome) error) error {
	if workers < 1 {
		workers = 1
	}
	if workers == 1 { // no goroutines: the serial run is exactly the plain loop
		for _, r := range todo {
			if err := emit(r, explain(r)); err != nil {
				return err
			}
		}
		return nil
	}
	type slot struct {
		rec  Record
		done chan outcome // buffered: a worker never waits for the writer
	}
	work := make(chan slot)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for s := range work {
				s.done <- explain(s.rec)
			}
		})
	}
	defer func() {
		close(work)
		wg.Wait()
	}()
	window := make([]slot, 0, workers) // dispatched, not yet emitted, in todo's order
	next := 0
	for next < len(todo) || len(window) > 0 {
		for next < len(todo) && len(window) < workers {
			s := slot{rec: todo[next], done: make(chan outcome, 1)}
			work <- s
			window = append(window, s)
			next++
		}
		oldest := window[0]
		window = window[1:]
		if err := emit(oldest.rec, <-oldest.done); err != nil {
			return err // the deferred close waits for the records still in flight
		}
	}
	return nil
}
