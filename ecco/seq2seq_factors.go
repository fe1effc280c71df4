package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/display"
	"gonum.org/v1/gonum/mat"
)

// Stack picks which activations of an encoder–decoder RunNMF factorises.
type Stack string

const (
	// StackBoth is Ecco's run_nmf: the encoder's positions, then the decoder's, over the same
	// layers and neurons (both stacks must have as many). For other models, their activations.
	StackBoth Stack = ""
	// StackEncoder is the encoder's activations alone, over the source tokens.
	StackEncoder Stack = "encoder"
	// StackDecoder is the decoder's alone, over its inputs (start + generated[:-1]). For a causal
	// model it is the same as StackBoth (Ecco files causal activations under "decoder" too).
	StackDecoder Stack = "decoder"
)

// stackLayers returns the captured layers of stack and how many layers it has.
func (o *Output) stackLayers(stack Stack) (captured []int, layers int, err error) {
	switch {
	case stack != StackBoth && stack != StackEncoder && stack != StackDecoder:
		return nil, 0, fmt.Errorf("ecco: NMFOptions.Stack %q: want %q, %q or \"\" (both)", stack, StackEncoder, StackDecoder)
	case stack == StackEncoder && !o.EncoderDecoder:
		return nil, 0, fmt.Errorf("ecco: NMFOptions.Stack %q: this Output is not an encoder-decoder's", stack)
	case len(o.ActivationLayers) == 0 && stack != StackEncoder, len(o.EncoderActivationLayers) == 0 && stack == StackEncoder:
		return nil, 0, fmt.Errorf("ecco: RunNMF needs activations: load the model with ecco.WithActivations()")
	case stack == StackEncoder:
		return o.EncoderActivationLayers, o.Config.NEncoderLayer, nil
	case stack == StackBoth && o.EncoderDecoder:
		if len(o.EncoderActivationLayers) == 0 {
			return nil, 0, fmt.Errorf("ecco: RunNMF: this Output holds no encoder activations: use NMFOptions{Stack: %q}", StackDecoder)
		}
		return o.ActivationLayers, min(o.Config.NLayer, o.Config.NEncoderLayer), nil
	}
	return o.ActivationLayers, o.Config.NLayer, nil
}

// stackRows is the (layers·neurons) × positions matrix of stack's activations at layers. Both
// stacks of an encoder–decoder are joined along positions, encoder first, as Ecco's
// np.concatenate(list(activations.values()), axis=-1) does.
func (o *Output) stackRows(stack Stack, layers []int) (*mat.Dense, error) {
	switch {
	case stack == StackEncoder:
		return layerRows(o.EncoderActivationLayers, o.EncoderActivations, layers)
	case stack == StackDecoder || !o.EncoderDecoder:
		return o.activationRows(layers)
	}
	enc, err := layerRows(o.EncoderActivationLayers, o.EncoderActivations, layers)
	if err != nil {
		return nil, fmt.Errorf("%w (encoder)", err)
	}
	dec, err := o.activationRows(layers)
	if err != nil {
		return nil, fmt.Errorf("%w (decoder)", err)
	}
	er, ec := enc.Dims()
	dr, dc := dec.Dims()
	if er != dr {
		return nil, fmt.Errorf("ecco: RunNMF: the encoder has %d layer·neuron rows and the decoder %d: Ecco's joined NMF needs as many; pick NMFOptions.Stack %q or %q",
			er, dr, StackEncoder, StackDecoder)
	}
	joined := mat.NewDense(er, ec+dc, nil)
	joined.Slice(0, er, 0, ec).(*mat.Dense).Copy(enc)
	joined.Slice(0, er, ec, ec+dc).(*mat.Dense).Copy(dec)
	return joined, nil
}

// explorerTokens are the tokens the factors of stack cover, from the first, and how many of
// them are input (the rest are shown as output, an encoder–decoder's start token included, as
// Ecco shows it): every token for both stacks and for causal models; an encoder–decoder's
// source for StackEncoder; its decoder tokens for StackDecoder.
func (o *Output) explorerTokens(stack Stack) ([]display.Token, int) {
	tokens := o.displayTokens()
	switch {
	case o.EncoderDecoder && stack == StackEncoder:
		return tokens[:o.NInput], o.NInput
	case o.EncoderDecoder && stack == StackDecoder:
		tokens = tokens[o.NInput:]
		tokens[0].Partial = false
		return tokens, 0
	}
	return tokens, o.NInput
}
