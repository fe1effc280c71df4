// Package bert is the BERT family of encoders (BertModel and BertForMaskedLM checkpoints) on
// GoMLX, behind family.Encoder: one bidirectional forward pass over a text gives HuggingFace's
// hidden_states, the FFN neurons Ecco captures (the input of encoder.layer.{i}.output.dense,
// after GELU, at every position) and, when the checkpoint has it, the masked-LM head's logits.
//
// # Conventions
//
// Weights are kept under BertModel's names ("encoder.layer.0.attention.self.query.weight"):
// a BertForMaskedLM checkpoint's "bert." prefix is dropped at load; the MLM head keeps its
// names ("cls.predictions.transform.dense.weight", "cls.predictions.bias") and its decoder is
// the word-embedding matrix (tied). Blocks are post-LN: LayerNorm(x + sublayer(x)). One text
// is one segment: token type 0 everywhere, no padding, absolute positions 0..T-1. Shapes in
// comments use B batch, T positions, D width, H heads, dh head width, N FFN width, V vocabulary.
// Layer-norm statistics are computed in float64, everything else in float32.
package bert
