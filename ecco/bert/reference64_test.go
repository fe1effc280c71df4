package bert

import (
	"fmt"
	"math"
)

// ref64 is a plain float64 encoder forward pass over one text, written out loop by loop from
// transformers' definitions, to check the graph code where no reference output exists
// (ELECTRA's embedding projection). w holds the bare encoder's tensors ([out, in] linears).
type ref64 struct {
	cfg *Config
	w   map[string][]float32
}

// forward returns hidden states [L+1][T][D] and FFN neurons [L][T][N] for ids.
func (r ref64) forward(ids []int) (hidden, ffn [][][]float64) {
	c, a := r.cfg, r.cfg.Arch
	e := c.EmbedWidth
	x := make([][]float64, len(ids))
	for t, id := range ids {
		row := make([]float64, e)
		for j := range row {
			row[j] = float64(r.w[a.Word][id*e+j]) + float64(r.w[a.Position][(c.PosOffset+t)*e+j])
			if a.TokenType != "" {
				row[j] += float64(r.w[a.TokenType][j])
			}
		}
		x[t] = r.norm(a.EmbedNorm, row)
		if c.Project {
			x[t] = r.linear(a.Projection, x[t])
		}
	}
	hidden = append(hidden, x)
	for i := range c.Layers {
		var neurons [][]float64
		x, neurons = r.layer(fmt.Sprintf(a.Layer, c.group(i)), x)
		hidden, ffn = append(hidden, x), append(ffn, neurons)
	}
	return hidden, ffn
}

func (r ref64) layer(l string, x [][]float64) (out, neurons [][]float64) {
	a, c := r.cfg.Arch, r.cfg
	dh := c.Width / c.Heads
	q, k, v := make([][]float64, len(x)), make([][]float64, len(x)), make([][]float64, len(x))
	for t := range x {
		q[t], k[t], v[t] = r.linear(l+a.Query, x[t]), r.linear(l+a.Key, x[t]), r.linear(l+a.Value, x[t])
	}
	out, neurons = make([][]float64, len(x)), make([][]float64, len(x))
	for t := range x {
		ctx := make([]float64, c.Width)
		for h := range c.Heads {
			scores := make([]float64, len(x))
			top := math.Inf(-1)
			for s := range x {
				for j := h * dh; j < (h+1)*dh; j++ {
					scores[s] += q[t][j] * k[s][j]
				}
				scores[s] /= math.Sqrt(float64(dh))
				top = math.Max(top, scores[s])
			}
			var sum float64
			for s := range scores {
				scores[s] = math.Exp(scores[s] - top)
				sum += scores[s]
			}
			for s := range scores {
				for j := h * dh; j < (h+1)*dh; j++ {
					ctx[j] += scores[s] / sum * v[s][j]
				}
			}
		}
		attn := r.linear(l+a.AttnOut, ctx)
		for j := range attn {
			attn[j] += x[t][j]
		}
		mid := r.norm(l+a.AttnNorm, attn)
		neurons[t] = r.linear(l+a.FFNIn, mid)
		for j, u := range neurons[t] {
			neurons[t][j] = gelu64(u, c.Activation)
		}
		y := r.linear(l+a.FFNOut, neurons[t])
		for j := range y {
			y[j] += mid[j]
		}
		out[t] = r.norm(l+a.FFNNorm, y)
	}
	return out, neurons
}

// linear is x·Wᵀ + b with W stored [out, in].
func (r ref64) linear(prefix string, x []float64) []float64 {
	w, b := r.w[prefix+"weight"], r.w[prefix+"bias"]
	y := make([]float64, len(b))
	for o := range y {
		y[o] = float64(b[o])
		for i, xi := range x {
			y[o] += float64(w[o*len(x)+i]) * xi
		}
	}
	return y
}

func (r ref64) norm(prefix string, x []float64) []float64 {
	var mean, variance float64
	for _, v := range x {
		mean += v / float64(len(x))
	}
	for _, v := range x {
		variance += (v - mean) * (v - mean) / float64(len(x))
	}
	y := make([]float64, len(x))
	for j, v := range x {
		y[j] = (v-mean)/math.Sqrt(variance+r.cfg.Eps)*float64(r.w[prefix+"weight"][j]) + float64(r.w[prefix+"bias"][j])
	}
	return y
}

func gelu64(x float64, kind string) float64 {
	switch kind {
	case "gelu":
		return 0.5 * x * (1 + math.Erf(x/math.Sqrt2))
	case "gelu_new":
		return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
	case "relu":
		return math.Max(x, 0)
	}
	panic("gelu64: unknown activation " + kind)
}
