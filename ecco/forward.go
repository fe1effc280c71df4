package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
)

// ForwardOutput is one forward pass over a sequence (Ecco's lm(inputs)).
type ForwardOutput struct {
	TokenIDs []int
	Logits   [][]float32   // [T][V]: every position's next-token logits
	Hidden   [][][]float32 // [L+1][T][D]: HuggingFace's hidden_states, when asked
	// Attention is [L][H][T][T], when asked: each head's attention probabilities.
	Attention [][][][]float32
}

// Forward tokenizes prompt and runs one forward pass over it.
func (lm *LM) Forward(prompt string, hidden bool) (*ForwardOutput, error) {
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, err
	}
	return lm.ForwardIDs(ids, hidden)
}

// ForwardIDs runs one forward pass over ids.
func (lm *LM) ForwardIDs(ids []int, hidden bool) (*ForwardOutput, error) {
	return lm.ForwardWith(ids, ForwardOptions{Hidden: hidden})
}

// ForwardOptions say what ForwardWith captures beside the logits.
type ForwardOptions struct {
	Hidden    bool // HuggingFace's hidden_states
	Attention bool // attention probabilities [L][H][T][T]
}

// ForwardWith runs one forward pass over ids, capturing what opts ask.
func (lm *LM) ForwardWith(ids []int, opts ForwardOptions) (*ForwardOutput, error) {
	model, err := lm.causal()
	if err != nil {
		return nil, err
	}
	all := make([]int, len(ids))
	for i := range all {
		all[i] = i
	}
	s, err := model.Step(ids, nil, family.StepOptions{LogitsAt: all, Hidden: opts.Hidden, Attention: opts.Attention})
	if err != nil {
		return nil, err
	}
	return &ForwardOutput{TokenIDs: ids, Logits: s.Logits, Hidden: s.Hidden, Attention: s.Attention}, nil
}

// Attention returns the attention probabilities [layer][head][query][key] of one forward pass
// over ids: softmax over keys, 0 above the diagonal (causal) for a causal model, every key for
// an encoder.
func (lm *LM) Attention(ids []int) ([][][][]float32, error) {
	if lm.encoder != nil {
		return encoderAttention(lm.encoder, ids)
	}
	model, err := lm.causal()
	if err != nil {
		return nil, err
	}
	s, err := model.Step(ids, nil, family.StepOptions{Attention: true})
	if err != nil {
		return nil, fmt.Errorf("ecco: attention: %w", err)
	}
	return s.Attention, nil
}

// LensGrid is the logit lens over every position of a sequence.
type LensGrid struct {
	Lens          Lens    `json:"lens"`            // the convention
	Top1          [][]int `json:"top1"`            // [L][T]: each layer's top-1 id
	NextTokenRank [][]int `json:"next_token_rank"` // [L][T]: rank of the next token; 0 at the last position
}

// LogitLens runs one forward over ids and reads every layer at every position.
func (lm *LM) LogitLens(ids []int, lens Lens) (*LensGrid, error) {
	lens, err := ParseLens(string(lens))
	if err != nil {
		return nil, err
	}
	f, err := lm.ForwardIDs(ids, true)
	if err != nil {
		return nil, err
	}
	L := lm.Info().Layers
	grid := &LensGrid{Lens: lens}
	for l := 1; l <= L; l++ {
		logits, err := lensLogits(lm.Model, f.Hidden[l], l, lens) // ForwardIDs checked that Model is causal
		if err != nil {
			return nil, fmt.Errorf("ecco: logit lens at layer %d: %w", l-1, err)
		}
		top1, ranks := make([]int, len(ids)), make([]int, len(ids))
		for t, row := range logits {
			top1[t] = argmax32(row)
			if t+1 < len(ids) {
				ranks[t] = rankOf(row, ids[t+1])
			}
		}
		grid.Top1, grid.NextTokenRank = append(grid.Top1, top1), append(grid.NextTokenRank, ranks)
	}
	return grid, nil
}
