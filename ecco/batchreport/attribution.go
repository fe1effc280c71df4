package batchreport

import (
	"cmp"
	"slices"
)

// DistanceBucket is the distances From..To (To 0: no upper end) and the mean share of
// attribution mass that fell there.
type DistanceBucket struct {
	From      int     `json:"from"`
	To        int     `json:"to"`
	MeanShare float64 `json:"mean_share"`
	Steps     int     `json:"steps"` // generated tokens whose context reaches the bucket
}

// MethodDistance is one method's buckets, nearest first.
type MethodDistance struct {
	Method  string           `json:"method"`
	Buckets []DistanceBucket `json:"buckets"`
}

// bucketFrom are the buckets' first distances: 1, 2, 3–4, 5–8, ..., 65 and more (doubling, so
// a long prompt's far context stays a few buckets).
var bucketFrom = []int{1, 2, 3, 5, 9, 17, 33, 65}

// bucketOf is the bucket index of distance d ≥ 1.
func bucketOf(d int) int {
	b := 0
	for b+1 < len(bucketFrom) && d >= bucketFrom[b+1] {
		b++
	}
	return b
}

type distanceSums struct {
	share [8]float64
	steps [8]int
}

// add counts one step: scores over the t positions before the predicted token t.
func (s *distanceSums) add(scores []float64, t int) {
	var step [8]float64
	for p, v := range scores {
		step[bucketOf(t-p)] += v
	}
	for b, from := range bucketFrom {
		if t >= from {
			s.share[b] += step[b]
			s.steps[b]++
		}
	}
}

func (s *distanceSums) buckets() []DistanceBucket {
	var out []DistanceBucket
	for b, from := range bucketFrom {
		if s.steps[b] == 0 {
			continue
		}
		to := 0
		if b+1 < len(bucketFrom) {
			to = bucketFrom[b+1] - 1
		}
		out = append(out, DistanceBucket{From: from, To: to, MeanShare: s.share[b] / float64(s.steps[b]), Steps: s.steps[b]})
	}
	return out
}

// TokenShare is a token string's total attribution share and how many (step, position) pairs
// it held.
type TokenShare struct {
	Token      string  `json:"token"`
	TotalShare float64 `json:"total_share"`
	Count      int     `json:"count"`
}

// MethodTokens is one method's most-attributed tokens, largest total first.
type MethodTokens struct {
	Method string       `json:"method"`
	Tokens []TokenShare `json:"tokens"`
}

// tokenTally sums shares by token string. Its size is bounded by the vocabulary.
type tokenTally struct{ by map[string]*TokenShare }

func newTokenTally() *tokenTally { return &tokenTally{by: map[string]*TokenShare{}} }

func (t *tokenTally) add(scores []float64, tokens []string) {
	for p, v := range scores {
		ts := t.by[tokens[p]]
		if ts == nil {
			ts = &TokenShare{Token: tokens[p]}
			t.by[tokens[p]] = ts
		}
		ts.TotalShare += v
		ts.Count++
	}
}

// top lists the n largest totals (ties by token, for a stable order).
func (t *tokenTally) top(n int) []TokenShare {
	all := make([]TokenShare, 0, len(t.by))
	for _, ts := range t.by {
		all = append(all, *ts)
	}
	slices.SortFunc(all, func(a, b TokenShare) int {
		if c := cmp.Compare(b.TotalShare, a.TotalShare); c != 0 {
			return c
		}
		return cmp.Compare(a.Token, b.Token)
	})
	return all[:min(n, len(all))]
}
