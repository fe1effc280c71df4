package ecco

import (
	"fmt"
	"slices"
)

// HookPoint is a capture point inside a transformer block, named as in TransformerLens.
type HookPoint string

// HookMLPPost is the FFN neurons after the nonlinearity: the input of mlp.c_proj,
// act(c_fc(ln_2(x))), n_inner wide. It is what Ecco calls activations.
const HookMLPPost HookPoint = "mlp.hook_post"

// Hook names one captured tensor: a point in a block. Its String is TransformerLens's name,
// "blocks.{layer}.mlp.hook_post"; code compares Hooks, not strings.
type Hook struct {
	Layer int
	Point HookPoint
}

// MLPPost is the hook of block layer's FFN neurons.
func MLPPost(layer int) Hook { return Hook{Layer: layer, Point: HookMLPPost} }

func (h Hook) String() string { return fmt.Sprintf("blocks.%d.%s", h.Layer, h.Point) }

// Hooks lists what the Output captured.
func (o *Output) Hooks() []Hook {
	var hooks []Hook
	for _, l := range o.ActivationLayers {
		hooks = append(hooks, MLPPost(l))
	}
	return hooks
}

// Captured returns the tensor captured at hook as [neuron][position] (Ecco's per-layer layout).
func (o *Output) Captured(hook Hook) ([][]float32, error) {
	if hook.Point != HookMLPPost {
		return nil, fmt.Errorf("ecco: hook %s is not captured: capture points are %s", hook, HookMLPPost)
	}
	if hook.Layer < 0 || hook.Layer >= o.Config.NLayer {
		return nil, fmt.Errorf("ecco: hook %s: layer %d does not exist: the model has layers 0..%d", hook, hook.Layer, o.Config.NLayer-1)
	}
	i := slices.Index(o.ActivationLayers, hook.Layer)
	if i < 0 {
		return nil, fmt.Errorf("ecco: hook %s was not captured: captured hooks are %v (load with ecco.WithActivations())", hook, o.Hooks())
	}
	return o.Activations[i], nil
}
