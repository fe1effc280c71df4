package ecco

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"

	"github.com/ecco-go/ecco/display"
)

// TokenChange is one token's next-token probability before and after edits.
type TokenChange struct {
	ID         int     `json:"id"`
	Token      string  `json:"token"`
	Before     float64 `json:"before"`
	After      float64 `json:"after"`
	RankBefore int     `json:"rank_before"` // 1 = most probable
	RankAfter  int     `json:"rank_after"`
}

// EditComparison is the next-token distribution at the end of a text before and after edits.
type EditComparison struct {
	TokenIDs []int         `json:"token_ids"`
	Edits    []Edit        `json:"edits"`
	Before   []TokenChange `json:"before"` // the top-k before the edits, most probable first
	After    []TokenChange `json:"after"`  // the top-k after them
	context  string
}

// CompareEdits runs prompt through lm as it is and with edits, and returns both sides' top-k
// next tokens with each token's probability before and after.
func (lm *LM) CompareEdits(prompt string, k int, edits ...Edit) (*EditComparison, error) {
	if k < 1 {
		return nil, fmt.Errorf("ecco: CompareEdits: top %d, want at least 1 token", k)
	}
	edited, err := lm.WithEdits(edits...)
	if err != nil {
		return nil, err
	}
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, err
	}
	var probs [2][]float64
	for i, m := range []*LM{lm, edited} {
		s, err := m.Model.Step(ids, nil, family.StepOptions{}) // the last position's logits only; WithEdits checked Model
		if err != nil {
			return nil, err
		}
		probs[i] = softmax64(s.Logits[0])
	}
	before, after := ranks(probs[0]), ranks(probs[1])
	c := &EditComparison{TokenIDs: ids, Edits: slices.Clone(edits), context: fmt.Sprintf("next token after “%s”", lm.Tokenizer.Decode(ids[max(0, len(ids)-4):]))}
	change := func(id int) TokenChange {
		return TokenChange{ID: id, Token: lm.Tokenizer.DisplayToken(id), Before: probs[0][id], After: probs[1][id], RankBefore: before[id], RankAfter: after[id]}
	}
	for _, id := range topOf(probs[0], k) {
		c.Before = append(c.Before, change(id))
	}
	for _, id := range topOf(probs[1], k) {
		c.After = append(c.After, change(id))
	}
	return c, nil
}

// View is the side-by-side widget.
func (c *EditComparison) View() display.Comparison {
	conv := func(side []TokenChange) []display.Change {
		var out []display.Change
		for _, t := range side {
			out = append(out, display.Change{Text: t.Token, ID: t.ID, Before: t.Before, After: t.After})
		}
		return out
	}
	return display.Comparison{Context: c.context, Change: DescribeEdits(c.Edits), Before: conv(c.Before), After: conv(c.After)}
}

// Show displays the comparison in a notebook.
func (c *EditComparison) Show() error { return show(c.View()) }

// DescribeEdits says what edits do, for captions: "ablate layer 1 neurons 3, 17".
func DescribeEdits(edits []Edit) string {
	if len(edits) == 0 {
		return "no edits"
	}
	var parts []string
	for _, e := range edits {
		ns := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(e.Neurons)), ", "), "[]")
		what := map[EditMode]string{Ablate: "ablate", Add: fmt.Sprintf("add %g to", e.Value), Set: fmt.Sprintf("set to %g", e.Value)}[e.Mode]
		s := fmt.Sprintf("%s layer %d neuron", what, e.Layer)
		if len(e.Neurons) > 1 {
			s += "s"
		}
		s += " " + ns
		if len(e.Positions) > 0 {
			s += fmt.Sprintf(" at positions %v", e.Positions)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// softmax64 is the softmax of logits in float64.
func softmax64(logits []float32) []float64 {
	top := float64(slices.Max(logits))
	out := make([]float64, len(logits))
	var sum float64
	for i, x := range logits {
		out[i] = math.Exp(float64(x) - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

// topOf returns the ids of the k largest probabilities, largest first.
func topOf(probs []float64, k int) []int {
	ids := make([]int, len(probs))
	for i := range ids {
		ids[i] = i
	}
	slices.SortStableFunc(ids, func(a, b int) int { return cmp.Compare(probs[b], probs[a]) })
	return ids[:min(k, len(ids))]
}

// ranks gives every id its 1-based rank by probability.
func ranks(probs []float64) []int {
	r := make([]int, len(probs))
	for i, id := range topOf(probs, len(probs)) {
		r[id] = i + 1
	}
	return r
}

// HeadView is the attention head view at layer, head over the Output's tokens, computing the
// attention with one forward pass when the Output lacks it.
func (o *Output) HeadView(layer, head int) (display.HeadView, error) {
	att, err := o.attention()
	if err != nil {
		return display.HeadView{}, err
	}
	v := display.HeadView{Tokens: o.displayTokens(), Attention: att, Layer: layer, Head: head}
	return v, v.Validate()
}

// attention is the Output's attention, computed once with the model when it lacks it.
func (o *Output) attention() ([][][][]float32, error) {
	o.lazy.Lock()
	defer o.lazy.Unlock()
	return o.attentionLocked()
}

// attentionLocked is attention for callers that hold o.lazy.
func (o *Output) attentionLocked() ([][][][]float32, error) {
	o.mu.Lock()
	att, lm := o.Attention, o.lm
	o.mu.Unlock()
	if att != nil {
		return att, nil
	}
	if lm == nil {
		return nil, fmt.Errorf("ecco: the Output holds no attention and no model is attached: generate with GenerateOptions.Attention or call out.Attach(lm)")
	}
	att, err := lm.Attention(o.TokenIDs)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	o.Attention = att
	o.mu.Unlock()
	o.persist()
	return att, nil
}

// Heads displays the attention head view, layer 0 head 0 first.
func (o *Output) Heads() error { return showView(o.HeadView(0, 0)) }
