//go:build amd64 && goexperiment.simd

package main

// builtWithSIMD: this test binary has compute's SIMD matrix kernels.
const builtWithSIMD = true
