package display_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecco-go/ecco/display"
)

// A saliency view needs one row of scores per generated token, over the
// tokens before it.
func ExampleSaliency_Validate() {
	s := display.Saliency{
		Tokens: []display.Token{{Text: "Hello", ID: 15496}, {Text: ",", ID: 11, Partial: true}, {Text: " world", ID: 995}},
		NInput: 2,
		Method: "grad_x_input",
		Scores: [][]float64{{0.7, 0.3}},
	}
	fmt.Println(s.Validate())
	s.Scores = [][]float64{{1}}
	fmt.Println(s.Validate())
	// Output:
	// <nil>
	// display: Saliency: len(Scores[0]) = 1, want NInput+0 = 2 (the prefix of generated token 0)
}

// WritePage puts several views in one standalone page, as the CLI's -html
// flag does.
func ExampleWritePage() {
	dir, _ := os.MkdirTemp("", "ecco-example")
	defer os.RemoveAll(dir)
	tokens := []display.Token{{Text: "The", ID: 464}, {Text: " cat", ID: 3797}}
	path := filepath.Join(dir, "out.html")
	err := display.WritePage(path, "Example",
		display.Sequence{Tokens: tokens, NInput: 1},
		display.Heatmap{RowLabels: []string{"Layer 0"}, ColLabels: []string{"Layer 1"}, Values: [][]float64{{0.82}}},
	)
	page, _ := os.ReadFile(path)
	fmt.Println(err, strings.Count(string(page), `class="eccogo `))
	// Output: <nil> 2
}

// Outside a notebook a Live view only keeps its state; in GoNB each call
// updates the cell's output in place.
func ExampleNewLive() {
	live := display.NewLive([]display.Token{{Text: "Hello", ID: 15496}})
	live.Append(display.Token{Text: " world", ID: 995})
	live.Progress("attribution", 1, 4)
	fmt.Println(strings.Contains(live.HTML(), "attribution 1/4"))
	live.Done()
	fmt.Println(strings.Contains(live.HTML(), "attribution"))
	// Output:
	// true
	// false
}
