//go:build amd64 && goexperiment.simd

package ecco

import "simd/archsimd"

// simdBuild: compute's SIMD matrix kernels are compiled in (they need GOEXPERIMENT=simd).
const simdBuild = true

func cpuAVX512() bool { return archsimd.X86.AVX512() }
func cpuAVX2() bool   { return archsimd.X86.AVX2() }
