// Package gpt2 is a GPT-2 language model (GPT-2, DistilGPT2 and their sizes) written with GoMLX,
// numerically the same as HuggingFace's GPT2LMHeadModel in float32; it implements family.Model.
//
// # Conventions
//
// Weights are named by their HuggingFace keys without the "transformer." prefix
// ("h.0.attn.c_proj.weight"); graph code looks them up by that name. Shapes in comments use
// B batch, T new positions, S cached positions, D = n_embd, H heads, dh = D/H, N = n_inner,
// V the vocabulary and k the attribution targets.
//
// What differs from the checkpoint, and why (measured on GoMLX v0.28.8 with compute v0.1.6's
// Go backend; each file gives its figures):
//   - Conv1D weights stay [in, out], as stored, the layout compute's SIMD kernels pack fastest;
//     their products go through decoder.WeightProduct, whose gradient keeps that fast path.
//   - The LM head also lives as a [D, V] copy (decoder.HeadColumns) for the logits.
//   - Layer norms compute in float64 (layers.go): it keeps Ecco's layer predictions within 1e-5.
//   - Attributions (gradient.go, tape.go, backward.go, passes.go, concurrent.go): one forward pass
//     over all targets, the last block only at the target rows, the LM head's gradient in closed
//     form, and a hand-written backward pass batched over the targets; GoMLX's autodiff stays as
//     the oracle the tests compare with, and serves activations without a written derivative.
//
// Model.Step runs new tokens after a KV cache and returns logits where asked, plus hidden states
// and FFN neurons of the same execution; Model.EmbeddingGradients differentiates next-token
// probabilities with respect to the token embeddings.
package gpt2
