// Package gpt2 states GPT-2 (GPT-2, DistilGPT2 and their sizes; model type "gpt2") for the
// shared decoder runtime (package decoder): its config, its checkpoint's tensor names and
// layout, and its block as a decoder.Arch. Load returns a *decoder.Model, numerically
// HuggingFace's GPT2LMHeadModel in float32.
//
// The block is pre-norm with LayerNorms (ln_1, ln_2, ln_f), learned position embeddings (wpe),
// a fused c_attn projection and scores scaled by 1/√head_dim. Its matrices are Conv1D weights,
// stored [in, out] (decoder.Spec.InOut): read as they are, and multiplied in that layout.
//
// The captured FFN neurons are the input of mlp.c_proj, act(c_fc(ln_2(x))), as Ecco captures
// them; the logit lens's final norm is ln_f.
package gpt2
