package gpt2

import (
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// backwardSuffix names the transposed copy of a weight that gradient graphs use to send the
// gradient back through project without copying the weight on every call.
const backwardSuffix = ":backward"

// backwardWeights returns the transposed copies of every matrix weight (Conv1D weights and the
// LM head), built on the backend the first time a gradient is asked: generation never pays
// their memory.
func (m *Model) backwardWeights() ([]string, []*tensors.Tensor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.backNames != nil {
		return m.backNames, m.backTensors, nil
	}
	var names []string
	var sources []*tensors.Tensor
	for i, name := range m.names {
		if name == m.lmHead || (strings.HasPrefix(name, "h.") && strings.HasSuffix(name, ".weight") && m.weights[i].Shape().Rank() == 2) {
			names = append(names, name+backwardSuffix)
			sources = append(sources, m.weights[i])
		}
	}
	e, err := NewExec(m.backend, func(in []*Node) []*Node {
		out := make([]*Node, len(in))
		for i, w := range in {
			out[i] = Transpose(w, 0, 1)
		}
		return out
	})
	if err != nil {
		return nil, nil, fmt.Errorf("gpt2: building the transposed weights: %w", err)
	}
	args := make([]any, len(sources))
	for i, s := range sources {
		args[i] = s
	}
	outs, err := e.Exec(args...)
	if err != nil {
		return nil, nil, fmt.Errorf("gpt2: transposing the weights for gradients: %w", err)
	}
	m.backNames, m.backTensors = names, outs
	return names, outs, nil
}
