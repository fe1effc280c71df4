package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCPUProfileWritesAProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.pprof")
	stop, err := startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "env")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	checkProfileFile(t, path)
}

func TestCPUProfileBadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "cpu.pprof")
	if _, err := startCPUProfile(path); err == nil || !strings.Contains(err.Error(), cpuProfileEnv) || !strings.Contains(err.Error(), path) {
		t.Errorf("startCPUProfile(%s) = %v, want an error naming $%s and the path", path, err, cpuProfileEnv)
	}
	stop, err := startCPUProfile("")
	if err != nil || stop() != nil {
		t.Errorf("no path: %v, want profiling off without error", err)
	}
}

func TestMemProfileWritesAProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	mustRun(t, "env")
	if err := writeMemProfile(path); err != nil {
		t.Fatal(err)
	}
	checkProfileFile(t, path)
	bad := filepath.Join(t.TempDir(), "missing", "heap.pprof")
	if err := writeMemProfile(bad); err == nil || !strings.Contains(err.Error(), memProfileEnv) {
		t.Errorf("writeMemProfile(%s) = %v, want an error naming $%s", bad, err, memProfileEnv)
	}
}

// checkProfileFile fails unless path holds a profile as pprof writes it (gzip-compressed).
func checkProfileFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("%s: %d bytes, want a gzip-compressed pprof profile", path, len(b))
	}
}
