package ecco

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/gomlx/compute"

	"github.com/ecco-go/ecco/ecco/hub"
)

// Env describes the build and machine a program runs on: what a user pastes into a bug report
// (`ecco env -json`) and what benchmarks record beside their figures.
type Env struct {
	GoVersion    string `json:"go_version"`
	GOEXPERIMENT string `json:"goexperiment"` // as the binary was built
	GOOS         string `json:"goos"`
	GOARCH       string `json:"goarch"`
	GoMLX        string `json:"gomlx_version"`
	Compute      string `json:"compute_version"`
	Backend      string `json:"backend"`        // the backend configuration NewBackend starts ($GOMLX_BACKEND and ecco's options)
	SIMD         string `json:"simd"`           // matrix-product path of the Go backend: "avx512", "avx2" or "none"
	CPUs         int    `json:"cpus"`           // GOMAXPROCS: the cores the backend's workers use
	HFCache      string `json:"hf_cache"`       // the HuggingFace cache folder FromPretrained reads
	FastPathHint string `json:"fast_path_hint"` // empty on the fast path; else how to turn it on
}

// FastPathCommand is the one line that turns the SIMD matrix products on for every build.
const FastPathCommand = "go env -w GOEXPERIMENT=simd"

// ReadEnv reports the running program's build and machine.
func ReadEnv() Env {
	e := Env{
		GoVersion: runtime.Version(),
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		Backend:   withSequentialOps(backendConfig()), // what NewBackend starts
		SIMD:      simdPath(),
		CPUs:      runtime.GOMAXPROCS(0),
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "GOEXPERIMENT" {
				e.GOEXPERIMENT = s.Value
			}
		}
		for _, d := range info.Deps {
			switch d.Path {
			case "github.com/gomlx/gomlx":
				e.GoMLX = d.Version
			case "github.com/gomlx/compute":
				e.Compute = d.Version
			}
		}
	}
	if dir, err := hub.DefaultCacheDir(); err == nil {
		e.HFCache = dir
	}
	if !FastPath() {
		e.FastPathHint = fastPathHint()
	}
	return e
}

// FastPath reports whether the Go backend's matrix products run on SIMD kernels.
func FastPath() bool { return simdPath() != "none" }

// fastPathHint says why the fast path is off and what turns it on.
func fastPathHint() string {
	if !simdBuild {
		return "built without GOEXPERIMENT=simd: matrix products use the portable kernels (about 10x slower); " +
			"run `" + FastPathCommand + "` and rebuild"
	}
	if runtime.GOARCH != "amd64" {
		return "the SIMD kernels exist for amd64 only"
	}
	return "this CPU has neither AVX-512 nor AVX2, or GOMLX_SIMD_AVX512/GOMLX_SIMD_AVX2/GOMLX_DOT_MATMUL turn them off"
}

// simdPath mirrors how gomlx/compute's Go backend picks its float32 matrix product (it registers
// the AVX-512 kernel, else AVX2, when built with GOEXPERIMENT=simd, the CPU has the instructions
// and the GOMLX_DOT_MATMUL / GOMLX_SIMD_* variables do not turn them off); compute does not
// export which one it registered.
func simdPath() string {
	if !simdBuild || !envBool("GOMLX_DOT_MATMUL", true) {
		return "none"
	}
	switch {
	case cpuAVX512() && envBool("GOMLX_SIMD_AVX512", true):
		return "avx512"
	case cpuAVX2() && envBool("GOMLX_SIMD_AVX2", true):
		return "avx2"
	}
	return "none"
}

// envBool reads a boolean the way compute's envutil does; an unknown value reads as def.
func envBool(name string, def bool) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "0", "false", "f", "no", "off", "disabled":
		return false
	case "1", "true", "t", "yes", "on", "enabled":
		return true
	}
	return def
}

// backendConfig is the configuration NewBackend starts: $GOMLX_BACKEND or the Go backend.
func backendConfig() string {
	config := os.Getenv(compute.ConfigEnvVar)
	if config == "" {
		config = "go"
	}
	return config
}
