package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/ecco-go/ecco/ecco/atomicfile"
)

// cpuProfileEnv names the file that receives a CPU profile of the whole command (go tool pprof
// reads it), for finding where a slow run spends its time before changing anything.
const cpuProfileEnv = "ECCO_CPUPROFILE"

// memProfileEnv names the file that receives a heap profile when the command ends: what was live
// at the last collection (no collection is forced, so a command that ends right after its
// largest step shows that step's live memory) and everything allocated.
const memProfileEnv = "ECCO_MEMPROFILE"

// writeMemProfile writes the heap profile to path ("" writes nothing), atomically.
func writeMemProfile(path string) error {
	if path == "" {
		return nil
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return pprof.Lookup("heap").WriteTo(w, 0) }); err != nil {
		return fmt.Errorf("$%s: %w", memProfileEnv, err)
	}
	return nil
}

// startCPUProfile starts profiling into path ("" profiles nothing) and returns the function
// that stops and closes the file.
func startCPUProfile(path string) (stop func() error, err error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("$%s: %w", cpuProfileEnv, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("$%s=%s: %w", cpuProfileEnv, path, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("$%s: %w", cpuProfileEnv, err)
		}
		return nil
	}, nil
}
