package batchreport_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/batchreport"
)

// Two records as `ecco batch` writes them (other fields left out): the first generated two
// tokens after a two-token prompt, the second one token after a one-token prompt.
func ExampleBuild() {
	dir, _ := os.MkdirTemp("", "report")
	defer os.RemoveAll(dir)
	results := `{"id": "a", "tokens": ["The", " cat", " sat", " down"], "n_input_tokens": 2, "attributions": {"grad_x_input": [[0.25, 0.75], [0.5, 0.25, 0.25]]}}
{"id": "b", "tokens": ["The", " dog"], "n_input_tokens": 1, "attributions": {"grad_x_input": [[1]]}}
`
	os.WriteFile(filepath.Join(dir, batchreport.ResultsFile), []byte(results), 0o644)
	rep, err := batchreport.Build(dir, &batchreport.Options{TopTokens: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range rep.Distance[0].Buckets {
		fmt.Printf("distance %d–%d: mean share %.3f over %d steps\n", b.From, b.To, b.MeanShare, b.Steps)
	}
	for _, t := range rep.TopTokens[0].Tokens {
		fmt.Printf("%q: total %.2f, count %d\n", t.Token, t.TotalShare, t.Count)
	}
	// Output:
	// distance 1–1: mean share 0.667 over 3 steps
	// distance 2–2: mean share 0.250 over 2 steps
	// distance 3–4: mean share 0.500 over 1 steps
	// "The": total 1.75, count 3
	// " cat": total 1.00, count 2
}
