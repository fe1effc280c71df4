//go:build !(amd64 && goexperiment.simd)

package ecco

// simdBuild: without GOEXPERIMENT=simd (or off amd64) compute has only its portable kernels.
const simdBuild = false

func cpuAVX512() bool { return false }
func cpuAVX2() bool   { return false }
