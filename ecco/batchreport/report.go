package batchreport

import (
	"fmt"
	"path/filepath"
	"slices"
)

// ResultsFile is the file of an `ecco batch` output folder that the report reads.
const ResultsFile = "results.jsonl"

// Options tune Build; a nil *Options, and every zero field, means the default.
type Options struct {
	TopTokens          int   // tokens listed per method; default 20
	Factors            int   // NMF factors; default 8
	FactorLayers       []int // model layers pooled for NMF; nil: the last layer the records captured
	MaxFactorPositions int   // activation rows pooled for NMF; default 2000
	Examples           int   // strongest records listed per factor; default 3
	MaxLineBytes       int   // bound on one results line; default 1 GiB
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	def := func(p *int, d int) {
		if *p <= 0 {
			*p = d
		}
	}
	def(&v.TopTokens, 20)
	def(&v.Factors, 8)
	def(&v.MaxFactorPositions, 2000)
	def(&v.Examples, 3)
	def(&v.MaxLineBytes, 1<<30)
	return v
}

// Report summarises one batch output folder (see the package doc for each definition).
type Report struct {
	Dir          string           `json:"dir"`
	Records      int              `json:"records"`
	Methods      []string         `json:"methods"` // attribution methods, sorted
	Distance     []MethodDistance `json:"distance"`
	TopTokens    []MethodTokens   `json:"top_tokens"`
	Faithfulness *Faithfulness    `json:"faithfulness,omitempty"` // nil: no record carries it
	Factors      *Factors         `json:"factors,omitempty"`      // nil: no record has activations
}

// Build reads dir/results.jsonl and summarises it. A malformed line is an error naming the
// file and line number.
func Build(dir string, opts *Options) (*Report, error) {
	o := opts.withDefaults()
	path := filepath.Join(dir, ResultsFile)
	dist := map[string]*distanceSums{}
	toks := map[string]*tokenTally{}
	faith := newFaithSums()
	pool := newFactorPool(o)
	rep := &Report{Dir: dir}
	err := eachRecord(path, o.MaxLineBytes, func(line int, r *record) error {
		rep.Records++
		for m, rows := range r.Attributions {
			if dist[m] == nil {
				dist[m], toks[m] = &distanceSums{}, newTokenTally()
			}
			for i, row := range rows {
				dist[m].add(row, r.first()+i)
				toks[m].add(row, r.Tokens)
			}
		}
		faith.add(r.Faithfulness)
		if r.Activations != nil {
			if err := pool.add(r); err != nil {
				return fmt.Errorf("batchreport: %s line %d (id %q): %w", path, line, r.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rep.Records == 0 {
		return nil, fmt.Errorf("batchreport: %s holds no results yet: run `ecco batch` first", path)
	}
	for m := range dist {
		rep.Methods = append(rep.Methods, m)
	}
	slices.Sort(rep.Methods)
	for _, m := range rep.Methods {
		rep.Distance = append(rep.Distance, MethodDistance{Method: m, Buckets: dist[m].buckets()})
		rep.TopTokens = append(rep.TopTokens, MethodTokens{Method: m, Tokens: toks[m].top(o.TopTokens)})
	}
	rep.Faithfulness = faith.result()
	if rep.Factors, err = pool.factorize(); err != nil {
		return nil, fmt.Errorf("batchreport: NMF over the activations of %s: %w", path, err)
	}
	return rep, nil
}
