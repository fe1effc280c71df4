package bench

import (
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/timing"
)

// TestPrintShowsEveryStep checks the table's header and one row per step with its median and
// first run, formatted as timing.Format writes them.
func TestPrintShowsEveryStep(t *testing.T) {
	r := &Report{Model: "tiny", Config: ecco.ModelConfig{NLayer: 2, NEmbd: 8, NHead: 2, VocabSize: 50}, PromptTokens: 28, NewTokens: 2, Repeat: 3,
		Steps: []timing.Step{{Name: "load model", Median: 0.25, First: 1.5}, {Name: "forward over the prompt", Median: 0.004, First: 0.5}}}
	var b strings.Builder
	if err := Print(&b, r); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"model tiny: 2 layers, width 8, 2 heads, vocab 50;",
		"prompt 28 tokens, 2 new tokens, median of 3 runs",
		"load model               0.250 s  1.50 s",
		"forward over the prompt  0.004 s  0.500 s",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the table lacks %q:\n%s", want, got)
		}
	}
}
