// Command benchdata writes the `ecco batch` benchmark's dataset: n records {"id", "prompt"}
// whose prompts are 20 to 60 tokens long under the given model's tokenizer (checked, not
// assumed), drawn from a fixed word list with a fixed seed, so every run of the benchmark
// explains the same prompts.
//
//	go run ./internal/batch/benchdata -n 1000 -vocab-from tests/testdata/models/tiny-a > prompts-1k.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/ecco-go/ecco/ecco/tokenizer"
)

var words = strings.Fields(`the of and to in is was for on that with as by at from his her
they this have had not are but which one were all there when who more their been has would
some time into only other new could may after first two years over then also most made like
city water house school river world people music night light story king road church garden
small large early long great high old young little good best right left open close under
between through during before without again often never always every morning evening table`)

func main() {
	n := flag.Int("n", 1000, "records to write")
	vocab := flag.String("vocab-from", "tests/testdata/models/tiny-a", "model `folder` whose tokenizer counts the tokens")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	tok, err := tokenizer.LoadDir(*vocab)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchdata:", err)
		os.Exit(1)
	}
	rng := rand.New(rand.NewPCG(*seed, 0))
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for i := range *n {
		want := 20 + rng.IntN(41) // tokens, 20..60
		var b strings.Builder
		b.WriteString("The")
		for len(tok.Encode(b.String())) < want {
			b.WriteString(" " + words[rng.IntN(len(words))])
		}
		rec := struct {
			ID     string `json:"id"`
			Prompt string `json:"prompt"`
		}{fmt.Sprintf("p%05d", i), b.String()}
		if err := enc.Encode(rec); err != nil {
			fmt.Fprintln(os.Stderr, "benchdata:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "benchdata:", err)
		os.Exit(1)
	}
}
