package ecco

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
)

// floatCube is a [][][]float32 written as JSON the way encoding/json writes it, but with a loop
// per row instead of reflection per value, the outer index split over the cores. Why: a saved
// Output of Llama-3.2-1B with activations is 70 MB of numbers, which encoding/json took 1.4 s of
// one core to write (BENCHMARKS.md, "Writing the numbers").
type floatCube [][][]float32

// MarshalJSON writes the values as encoding/json would; NaN and ±Inf are an error, as there.
func (c floatCube) MarshalJSON() ([]byte, error) { return c.appendJSON(nil) }

// appendJSON appends the values as MarshalJSON writes them.
func (c floatCube) appendJSON(b []byte) ([]byte, error) {
	if c == nil {
		return append(b, "null"...), nil
	}
	parts := make([][]byte, len(c))
	errs := make([]error, len(c))
	var wg sync.WaitGroup
	next := make(chan int, len(c))
	for i := range c {
		next <- i
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), len(c)) {
		wg.Go(func() {
			for i := range next {
				parts[i], errs[i] = appendMatrix(nil, c[i])
			}
		})
	}
	wg.Wait()
	size := 2 + len(c)
	for i, p := range parts {
		if errs[i] != nil {
			return nil, fmt.Errorf("index %d: %w", i, errs[i])
		}
		size += len(p)
	}
	b = slices.Grow(b, size)
	b = append(b, '[')
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, p...)
	}
	return append(b, ']'), nil
}

// appendMatrix appends m as a JSON array of arrays.
func appendMatrix(b []byte, m [][]float32) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i, row := range m {
		if i > 0 {
			b = append(b, ',')
		}
		if row == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendFloat32(b, v); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// appendFloat32 appends v as encoding/json writes a float32: the shortest decimal that reads
// back as v, in exponent form below 1e-6 and from 1e21 on, the exponent without a leading zero.
func appendFloat32(b []byte, v float32) ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 32)}
	}
	format := byte('f')
	if a := float32(math.Abs(f)); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 32)
	if n := len(b); format == 'e' && n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-07 → e-7
		b = b[:n-1]
	}
	return b, nil
}
