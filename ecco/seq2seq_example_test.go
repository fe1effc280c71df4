package ecco_test

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco"
)

// An encoder–decoder's Output, in Ecco's layout: the source's ids, the decoder's start token,
// the generated ids; attribution vector j scores the source and the j+1 decoder inputs; the
// encoder's activations cover the source, the decoder's its inputs (start + generated[:-1]).
func ExampleLM_Generate_encoderDecoder() {
	lm, err := ecco.FromPretrained("../tests/testdata/models/tiny-t5-a", ecco.WithActivations()) // a random T5 with GPT-2's vocabulary
	if err != nil {
		panic(err)
	}
	out, err := lm.Generate("Hello, my dog is cute", ecco.GenerateOptions{Tokens: 3, Attribution: []ecco.Method{ecco.GradXInput}})
	if err != nil {
		panic(err)
	}
	fmt.Println("source:", out.TokenIDs[:out.NInput], "start:", out.TokenIDs[out.NInput], "generated:", out.GeneratedIDs())
	for j, scores := range out.Attributions["grad_x_input"] {
		fmt.Printf("token %d (%q): %d scores\n", j, out.Tokens[out.FirstGenerated()+j], len(scores))
	}
	fmt.Println("positions: encoder", len(out.EncoderActivations[0][0]), "decoder", len(out.Activations[0][0]))
	// Output:
	// source: [15496 11 616 3290 318 13779] start: 0 generated: [27901 6158 27583]
	// token 0 (" Instr"): 7 scores
	// token 1 ("ATE"): 8 scores
	// token 2 (" Hardy"): 9 scores
	// positions: encoder 6 decoder 3
}
