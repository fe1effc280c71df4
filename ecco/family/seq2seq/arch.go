package seq2seq

import "github.com/ecco-go/ecco/ecco/family/decoder"

// Arch is an encoder–decoder architecture stated as pieces, keyed by checkpoint keys: the
// runtime composes them into Encode, Step, the embedding gradients and the LM head, so a
// family (t5, bart) writes no graph code of its own.
type Arch struct {
	Embedding string // [V, D] the token embeddings both stacks share
	// EmbedScale multiplies token embeddings inside both stacks (BART's scale_embedding: √D);
	// 0 for none. Attribution inputs are the unscaled rows, scaled inside as ids are.
	EmbedScale float64
	Encoder    Side
	Decoder    Side // its layers have Cross set
	Head       string
	// HeadScale multiplies the final states before the head when generating (T5's tied
	// d_model^-0.5); 0 for none. LogitsBias [1, V] is added to generated logits (BART's
	// final_logits_bias); "" for none. Ecco's rankings read the head without either (LMHead).
	HeadScale  float64
	LogitsBias string
}

// Side is one stack of the model (encoder or decoder): its input embedding, blocks and final norm.
type Side struct {
	Positions Positions
	// EmbedNorm normalises the embeddings (BART's layernorm_embedding); nil for none.
	EmbedNorm *decoder.Norm
	Layers    []Layer
	// PreLN blocks compute x + f(norm(x)) (T5, Pegasus, mBART); otherwise norm(x + f(x))
	// (BART's post-LN).
	PreLN bool
	Final *decoder.Norm // after the last block (T5 final_layer_norm, Pegasus layer_norm); nil for none
}

// Layer is one block: self-attention, cross-attention (decoder only) and the feed-forward,
// each with its norm.
type Layer struct {
	Self      Attention
	SelfNorm  decoder.Norm
	Cross     *Attention // attends to the encoder's output; nil in the encoder
	CrossNorm decoder.Norm
	FFN       decoder.FeedForward // its FFN neurons are the input of Down
	FFNNorm   decoder.Norm
}

// Attention is multi-head attention through four Linear prefixes ("…SelfAttention.q.").
type Attention struct {
	Q, K, V, Out   string
	Heads, HeadDim int
	Scale          float64 // multiplies q·k: head_dim^-0.5 for BART, 1 for T5
}

// PositionKind says how a stack knows where a token is.
type PositionKind int

const (
	// Relative adds T5's bucketed relative-position bias, from block 0's table, to every
	// block's self-attention scores.
	Relative PositionKind = iota
	// Learned adds rows Offset+p of a [P+Offset, D] table to the embeddings (BART).
	Learned
	// Sinusoidal adds Pegasus's fixed sin/cos table (computed at load, no offset).
	Sinusoidal
)

// Positions is a stack's position scheme.
type Positions struct {
	Kind PositionKind
	// Table is the Learned or Sinusoidal [P(+Offset), D] table's key, or the Relative [buckets,
	// H] bias table's key.
	Table  string
	Offset int // Learned: the first row used (BART: 2)
	Limit  int // the positions the stack takes (Learned, Sinusoidal); 0: no limit (Relative)
	// Relative: buckets, max_distance, and whether keys on both sides count apart (encoder).
	Buckets, MaxDistance int
	Bidirectional        bool
}
