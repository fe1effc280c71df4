package gpt2

import "fmt"

// CheckpointShapes lists every tensor a GPT-2 checkpoint of c must hold, keyed as in the
// checkpoint without the "transformer." prefix, with its stored shape (Conv1D weights [in, out]).
func CheckpointShapes(c *Config) map[string][]int {
	d, n := c.NEmbd, c.NInner
	want := map[string][]int{
		"wte.weight":  {c.VocabSize, d},
		"wpe.weight":  {c.NPositions, d},
		"ln_f.weight": {d},
		"ln_f.bias":   {d},
	}
	for i := range c.NLayer {
		p := fmt.Sprintf("h.%d.", i)
		want[p+"ln_1.weight"] = []int{d}
		want[p+"ln_1.bias"] = []int{d}
		want[p+"ln_2.weight"] = []int{d}
		want[p+"ln_2.bias"] = []int{d}
		want[p+"attn.c_attn.weight"] = []int{d, 3 * d}
		want[p+"attn.c_attn.bias"] = []int{3 * d}
		want[p+"attn.c_proj.weight"] = []int{d, d}
		want[p+"attn.c_proj.bias"] = []int{d}
		want[p+"mlp.c_fc.weight"] = []int{d, n}
		want[p+"mlp.c_fc.bias"] = []int{n}
		want[p+"mlp.c_proj.weight"] = []int{n, d}
		want[p+"mlp.c_proj.bias"] = []int{d}
	}
	return want
}
