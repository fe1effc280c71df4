package bert

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Arch is what distinguishes one encoder family from another: every family here is BERT's
// post-LN encoder (embeddings, their layer norm, L blocks of attention and FFN each closed by
// LayerNorm(x + sublayer(x)), an MLM head tied to the word embeddings); an Arch states the
// differences as data: tensor names, config keys, the position offset, whether an embedding
// projection exists and whether layers share their weights. One runtime (graph.go) reads it.
type Arch struct {
	ModelType string // config.json's model_type
	Prefix    string // the encoder's prefix in ...ForMaskedLM checkpoints ("bert."); bare models have none

	Keys configKeys // config.json's names for the shared quantities

	// Embeddings: word [V, E], position [P, E], token type [types, E] ("": none) and their norm.
	Word, Position, TokenType, EmbedNorm string
	// Projection is the E → D linear after the embedding norm ("": none): ALBERT always has it,
	// ELECTRA when embedding_size differs from hidden_size.
	Projection string

	// Layer is the prefix of block i's weights, with %d the index of the weights it applies
	// (i itself, except ALBERT's shared groups). The rest are relative to it.
	Layer                                string
	Query, Key, Value, AttnOut, AttnNorm string
	FFNIn, FFNOut, FFNNorm               string
	Head                                 *HeadNames // nil: the family has no MLM head here
	Ignore                               []string   // name prefixes accepted and not read (after Prefix)
	EccoActivations                      string     // Ecco's capture regex for the family (model-config.yaml)
}

// HeadNames are an MLM head's tensors: transform dense [E, D], its layer norm [E], the output
// bias [V]; the decoder weight is the word-embedding matrix.
type HeadNames struct {
	Dense, Norm, Bias string
	Activation        string // "": the config's activation; RoBERTa's head is always erf GELU
}

// configKeys are a family's config.json keys; "" means the family has no such key.
type configKeys struct {
	Layers, Width, Heads, Inner, Activation string
	DefaultActivation                       string
	Eps                                     string  // "": eps is fixed at FixedEps
	FixedEps                                float64 // eps when Eps is "" (DistilBERT), else Eps's default
	TypeVocab, EmbedWidth, PosType          string
	PadOffset                               bool // positions start at pad_token_id + 1 (RoBERTa)
	Groups                                  bool // num_hidden_groups, inner_group_num (ALBERT)
}

// bertLayer is BERT's block naming, shared by RoBERTa and ELECTRA.
func bertLayer(a Arch) Arch {
	a.Layer = "encoder.layer.%d."
	a.Query, a.Key, a.Value = "attention.self.query.", "attention.self.key.", "attention.self.value."
	a.AttnOut, a.AttnNorm = "attention.output.dense.", "attention.output.LayerNorm."
	a.FFNIn, a.FFNOut, a.FFNNorm = "intermediate.dense.", "output.dense.", "output.LayerNorm."
	a.Word, a.Position = "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight"
	a.TokenType, a.EmbedNorm = "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm."
	return a
}

var bertKeys = configKeys{Layers: "num_hidden_layers", Width: "hidden_size", Heads: "num_attention_heads",
	Inner: "intermediate_size", Activation: "hidden_act", DefaultActivation: "gelu", Eps: "layer_norm_eps", FixedEps: 1e-12,
	TypeVocab: "type_vocab_size", PosType: "position_embedding_type"}

// archs are the supported families by model_type.
var archs = map[string]*Arch{
	"bert": ptr(bertLayer(Arch{ModelType: "bert", Prefix: "bert.", Keys: bertKeys,
		Head:            &HeadNames{Dense: "cls.predictions.transform.dense.", Norm: "cls.predictions.transform.LayerNorm.", Bias: "cls.predictions.bias"},
		Ignore:          []string{"embeddings.position_ids", "pooler.", "cls.seq_relationship.", "cls.predictions.decoder."},
		EccoActivations: `\d+\.output\.dense`})),
	"roberta": ptr(robertaLike("roberta")),
	// XLM-RoBERTa and CamemBERT are RoBERTa's network with a SentencePiece vocabulary; their
	// ...ForMaskedLM checkpoints keep the "roberta." prefix.
	"xlm-roberta": ptr(robertaLike("xlm-roberta")),
	"camembert":   ptr(robertaLike("camembert")),
	"electra": ptr(bertLayer(Arch{ModelType: "electra", Prefix: "electra.", Keys: withEmbedWidth(bertKeys),
		Projection: "embeddings_project.",
		// The discriminator's and generator's heads are accepted and not read: ELECTRA is
		// explained through its activations.
		Ignore:          []string{"embeddings.position_ids", "discriminator_predictions.", "generator_predictions.", "generator_lm_head."},
		EccoActivations: `\d+\.output\.dense`})),
	"distilbert": {ModelType: "distilbert", Prefix: "distilbert.",
		Keys: configKeys{Layers: "n_layers", Width: "dim", Heads: "n_heads", Inner: "hidden_dim", Activation: "activation",
			DefaultActivation: "gelu", FixedEps: 1e-12},
		Word: "embeddings.word_embeddings.weight", Position: "embeddings.position_embeddings.weight", EmbedNorm: "embeddings.LayerNorm.",
		Layer: "transformer.layer.%d.", Query: "attention.q_lin.", Key: "attention.k_lin.", Value: "attention.v_lin.",
		AttnOut: "attention.out_lin.", AttnNorm: "sa_layer_norm.", FFNIn: "ffn.lin1.", FFNOut: "ffn.lin2.", FFNNorm: "output_layer_norm.",
		Head:            &HeadNames{Dense: "vocab_transform.", Norm: "vocab_layer_norm.", Bias: "vocab_projector.bias"},
		Ignore:          []string{"embeddings.position_ids", "vocab_projector.weight"},
		EccoActivations: `ffn\.lin2`},
	"albert": {ModelType: "albert", Prefix: "albert.",
		Keys: func() configKeys {
			k := withEmbedWidth(bertKeys)
			k.DefaultActivation, k.Groups = "gelu_new", true
			return k
		}(),
		Word: "embeddings.word_embeddings.weight", Position: "embeddings.position_embeddings.weight",
		TokenType: "embeddings.token_type_embeddings.weight", EmbedNorm: "embeddings.LayerNorm.",
		Projection: "encoder.embedding_hidden_mapping_in.",
		Layer:      "encoder.albert_layer_groups.%d.albert_layers.0.",
		Query:      "attention.query.", Key: "attention.key.", Value: "attention.value.",
		AttnOut: "attention.dense.", AttnNorm: "attention.LayerNorm.", FFNIn: "ffn.", FFNOut: "ffn_output.", FFNNorm: "full_layer_layer_norm.",
		Head:            &HeadNames{Dense: "predictions.dense.", Norm: "predictions.LayerNorm.", Bias: "predictions.bias"},
		Ignore:          []string{"embeddings.position_ids", "pooler.", "sop_classifier.", "predictions.decoder."},
		EccoActivations: `\.ffn_output`},
}

func ptr(a Arch) *Arch { return &a }

// robertaLike is RoBERTa's layout under modelType.
func robertaLike(modelType string) Arch {
	return bertLayer(Arch{ModelType: modelType, Prefix: "roberta.", Keys: withPadOffset(bertKeys),
		Head:            &HeadNames{Dense: "lm_head.dense.", Norm: "lm_head.layer_norm.", Bias: "lm_head.bias", Activation: "gelu"},
		Ignore:          []string{"embeddings.position_ids", "pooler.", "lm_head.decoder."},
		EccoActivations: `\d+\.output\.dense`})
}

func withPadOffset(k configKeys) configKeys { k.PadOffset = true; return k }

func withEmbedWidth(k configKeys) configKeys { k.EmbedWidth = "embedding_size"; return k }

// ModelTypes lists the supported model_type values, sorted.
func ModelTypes() []string { return slices.Sorted(maps.Keys(archs)) }

// archOf returns the Arch of modelType ("" reads as BERT).
func archOf(modelType string) (*Arch, error) {
	if modelType == "" {
		modelType = ModelType
	}
	a, ok := archs[modelType]
	if !ok {
		return nil, fmt.Errorf("model_type %q is not an encoder this package runs: want one of %q", modelType, ModelTypes())
	}
	return a, nil
}

// CaptureModule is the full name of the module whose input layer i's FFN neurons are, in a bare
// encoder (AutoModel, as Ecco loads it): what Ecco's activation regex is matched against.
func (a *Arch) CaptureModule(c *Config, i int) string {
	return fmt.Sprintf(a.Layer, c.group(i)) + strings.TrimSuffix(a.FFNOut, ".")
}
