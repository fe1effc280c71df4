package family

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// Seq2Seq is an encoder–decoder language model (T5, BART, Pegasus): the encoder reads the whole
// source once; the decoder generates from its start token with a KV cache of its own positions
// and cross-attends to the encoder's output, whose keys and values are projected once per
// source. Info describes the decoder stack (Layers, Neurons, Positions of the decoder; Capture
// names the decoder's capture module); EncoderInfo the encoder stack. Implementations are safe
// for concurrent use.
type Seq2Seq interface {
	Info() Info
	EncoderInfo() Info
	Backend() compute.Backend
	// DecoderStart is the id the decoder starts from (generation_config's
	// decoder_start_token_id, falling back to the model config's, then to bos).
	DecoderStart() int
	// Encode runs the encoder over the source ids. opts.Hidden and opts.FFN ask for the
	// encoder's hidden states [L_enc+1][n][D] and FFN neurons [L_enc][n][N_enc] in the returned
	// StepOutput (its Logits and Cache are nil). The Encoded is what Step cross-attends to.
	Encode(ids []int, opts StepOptions) (*Encoded, *StepOutput, error)
	// Step runs the new decoder ids after the cached decoder positions (cache nil: from the
	// start), cross-attending to enc, as Model.Step does for a causal model (hidden states and
	// FFN neurons are the decoder's; Attention, when asked, the decoder's self-attention).
	Step(enc *Encoded, ids []int, cache *Cache, opts StepOptions) (*StepOutput, error)
	// Embeddings returns the shared token-embedding rows of ids as a flat [T, D] buffer: the
	// attribution inputs of both stacks (Ecco's `embedding` = the shared matrix).
	Embeddings(ids []int) ([]float32, error)
	// EmbeddingGradients differentiates, for a batch of B (encoder, decoder) embedding pairs
	// (flat [B, n, D] and [B, m, D]) and each target j,
	// F_jb = softmax(decoder logits_b at targets[j].Position)[targets[j].ID], where Position
	// indexes the m decoder inputs. It returns F [k][B] and, per target,
	// Σ_b coef[b]·∂F_jb/∂encoder_b ([n, D] flat) and Σ_b coef[b]·∂F_jb/∂decoder_b ([m, D] flat).
	// The embeddings enter the model where the ids' rows would (any embedding scale the model
	// applies to ids is applied to them too).
	EmbeddingGradients(enc, dec []float32, batch int, targets []Target, coef []float32) (probs [][]float32, encGrads, decGrads [][]float32, err error)
	// LMHead maps decoder hidden states [K][D] to logits [K][V] as Ecco's rankings and
	// layer_predictions do: the LM head alone (no T5 d_model^-0.5 rescale, no BART
	// final_logits_bias), after the decoder's final norm when norm is true.
	LMHead(states [][]float32, norm bool) ([][]float32, error)
}

// Encoded is a source run through an encoder: its output states, kept on the backend for the
// decoder's cross-attention. Only the model that made it reads it.
type Encoded struct {
	Len    int               // n, source positions
	States *tensors.Tensor   // [1, n, D]: the encoder's last output (after its final norm)
	Cross  []*tensors.Tensor // per decoder layer, its cross-attention keys then values (optional)
}
