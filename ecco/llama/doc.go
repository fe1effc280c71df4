// Package llama is the LLaMA family (model types "llama", "mistral" and "qwen2": SmolLM,
// TinyLlama, Llama 2/3, Mistral, Qwen2/2.5) written with GoMLX, numerically HuggingFace's
// LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM in float32.
//
// A block is x + o_proj(attention(RMSNorm(x))), then x + down_proj(silu(gate_proj(h))·up_proj(h))
// with h = RMSNorm(x). Attention applies rotary position embeddings to q and k in HuggingFace's
// rotate-half convention (rope_theta, rope_scaling "linear" or "llama3"), groups query heads
// over num_key_value_heads key/value heads, and, for Mistral (and Qwen2 with
// use_sliding_window), limits each query to the last sliding_window keys. Qwen2 adds biases to
// q, k and v; Llama's attention_bias and mlp_bias add them where HuggingFace does. The LM head
// is lm_head.weight, or the token embedding when tie_word_embeddings is true.
//
// The captured FFN neurons are the input of mlp.down_proj, silu(gate)·up, intermediate_size
// wide: the neurons whose outputs the block adds to the residual stream. (Ecco never supported
// LLaMA; the community configuration in Ecco PR #90 hooks mlp.up_proj, whose output is only the
// linear half of the gate, so its "activations" are not the FFN neurons.)
package llama
