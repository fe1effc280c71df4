package ecco

import (
	"slices"
	"testing"
)

// TestSampleWithoutSeedDrawsOne: like Ecco's do_sample=True, each unseeded call samples anew;
// the seed it drew is recorded in the Output and repeats the run exactly.
func TestSampleWithoutSeedDrawsOne(t *testing.T) {
	lm := tiny(t)
	opts := GenerateOptions{Tokens: 12, Sample: true}
	a, err := lm.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := lm.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Options.Seed == 0 || b.Options.Seed == 0 || a.Options.Seed == b.Options.Seed {
		t.Fatalf("recorded seeds %d and %d: want two different non-zero seeds", a.Options.Seed, b.Options.Seed)
	}
	if slices.Equal(a.TokenIDs, b.TokenIDs) {
		t.Errorf("two unseeded samples gave the same tokens %v", a.TokenIDs)
	}
	opts.Seed = a.Options.Seed
	again, err := lm.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.TokenIDs, a.TokenIDs) || again.Text != a.Text {
		t.Errorf("seed %d gave %q, then %q", opts.Seed, a.Text, again.Text)
	}
	greedy, err := lm.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 2})
	if err != nil {
		t.Fatal(err)
	}
	if greedy.Options.Seed != 0 {
		t.Errorf("greedy generation recorded seed %d, want none", greedy.Options.Seed)
	}
}
