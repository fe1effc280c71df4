package display

import (
	"strings"
	"testing"
)

// TestSaliencyFirst: First picks the step drawn at start (caption, selected token, the data the
// script selects first) and must name a generated token.
func TestSaliencyFirst(t *testing.T) {
	tokens := []Token{{Text: "a"}, {Text: "b"}, {Text: "<s>"}, {Text: "c"}}
	s := Saliency{Tokens: tokens, NInput: 2, Method: "m", Scores: [][]float64{{0, 0}, {0.25, 0.5, 0.25}}, First: 1}
	html := s.HTML()
	for _, want := range []string{saliencyCaption("m", tokens[3], nil, 3), `"first":1`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if cells := saliencyCells(s, s.First); !cells[3].Selected || cells[2].Selected {
		t.Errorf("step 1 should select token 3 only")
	}
	for _, first := range []int{-1, 2} {
		s.First = first
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "First") {
			t.Errorf("First %d: %v, want an error naming First", first, err)
		}
	}
}
