package display

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.html and screenshots/*.png")

// checkGolden compares got with testdata/golden/name.html (or rewrites it
// under -update), reporting the first differing line.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".html")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test ./display -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs from %s at line %d (run with -update if the change is intended):\n got: %.300s\nwant: %.300s", name, path, i+1, g, w)
		}
	}
}

// TestGolden renders every view from the reference data under a fixed id
// seed and compares with the golden files.
func TestGolden(t *testing.T) {
	r := loadReference(t)
	watch := Rankings{
		Title:     "Rankings of watched tokens at position 28",
		RowLabels: []string{"Layer 0", "Layer 1"},
		ColLabels: []string{" is", " are", "\n"},
		Ranks:     [][]int{{1523, 17, 2}, {40211, 1, 6}},
	}
	cases := []struct {
		name string
		view View
	}{
		{"sequence", r.sequence()},
		{"saliency_minimal", r.saliency(StyleMinimal)},
		{"saliency_detailed", r.saliency(StyleDetailed)},
		{"factors", r.factors()},
		{"predictions", r.predictions(0)},
		{"rankings", r.rankings()},
		{"rankings_watch", watch},
		{"heatmap", similarity()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			SeedIDs(42)
			checkGolden(t, c.name, c.view.HTML())
		})
	}
	t.Run("page", func(t *testing.T) {
		SeedIDs(42)
		s := Sequence{Tokens: []Token{{Text: "Hello", ID: 15496}, {Text: ",", ID: 11, Partial: true}, {Text: " world", ID: 995}}, NInput: 2}
		checkGolden(t, "page", Page("Two views", s, s))
	})
	t.Run("live", func(t *testing.T) {
		SeedIDs(42)
		l := NewLive(r.allTokens()[:r.nInput()])
		l.Append(r.allTokens()[r.nInput() : r.nInput()+3]...)
		l.Progress("attribution", 3, 10)
		checkGolden(t, "live", l.HTML())
	})
}

// TestIDs checks that ids are unique per rendering and repeat under a seed.
func TestIDs(t *testing.T) {
	s := Sequence{Tokens: []Token{{Text: "a"}}, NInput: 1}
	SeedIDs(7)
	a, b := s.HTML(), s.HTML()
	if a == b {
		t.Fatal("two renderings of one view share their HTML (and so their id)")
	}
	SeedIDs(7)
	if a2 := s.HTML(); a2 != a {
		t.Fatal("same seed gave a different rendering")
	}
	seen := map[string]bool{}
	for range 1000 {
		id := newID()
		if seen[id] || len(id) != 14 || !strings.HasPrefix(id, "eg") {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}
