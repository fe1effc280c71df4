// Package neox is EleutherAI's GPT-NeoX (model type "gpt_neox": the Pythia suite) written with
// GoMLX, numerically HuggingFace's GPTNeoXForCausalLM in float32.
//
// The block reads the residual stream x with two LayerNorms: with use_parallel_residual (every
// Pythia model) it computes x + attention(ln1(x)) + mlp(ln2(x)), otherwise x + attention(ln1(x))
// and then that plus mlp(ln2(·)). Queries, keys and values come from one fused projection whose
// rows are laid out head by head (q, k, v of head 0, then of head 1, ...); the loader reorders
// them into all queries, all keys, all values. Only the first rotary_pct of each head's
// dimensions carry the rotary embedding (rotate-half within them, frequencies over those
// dimensions). There are no position embeddings, and the LM head embed_out is its own matrix.
//
// The captured FFN neurons are the input of mlp.dense_4h_to_h, gelu(dense_h_to_4h(ln2(·))), as
// Ecco captures them once its lm_head is aliased to embed_out; the logit lens follows GPT-2
// (final_layer_norm is the final norm).
package neox
