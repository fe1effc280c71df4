package family

import (
	"errors"

	"github.com/gomlx/compute"
)

// Encoder is a bidirectional masked language model (BERT, RoBERTa, DistilBERT, ALBERT, ELECTRA):
// every position sees the whole text, so there is no cache and nothing to generate. One forward
// pass gives HuggingFace's hidden_states (L+1 entries: the embeddings after their layer norm and
// projection, then each layer's output),
// the FFN neurons (the input of each layer's FFN output linear, Info.Capture, after the
// activation) and, with the checkpoint's MLM head, the logits at the positions asked. Token
// embeddings are the rows of the word-embedding matrix only, E wide (narrower than Info.Width in
// ALBERT and ELECTRA): position and token-type embeddings, the embedding layer norm and any
// projection are applied inside the model. Implementations are safe for concurrent use.
type Encoder interface {
	// Info describes the architecture (FinalNorm is empty, EOS nil).
	Info() Info
	// Backend is the GoMLX backend the weights live on.
	Backend() compute.Backend
	// HasMLMHead reports whether the checkpoint carries the masked-LM head; without it, MLM
	// logits, gradients and MLMHead fail with ErrNoMLMHead.
	HasMLMHead() bool
	// Forward runs the ids of one text (token type 0 everywhere, no padding). opts.LogitsAt
	// lists the positions whose MLM logits to compute (nil: none); Hidden and FFN are as for a
	// Model's Step. The output's Cache is nil.
	Forward(ids []int, opts StepOptions) (*StepOutput, error)
	// Embeddings returns the word-embedding rows of ids as a flat [T, E] buffer.
	Embeddings(ids []int) ([]float32, error)
	// EmbeddingGradients is Model's, with F_jb = softmax(MLM logits_b at
	// targets[j].Position)[targets[j].ID].
	EmbeddingGradients(embeds []float32, batch int, targets []Target, coef []float32) (probs, grads [][]float32, err error)
	// MLMHead maps hidden states [K][D] through the MLM head to logits [K][V]: the logit lens
	// of an encoder.
	MLMHead(states [][]float32) ([][]float32, error)
}

// ErrNoMLMHead is the error of asking a checkpoint without a masked-LM head (BertModel, an
// ELECTRA discriminator) for predictions.
var ErrNoMLMHead = errors.New("the checkpoint has no masked-language-model head: it was saved as a bare encoder (BertModel, RobertaModel, ...) " +
	"or is an ELECTRA discriminator; load a ...ForMaskedLM checkpoint for predictions")
