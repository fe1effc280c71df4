// Package gemma states Google's Gemma 2 and Gemma 3 text decoders (model_type "gemma2",
// "gemma3_text") for the shared decoder runtime (ecco/family/decoder).
//
// What sets them apart from LLaMA: token embeddings scaled by √D inside the model; RMSNorms that
// scale by 1 + w with the offset w stored; "sandwich" blocks, whose attention and FFN outputs are
// normalised again before the residual add (post_attention_layernorm is such a post-norm here,
// the pre-FFN norm is pre_feedforward_layernorm); GeGLU with the tanh GELU; scores scaled by
// query_pre_attn_scalar^−½; sliding-window layers between global ones. Gemma 3 adds per-head
// q/k RMSNorms and gives local layers their own RoPE base (rope_local_base_freq, unscaled).
// Gemma 2 soft-caps attention scores and final logits (c·tanh(x/c)); Gemma 3 configs carry
// attn_logit_softcapping but the model never applies it, and applies final_logit_softcapping
// when set.
//
// Attribution inputs are the raw embedding rows, differentiated through the √D scale: the model
// explained is the one that generated the text. (Ecco fed raw rows as inputs_embeds, which
// Gemma 3 then left unscaled: it explained a model that never ran; see the reference README.)
// FFN neurons are the input of mlp.down_proj, as for LLaMA.
package gemma
