// Package family is the contract between package ecco and the model families (gpt2, gptneo,
// llama): one small interface, Model, and the plain types it exchanges. Package ecco sees a
// model only through it, so explaining a Llama is the same code as explaining GPT-2.
//
// # Conventions
//
// Every family returns HuggingFace's hidden_states (L+1 entries: the embeddings with whatever
// the model adds before block 0, the output of blocks 0..L-2, then the final norm of block
// L-1's output) and, as "FFN neurons", the input of the block's FFN output projection (Info.Capture):
// what Ecco captures for that model type. Token embeddings are the rows of the input embedding
// matrix only: position embeddings, where a family has them, are added inside the model, as
// Ecco's attributions assume.
package family

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is a causal language model of some family, on a GoMLX backend. Implementations are safe
// for concurrent use.
type Model interface {
	// Info describes the architecture in family-agnostic terms.
	Info() Info
	// Backend is the GoMLX backend the weights live on.
	Backend() compute.Backend
	// Step runs the new token ids after the cached positions (cache nil: from position 0) and
	// returns the asked logits, the extended cache and, when asked, hidden states and FFN neurons.
	Step(ids []int, cache *Cache, opts StepOptions) (*StepOutput, error)
	// Embeddings returns the token-embedding rows of ids as a flat [T, D] buffer.
	Embeddings(ids []int) ([]float32, error)
	// EmbeddingGradients differentiates, for a flat [B, T, D] batch of embedding sequences and
	// each target j, F_jb = softmax(logits_b at targets[j].Position)[targets[j].ID]. It returns
	// F [k][B] and, per target, Σ_b coef[b]·∂F_jb/∂embeds_b as a flat [T, D] buffer.
	EmbeddingGradients(embeds []float32, batch int, targets []Target, coef []float32) (probs, grads [][]float32, err error)
	// LMHead maps hidden states [K][D] to logits [K][V], after the family's final norm when
	// norm is true (the classic logit lens below the last layer).
	LMHead(states [][]float32, norm bool) ([][]float32, error)
}

// Info is what package ecco needs to know about an architecture.
type Info struct {
	ModelType string // config.json's model_type: "gpt2", "gpt_neo", "llama", "mistral", "qwen2"
	Layers    int    // L, transformer blocks
	Width     int    // D, the residual width (and the width of token embeddings)
	Heads     int    // attention (query) heads
	KVHeads   int    // key/value heads: Heads unless grouped-query attention
	Neurons   int    // N, FFN neurons captured per layer
	Vocab     int    // V, rows of the LM head
	Positions int    // the longest sequence the model takes
	EOS       []int  // end-of-sequence ids (empty: none)
	Capture   string // the module whose input the FFN neurons are, e.g. "mlp.c_proj"
	FinalNorm string // the final norm's module, e.g. "ln_f" or "model.norm"
}

// Target is one probability to differentiate: F = softmax(logits at Position)[ID].
type Target struct{ Position, ID int }

// StepOptions says what a Step returns beside the cache.
type StepOptions struct {
	LogitsAt []int // indices into the new tokens whose LM-head logits to compute; nil: the last one
	Hidden   bool  // return hidden states of the new positions
	FFN      bool  // return FFN neuron activations of the new positions
	// Attention returns the attention probabilities of the new positions' queries over every
	// key (cached and new).
	Attention bool
}

// StepOutput is what one Step computed for its new positions.
type StepOutput struct {
	Logits [][]float32   // [len(LogitsAt)][V]
	Hidden [][][]float32 // [L+1][T][D]: HuggingFace's hidden_states, when asked
	FFN    [][][]float32 // [L][T][N]: the captured FFN neurons, when asked
	// Attention is [L][H][T][S] when asked: softmax over the S = cached + T keys, 0 where masked.
	Attention [][][][]float32
	Cache     *Cache // the cache extended by the new positions
}

// Cache holds what a family keeps of the positions run so far (batch 1): for the families here,
// each layer's keys then values. Only the family that made it reads KV.
type Cache struct {
	KV  []*tensors.Tensor
	Len int // positions cached
}
