// Package gpt2 is a GPT-2 language model (GPT-2, DistilGPT2 and their sizes) written with GoMLX,
// numerically the same as HuggingFace's GPT2LMHeadModel in float32.
//
// # Conventions
//
// Weights are named by their HuggingFace keys without the "transformer." prefix
// ("h.0.attn.c_proj.weight"); graph code looks them up by that name. Shapes in comments use
// B batch, T new positions, S cached positions, D = n_embd, H heads, dh = D/H, N = n_inner,
// V the vocabulary and Vp the vocabulary padded to a multiple of 512.
//
// What differs from the checkpoint, and why (each for gomlx v0.26.0's pure-Go backend):
//   - Conv1D weights are kept transposed, [out, in], and products are split into row chunks
//     (project): the backend multiplies that layout without copying the weight.
//   - c_attn is split into q, k, v parts at load time: the gradient of Slice needs Pad, which the
//     backend lacks, so nothing on a differentiated path is sliced: rows are picked with one-hot
//     products.
//   - DotGeneral gets its own gradient (dot.go): the built-in one materialises a broadcast of
//     both operands.
//   - LayerNorm is written out with epsilon from the config (graph.LayerNormalization defaults to
//     1e-3) and Sqrt (Rsqrt has no gradient).
//
// Model.Step runs new tokens after a KV cache and returns logits where asked, plus hidden states
// and FFN neurons of the same execution; Model.EmbeddingGradients differentiates next-token
// probabilities with respect to the token embeddings, several targets sharing one forward pass.
package gpt2
