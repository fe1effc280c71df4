// Package seq2seq runs the encoder–decoder families (t5, bart) on GoMLX: a family states its
// architecture as pieces (an Arch: two Sides of blocks, position schemes, norms, the head)
// with its checked weights, and seq2seq turns them into a family.Seq2Seq: Encode once per
// source (its output and every decoder layer's cross-attention keys and values), a KV-cached
// decoder Step, embedding gradients of both stacks by GoMLX autodiff, and the LM head for
// Ecco's rankings. The graph pieces come from package decoder (linear layers, norms, the FFN,
// key/value caches).
//
// # Conventions
//
// Weights are keyed by their checkpoint names ("decoder.block.0.layer.1.EncDecAttention.q.weight")
// and nn.Linear weights are held [in, out] under name+decoder.InOut. Shapes in comments use B
// batch, n source positions, T new decoder positions, S cached plus new decoder positions, m
// decoder positions of a gradient call, D the width, H heads, dh the head width, N the FFN width
// and V the vocabulary. Hidden states follow HuggingFace's hidden_states for each stack (L+1:
// the stack's input after its embedding steps, each block's output, the last after the stack's
// final norm where it has one); FFN neurons are the input of each block's FFN output projection.
// Everything is computed in float32.
package seq2seq
