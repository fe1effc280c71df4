package decoder

// Arch is a family's architecture stated as pieces: the runtime composes them into the forward
// pass (Step, with KV cache, edits and attention capture) and into the batched backward pass of
// attributions, so a family writes no graph code of its own. Keys are checkpoint keys.
//
// Every block is pre-norm: x + attention(AttnNorm(x)), then x + FFN(FFNNorm(x)); Gemma's
// "sandwich" blocks also normalise each sublayer's output before adding it (PostAttnNorm,
// PostFFNNorm); GPT-NeoX's parallel blocks read both sublayers from the block input.
type Arch struct {
	Embedding string  // [V, D] token embeddings
	Positions string  // [P, D] learned position embeddings added to the token embeddings; "" for none
	Layers    []Layer // the blocks, in order
	Final     Norm    // the norm after the last block
	Head      string  // [V, D] LM head: Embedding when tied
	// EmbedScale multiplies the token embeddings inside the model (Gemma's √D); 0 for none.
	// Attributions take the unscaled rows as inputs and differentiate through the scale, so they
	// explain the model that generated the text (see the package doc).
	EmbedScale float64
	// SoftCap, when > 0, caps the generated logits as c·tanh(logits/c) (Gemma 2's
	// final_logit_softcapping); the logit lens reads the head without it, as Ecco does.
	SoftCap float64
}

// Layer is one transformer block.
type Layer struct {
	AttnNorm, FFNNorm         Norm
	PostAttnNorm, PostFFNNorm *Norm // normalise the sublayer's output before the residual add; nil for none
	Attention                 SelfAttention
	FFN                       FeedForward
	// Parallel blocks compute x + attention(AttnNorm(x)) + FFN(FFNNorm(x)): the FFN reads the
	// block input, not the attention's output (GPT-NeoX's use_parallel_residual).
	Parallel bool
}

// NormKind says how a Norm normalises.
type NormKind int

const (
	LayerNorm NormKind = iota // torch's LayerNorm: centred, biased variance, weight and bias
	RMSNorm                   // LLaMA's: weight · x / sqrt(mean(x²) + eps), no centring, no bias
)

// Norm is a normalisation over the last axis; its weight is Prefix+"weight", its bias (LayerNorm)
// Prefix+"bias". Offset norms (Gemma) store w and scale by 1 + w.
type Norm struct {
	Kind   NormKind
	Prefix string
	Eps    float64
	Offset bool
}

// SelfAttention is causal multi-head attention with grouped key/value heads. Projections are
// Linear prefixes: Fused names one projection whose output holds queries, keys and values side by
// side (GPT-2's c_attn); otherwise Q, K and V name three.
type SelfAttention struct {
	Fused, Q, K, V, Out string
	Heads, KVHeads      int
	HeadDim             int
	Scale               float64 // multiplies q·k: 1/√dh for most models, 1 for GPT-Neo
	Window              int     // when > 0, a query at t sees only keys j with t − j < Window
	// Rotary are the rotate-half rotary embedding's inverse frequencies (nil for none). It turns
	// the first 2·len(Rotary) dimensions of each head and leaves the rest as they are: fewer
	// than HeadDim/2 frequencies is GPT-NeoX's partial rotary embedding (rotary_pct).
	Rotary []float64
	// QNorm and KNorm normalise each head's queries and keys over HeadDim before the rotary
	// embedding (Qwen3, Gemma 3); nil for none.
	QNorm, KNorm *Norm
	// SoftCap, when > 0, caps the scaled scores as c·tanh(s/c) before the mask (Gemma 2).
	SoftCap float64
}

// FeedForward is Down(act(Up(h))), or Down(act(Gate(h))·Up(h)) when Gate is set (SwiGLU). Its
// FFN neurons (what Ecco captures and edits touch) are the input of Down.
type FeedForward struct {
	Gate, Up, Down string // Linear prefixes
	Act            string // HuggingFace's activation name (Activation)
}
