package decoder

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Tap is what a forward pass does at its hook points beside computing: neuron edits at the FFN
// capture point, and recording the attention probabilities. A nil *Tap does neither, so graphs
// without edits or capture are the graphs they were.
type Tap struct {
	edited    []int // layers with edits, ascending (family.EditedLayers)
	keep, add *Node // [E, T, N]: the edits as n' = n·keep + add (family.EditMasks)
	probs     []*Node
	values    valueMasks // value zeroing (valuezero.go)
}

// NewTap makes the tap of a graph over layers blocks: edits of the edited layers given as keep
// and add [E, T, N] (nil when none), and attention probabilities recorded when record is set.
func NewTap(layers int, edited []int, keep, add *Node, record bool) *Tap {
	if len(edited) == 0 && !record {
		return nil
	}
	t := &Tap{edited: edited, keep: keep, add: add}
	if record {
		t.probs = make([]*Node, layers)
	}
	return t
}

// Neurons applies the edits of layer to its FFN neurons n [B, T, N].
func (t *Tap) Neurons(layer int, n *Node) *Node {
	if t == nil {
		return n
	}
	e := slices.Index(t.edited, layer)
	if e < 0 {
		return n
	}
	dims := n.Shape().Dimensions
	row := func(x *Node) *Node { return BroadcastToDims(Slice(x, AxisElem(e)), dims...) } // [1, T, N] -> [B, T, N]
	return Add(Mul(n, row(t.keep)), row(t.add))
}

// Recorder returns the function that records layer's attention probabilities [B, H, n, S], or
// nil when the tap does not record.
func (t *Tap) Recorder(layer int) func(*Node) {
	if t == nil || t.probs == nil {
		return nil
	}
	return func(probs *Node) { t.probs[layer] = probs }
}

// Probs are the recorded probabilities stacked: [L, B, H, n, S].
func (t *Tap) Probs() *Node { return Stack(t.probs, 0) }

// EditKey names the graph shape edits need (the edited layers): part of an exec kind, while
// the values are graph inputs, so new values reuse the compiled graph.
func EditKey(edits []family.Edit) string {
	var b strings.Builder
	for _, l := range family.EditedLayers(edits) {
		fmt.Fprintf(&b, "%d,", l)
	}
	if valued := family.ValueLayers(edits); len(valued) > 0 {
		fmt.Fprintf(&b, "values%v", valued)
	}
	return b.String()
}

// EditInputs are the graph inputs of edits for the t positions from from on: the neuron
// edits' keep and add [E, T, N] when there are some, then the value edits' mask [Ev, 1, T]
// when there are some (ValueInputs).
func EditInputs(edits []family.Edit, from, t, neurons int) []any {
	layers := family.EditedLayers(edits)
	if len(layers) == 0 {
		return ValueInputs(edits, from, t)
	}
	keep, add := family.EditMasks(edits, layers, from, t, neurons)
	return append([]any{
		tensors.FromFlatDataAndDimensions(keep, len(layers), t, neurons),
		tensors.FromFlatDataAndDimensions(add, len(layers), t, neurons),
	}, ValueInputs(edits, from, t)...)
}

// EditTap makes the tap of a graph over layers blocks from the graph inputs in, read in the
// order EditInputs writes them for edits (only the edits' layout matters, not their values),
// recording attention when record is set. It returns the inputs after them.
func EditTap(layers int, edits []family.Edit, in []*Node, record bool) (*Tap, []*Node) {
	var keep, add *Node
	edited := family.EditedLayers(edits)
	if len(edited) > 0 {
		keep, add, in = in[0], in[1], in[2:]
	}
	tap := NewTap(layers, edited, keep, add, record)
	if valued := family.ValueLayers(edits); len(valued) > 0 {
		tap = tap.zeroingValues(valued, in[0])
		in = in[1:]
	}
	return tap, in
}

// AttentionRows reads a [L, 1, H, T, S] tensor as [L][H][T][S].
func AttentionRows(t *tensors.Tensor, layers, heads, queries int) ([][][][]float32, error) {
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, fmt.Errorf("reading attention probabilities: %w", err)
	}
	out := make([][][][]float32, layers)
	for l, layer := range Rows(flat, layers) {
		out[l] = make([][][]float32, heads)
		for h, head := range Rows(layer, heads) {
			out[l][h] = Rows(head, queries)
		}
	}
	return out, nil
}
