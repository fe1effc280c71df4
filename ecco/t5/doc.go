// Package t5 loads HuggingFace T5 checkpoints (T5ForConditionalGeneration: t5-small…t5-11b,
// T0, v1.1 and mT5) as a family.Seq2Seq on GoMLX, through package seq2seq.
//
// T5 as transformers computes it: the encoder reads shared[ids] unscaled with no absolute
// positions; every block is pre-norm with a scale-only RMS norm (w ⊙ x / sqrt(mean(x²) + eps));
// attention scores are q·k without 1/√d_kv plus a bias looked up by bucketed relative position
// in block 0's table and reused by every block of the stack (bidirectional buckets in the
// encoder, causal in the decoder; cross-attention has none); the feed-forward is
// wo(relu(wi·x)) (v1.0) or wo(gelu_tanh(wi_0·x) ⊙ wi_1·x) (v1.1, "gated-gelu"); each stack ends
// with final_layer_norm. A tied head (v1.0) multiplies the decoder's output by d_model^-0.5
// before the shared matrix; an untied lm_head (v1.1) is applied as it is. Ecco's rankings read
// the head without the rescale (LMHead). The FFN neurons are the input of DenseReluDense.wo,
// Ecco's capture point for T5.
package t5
