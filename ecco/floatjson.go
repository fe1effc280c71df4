package ecco

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
)

// floatCube is a [][][]float32 written as JSON the way encoding/json writes it, but with a loop
// per row instead of reflection per value, the outer index split over the cores. Why: a saved
// Output of Llama-3.2-1B with activations is 70 MB of numbers, which encoding/json took 1.4 s of
// one core to write (BENCHMARKS.md, "Writing the numbers").
type floatCube [][][]float32

// writeJSON writes the values as encoding/json would (NaN and ±Inf are an error, as there), a
// few outer entries at a time formatted in parallel, so that only those few are held as text.
func (c floatCube) writeJSON(w *sticky) error {
	if c == nil {
		return w.string("null")
	}
	w.string("[")
	parts := make([][]byte, 2*runtime.GOMAXPROCS(0))
	errs := make([]error, len(parts))
	for from := 0; from < len(c) && w.err == nil; from += len(parts) {
		to := min(from+len(parts), len(c))
		var wg sync.WaitGroup
		for i := from; i < to; i++ {
			wg.Go(func() { parts[i-from], errs[i-from] = appendMatrix(parts[i-from][:0], c[i]) })
		}
		wg.Wait()
		for i := from; i < to; i++ {
			if errs[i-from] != nil {
				return fmt.Errorf("index %d: %w", i, errs[i-from])
			}
			if i > 0 {
				w.string(",")
			}
			w.bytes(parts[i-from])
		}
	}
	return w.string("]")
}

// sticky writes to w until the first error, which every later call returns.
type sticky struct {
	w   io.Writer
	err error
}

func (s *sticky) bytes(b []byte) error {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
	return s.err
}

func (s *sticky) string(x string) error {
	if s.err == nil {
		_, s.err = io.WriteString(s.w, x)
	}
	return s.err
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
