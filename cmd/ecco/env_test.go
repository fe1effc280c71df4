package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// simdVariables would turn the SIMD kernels off; tests run without them.
var simdVariables = []string{"GOMLX_DOT_MATMUL", "GOMLX_SIMD_AVX512", "GOMLX_SIMD_AVX2"}

// TestEnvJSON runs `ecco env -json` in-process: the matrix-product path follows how this test
// binary was built (run the test with and without GOEXPERIMENT=simd).
func TestEnvJSON(t *testing.T) {
	for _, v := range simdVariables {
		t.Setenv(v, "")
	}
	stdout := mustRun(t, "env", "-json")
	var got ecco.Env
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("env -json: %v\n%s", err, stdout)
	}
	if got.GoVersion != runtime.Version() || got.CPUs != runtime.GOMAXPROCS(0) || got.GOARCH != runtime.GOARCH || got.HFCache == "" {
		t.Errorf("env -json %+v: want Go %s, %d CPUs, arch %s and a cache folder", got, runtime.Version(), runtime.GOMAXPROCS(0), runtime.GOARCH)
	}
	if !strings.HasPrefix(got.GoMLX, "v0.") || !strings.HasPrefix(got.Compute, "v0.") || !strings.HasPrefix(got.Backend, "go") {
		t.Errorf("env -json: GoMLX %q, compute %q, backend %q: want module versions and the go backend", got.GoMLX, got.Compute, got.Backend)
	}
	checkSIMD(t, got, builtWithSIMD)

	text := mustRun(t, "env")
	for _, want := range []string{"go_version", runtime.Version(), "simd", got.SIMD, "hf_cache", got.HFCache} {
		if !strings.Contains(text, want) {
			t.Errorf("env lacks %q:\n%s", want, text)
		}
	}
}

// TestEnvReportsBuild builds the CLI both ways, as a user would, and reads `ecco env -json`:
// with GOEXPERIMENT=simd on this AVX-512 machine it must say "avx512"; without, "none" and the
// command that turns the fast path on.
func TestEnvReportsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI twice")
	}
	if !cpuHasAVX512(t) {
		t.Skip("this CPU lacks AVX-512 (no avx512f/bw/cd/dq/vl in /proc/cpuinfo): the fast path would be avx2 or none")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build with: %v", err)
	}
	for _, c := range []struct {
		experiment string
		simd       bool
	}{{"simd", true}, {"nosimd", false}} {
		bin := filepath.Join(t.TempDir(), "ecco")
		env := append(cleanEnv(), "GOEXPERIMENT="+c.experiment)
		build := exec.Command(goTool, "build", "-o", bin, ".")
		build.Env = env
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("GOEXPERIMENT=%s go build: %v\n%s", c.experiment, err, out)
		}
		cmd := exec.Command(bin, "env", "-json")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOEXPERIMENT=%s: ecco env -json: %v", c.experiment, err)
		}
		var got ecco.Env
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("GOEXPERIMENT=%s: ecco env -json: %v\n%s", c.experiment, err, out)
		}
		t.Logf("GOEXPERIMENT=%s: simd %q, goexperiment %q", c.experiment, got.SIMD, got.GOEXPERIMENT)
		checkSIMD(t, got, c.simd)
	}
}

// checkSIMD: an AVX-512 SIMD build reports "avx512" and no hint; a portable one "none" and the
// line that turns the fast path on.
func checkSIMD(t *testing.T, got ecco.Env, simdBuild bool) {
	t.Helper()
	switch {
	case !simdBuild:
		if got.SIMD != "none" || !strings.Contains(got.FastPathHint, ecco.FastPathCommand) {
			t.Errorf("portable build: simd %q, hint %q: want \"none\" and a hint with %q", got.SIMD, got.FastPathHint, ecco.FastPathCommand)
		}
	case cpuHasAVX512(t):
		if got.SIMD != "avx512" || got.FastPathHint != "" || !strings.Contains(got.GOEXPERIMENT, "simd") {
			t.Errorf("SIMD build on an AVX-512 CPU: simd %q, hint %q, GOEXPERIMENT %q: want \"avx512\", no hint", got.SIMD, got.FastPathHint, got.GOEXPERIMENT)
		}
	default:
		t.Logf("SIMD build on a CPU without AVX-512: simd %q", got.SIMD)
	}
}

// cpuHasAVX512 reads the instruction sets compute's AVX-512 kernels need from /proc/cpuinfo.
func cpuHasAVX512(t *testing.T) bool {
	t.Helper()
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	for line := range strings.Lines(string(data)) {
		if name, flags, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			have := strings.Fields(flags)
			for _, f := range []string{"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"} {
				if !slices.Contains(have, f) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// cleanEnv is the environment without GOEXPERIMENT and the variables that turn SIMD off.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return name == "GOEXPERIMENT" || slices.Contains(simdVariables, name)
	})
}

// TestFastPathNote: commands that run a model say once on a portable build how to turn the fast
// path on; tokenize, env and help do not.
func TestFastPathNote(t *testing.T) {
	note := fastPathNote()
	switch {
	case !builtWithSIMD && note == "":
		t.Fatal("fastPathNote() is empty on a portable build: want a note")
	case builtWithSIMD && cpuHasAVX512(t) && note != "":
		t.Fatalf("fastPathNote() = %q on the fast path: want none", note)
	}
	var got strings.Builder
	for _, args := range [][]string{
		{"forward", "-model", tinyDir, "-prompt", "Hello", "-top", "1"},
		{"tokenize", "-model", tinyDir, "-prompt", "Hello"},
		{"env"}, {"help"}, {"generate", "-h"},
	} {
		got.Reset()
		if status := run(args, &strings.Builder{}, &got); status != 0 {
			t.Fatalf("ecco %v: status %d, stderr %q", args, status, got.String())
		}
		want := ""
		if args[0] == "forward" {
			want = note
		}
		if got.String() != want {
			t.Errorf("ecco %v: stderr %q, want %q", args, got.String(), want)
		}
	}
	if note != "" && !strings.Contains(note, "`"+ecco.FastPathCommand+"`") {
		t.Errorf("note %q lacks the command %q", note, ecco.FastPathCommand)
	}
}
