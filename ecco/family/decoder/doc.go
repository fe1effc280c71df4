// Package decoder runs the decoder-only families (gpt2, gptneo, neox, llama, gemma) on GoMLX: a
// family supplies its blocks (an Arch) and its checked weights; decoder turns them into a
// family.Model with a KV-cached Step, embedding gradients for attributions and the LM head for
// the logit lens, and holds the graph pieces the families share (linear layers, norms, the
// attention core). Attributions run a taped forward pass and a backward pass written by hand
// from the same pieces, batched over targets (tape.go, backward.go); GoMLX autodiff is the
// tests' oracle and the path for a piece without a written derivative.
//
// # Conventions
//
// Weights are keyed by their checkpoint names ("model.layers.0.self_attn.q_proj.weight") and
// kept as stored: nn.Linear weights [out, in]. Shapes in comments use B batch, T new positions,
// S cached plus new positions, D the residual width, H query heads, KV key/value heads, dh the
// head width, N the FFN width and V the vocabulary. Everything is computed in float32, whatever
// the checkpoint's dtype.
package decoder
