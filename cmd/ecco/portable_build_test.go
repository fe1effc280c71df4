//go:build !(amd64 && goexperiment.simd)

package main

// builtWithSIMD: this test binary has only compute's portable kernels.
const builtWithSIMD = false
