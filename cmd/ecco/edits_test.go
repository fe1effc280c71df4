package main

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

func TestForwardEditsMatchReference(t *testing.T) {
	g := refdata.LoadInterventions(t)
	for _, c := range g.Interventions.Cases {
		t.Run(c.Name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "forward.json")
			args := []string{"forward", "-model", tinyDir, "-prompt", g.Prompt, "-json", path}
			for _, e := range c.Edits {
				neurons := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(e.Neurons)), ","), "[]")
				flag := fmt.Sprintf("%d:%s", e.Layer, neurons)
				if e.Mode != "ablate" {
					flag += fmt.Sprintf("=%g", e.Value)
				}
				args = append(args, "-"+e.Mode, flag)
			}
			mustRun(t, args...)
			var got forwarded
			readJSON(t, path, &got)
			if !slices.Equal(got.TokenIDs, g.IDs[:g.NInput]) {
				t.Fatalf("token_ids %v, want %v", got.TokenIDs, g.IDs[:g.NInput])
			}
			checkClose(t, "logits_last[:20]", float32s(got.LogitsLast[:20]), c.First20, 1e-4)
			order := make([]int, len(got.LogitsLast))
			for i := range order {
				order[i] = i
			}
			slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(got.LogitsLast[b], got.LogitsLast[a]) })
			if order[0] != c.Argmax || !slices.Equal(order[:10], c.Top10IDs) {
				t.Errorf("top-10 ids %v, want %v (argmax %d)", order[:10], c.Top10IDs, c.Argmax)
			}
		})
	}
}

func TestGenerateAttentionMatchesReference(t *testing.T) {
	g := refdata.LoadInterventions(t)
	path := filepath.Join(t.TempDir(), "generate.json")
	mustRun(t, "generate", "-model", tinyDir, "-prompt", g.Prompt, "-n", fmt.Sprint(len(g.IDs)-g.NInput), "-attention", "-json", path)
	var got struct {
		TokenIDs  []int           `json:"token_ids"`
		Attention [][][][]float32 `json:"attention"`
	}
	readJSON(t, path, &got)
	if !slices.Equal(got.TokenIDs, g.IDs) {
		t.Fatalf("token_ids %v, want %v", got.TokenIDs, g.IDs)
	}
	if err := refdata.CompareAttention(got.Attention, g.Attention.Values, 1e-5); err != nil {
		t.Error(err)
	}
}

func TestBadEditFlagsAreOneLine(t *testing.T) {
	fwd := func(extra ...string) []string {
		return append([]string{"forward", "-model", tinyDir, "-prompt", "Hello"}, extra...)
	}
	for _, c := range []struct {
		args    []string
		mention string
	}{
		{fwd("-ablate", "1"), `-ablate: no ':' after the layer: want L:n1,n2`},
		{fwd("-ablate", "x:1"), `layer "x" is not a number`},
		{fwd("-ablate", "1:2,y"), `neuron "y" is not a number`},
		{fwd("-ablate", "1:2=3"), "-ablate takes no value"},
		{fwd("-add", "1:2"), "no '=V' value: want L:n1,n2=V"},
		{fwd("-set", "1:2=big"), `value "big" is not a number`},
		{fwd("-ablate", "2:1"), "-ablate 2:1: layer 2 is out of range: the model has layers 0..1"},
		{fwd("-ablate", "0:1", "-add", "1:3,256=1"), "-add 1:3,256=1: neuron 256 is out of range: layer 1 has neurons 0..255"},
		{[]string{"generate", "-model", tinyDir, "-prompt", "Hello", "-set", "-1:0=2"}, "-set -1:0=2: layer -1 is out of range"},
	} {
		checkOneLineError(t, c.args, c.mention)
	}
}
