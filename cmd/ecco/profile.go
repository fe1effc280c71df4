package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the file that receives a CPU profile of the whole command (go tool pprof
// reads it), for finding where a slow run spends its time before changing anything.
const cpuProfileEnv = "ECCO_CPUPROFILE"

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
