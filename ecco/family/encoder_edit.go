package family

import "fmt"

// EncoderEditor is an Encoder that can run with edits (neuron edits, ZeroValues): WithEdits
// returns the same network, sharing weights and compiled graphs, whose Forward,
// EmbeddingGradients and value zeroing apply them.
type EncoderEditor interface {
	WithEdits(edits []Edit) (Encoder, error)
}

// WithEncoderEdits returns enc running with edits (enc itself when there are none), after
// checking them against enc's shape.
func WithEncoderEdits(enc Encoder, edits []Edit) (Encoder, error) {
	if len(edits) == 0 {
		return enc, nil
	}
	if err := CheckEdits(edits, enc.Info()); err != nil {
		return nil, err
	}
	e, ok := enc.(EncoderEditor)
	if !ok {
		return nil, fmt.Errorf("edits: the %s family does not support them", enc.Info().ModelType)
	}
	return e.WithEdits(edits)
}
