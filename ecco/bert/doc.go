// Package bert runs the BERT family of encoders on GoMLX, behind family.Encoder: BERT, RoBERTa,
// DistilBERT, ALBERT and the ELECTRA discriminator, bare (…Model) or with their masked-LM head
// (…ForMaskedLM). One bidirectional forward pass over a text gives HuggingFace's
// hidden_states, the FFN neurons Ecco captures (the input of each block's FFN output linear,
// after the activation, at every position) and, when the checkpoint has it, the MLM head's
// logits.
//
// # One runtime, the families as data
//
// The families share one computation (graph.go): embeddings (word + position + token type 0),
// their layer norm, an optional projection to the residual width, then L post-LN blocks
// (LayerNorm(x + attention(x)), LayerNorm(x + FFN(x))) and an MLM head tied to the word
// embeddings. An Arch (arch.go) states what differs: tensor names, config.json keys, the first
// position row (RoBERTa: pad_token_id + 1), whether token types and an embedding projection
// exist (ALBERT; ELECTRA when embedding_size differs from hidden_size), which weights each
// block applies (ALBERT shares one group's weights: every application is its own layer here,
// where Ecco keeps only the last), the head's names and activation, and Ecco's capture regex.
//
// # Conventions
//
// Weights are kept under the bare encoder's names ("encoder.layer.0.attention.self.query.weight"):
// a checkpoint's family prefix ("bert.", "roberta.", …) is dropped at load; the MLM head keeps its
// names. One text is one segment: token type 0, no padding. Shapes in comments use B batch,
// T positions, E embedding width, D residual width, H heads, dh head width, N FFN width,
// V vocabulary. Layer-norm statistics are computed in float64, everything else in float32.
package bert
