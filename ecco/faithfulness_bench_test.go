package ecco

import "testing"

// BenchmarkDistilGPT2Faithfulness10 times the removals alone: the faithfulness of grad×input and
// occlusion (attributions computed beforehand) on 10 generated tokens after the 28-token prompt,
// 3 fractions each, comprehensiveness and sufficiency:
//
//	GOEXPERIMENT=simd go test -run XXX -bench Faithfulness -benchtime 3x ./ecco
func BenchmarkDistilGPT2Faithfulness10(b *testing.B) {
	lm := benchLM(b)
	methods := []Method{GradXInput, Occlusion}
	out, err := lm.Generate(benchPrompt, GenerateOptions{Tokens: 10, Attribution: methods})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out.Faithfulness = nil
		if _, err := out.ScoreFaithfulness(methods, nil); err != nil {
			b.Fatal(err)
		}
	}
}
