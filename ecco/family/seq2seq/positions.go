package seq2seq

import (
	"fmt"
	"math"
)

// Bucket is T5's relative-position bucket of a key rel = key − query positions away, as
// HuggingFace's _relative_position_bucket computes it: exact buckets for small distances, then
// logarithmic ones up to maxDistance; a bidirectional stack gives keys after the query their own
// half of the buckets, a causal one only looks back. The logarithm runs in float32, as there.
func Bucket(rel int, bidirectional bool, buckets, maxDistance int) int {
	bucket := 0
	if bidirectional {
		buckets /= 2
		if rel > 0 {
			bucket = buckets
		}
		rel = max(rel, -rel)
	} else {
		rel = max(-rel, 0)
	}
	exact := buckets / 2
	if rel < exact {
		return bucket + rel
	}
	ratio := float32(math.Log(float64(float32(rel)/float32(exact)))) / float32(math.Log(float64(maxDistance)/float64(exact)))
	large := exact + int(ratio*float32(buckets-exact))
	return bucket + min(large, buckets-1)
}

// bucketTable is the [t, s] buckets of queries at positions from..from+t-1 against keys 0..s-1.
func (p Positions) bucketTable(from, t, s int) []int32 {
	out := make([]int32, 0, t*s)
	for q := from; q < from+t; q++ {
		for k := range s {
			out = append(out, int32(Bucket(k-q, p.Bidirectional, p.Buckets, p.MaxDistance)))
		}
	}
	return out
}

// Sinusoid is Pegasus's fixed position table [positions, width], row-major: for column pairs
// j < width/2 (rounded up), sin(p / 10000^(2j/width)) in the first half and cos of the same in the
// second. Computed in float64, stored as float32, as transformers does.
func Sinusoid(positions, width int) []float32 {
	half := (width + 1) / 2
	out := make([]float32, positions*width)
	for p := range positions {
		row := out[p*width : (p+1)*width]
		for j := range half {
			angle := float64(p) / math.Pow(10000, float64(2*j)/float64(width))
			row[j] = float32(math.Sin(angle))
			if half+j < width {
				row[half+j] = float32(math.Cos(angle))
			}
		}
	}
	return out
}

// check refuses a stack input of n tokens after past more than the scheme takes; what names the
// stack ("encoder", "decoder") and family the model in errors.
func (p Positions) check(family, what string, past, n int) error {
	if n == 0 {
		return fmt.Errorf("%s: no tokens for the %s: give at least one token", family, what)
	}
	if p.Limit > 0 && past+n > p.Limit {
		return fmt.Errorf("%s: %d %s tokens exceed the model's %d positions (max_position_embeddings): shorten the input", family, past+n, what, p.Limit)
	}
	return nil
}
