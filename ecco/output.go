package ecco

import (
	"sync"
)

// OutputSchema names the saved Output format (the "schema" field): Output.Save, `ecco generate
// -json` and `ecco forward -json` on encoders all write it, and LoadOutput reads it.
const OutputSchema = "ecco-go/output"

// OutputVersion is the version of the saved Output format (the "version" field). LoadOutput
// reads this version and version 1; the README's changelog lists what changed between them.
const OutputVersion = 2

// Output is what Generate, Attribute and ForwardEncoder produce: the tokens, and whatever was
// captured or computed about them. Its exported fields are the saved format: Save writes them
// as JSON under the names in their tags (the activations as one object, see Activations) and
// gob (GoNB's cache) takes them as they are.
//
// Methods that need the model again (a missing attribution, the logit lens, attention) use the
// LM that made the Output, one given with Attach, or, in a notebook, the LM that returned it
// from the notebook cache (see the package doc). An Output is safe for concurrent use through
// its methods: lazy results are computed once, under a lock. Writing its fields directly while
// other goroutines call its methods is not.
type Output struct {
	Schema  string          `json:"schema"`  // OutputSchema
	Version int             `json:"version"` // OutputVersion
	Model   string          `json:"model"`   // the name or path the LM was loaded from
	Config  ModelConfig     `json:"config"`  // the architecture that produced it
	Options GenerateOptions `json:"options"` // as run: a sampled run records its seed

	TokenIDs []int `json:"token_ids"`      // prompt + generated (encoders: [CLS] … [SEP]; encoder–decoders: source + start + generated)
	NInput   int   `json:"n_input_tokens"` // prompt tokens (encoders: every token; encoder–decoders: the source's)
	// EncoderDecoder marks the Output of an encoder–decoder (T5, BART): TokenIDs[NInput] is the
	// decoder's start token, generated tokens begin at FirstGenerated (see seq2seq.go).
	EncoderDecoder bool     `json:"encoder_decoder,omitempty"`
	Tokens         []string `json:"tokens"`         // display strings: "Ġ" shown as " ", "Ċ" as "\n"
	Partial        []bool   `json:"partial"`        // token continues the previous word (no leading space)
	Text           string   `json:"text"`           // decoded prompt + generated
	GeneratedText  string   `json:"generated_text"` // decoded generated tokens only

	// Attributions by Ecco's method name: entry i scores the FirstGenerated()+i tokens before
	// generated token i (each ≥ 0, summing to 1).
	Attributions map[string][][]float64 `json:"attributions,omitempty"`
	// Faithfulness holds the comprehensiveness and sufficiency of attribution methods
	// (ScoreFaithfulness, `ecco generate -faithfulness`).
	Faithfulness *Faithfulness `json:"faithfulness,omitempty"`
	// Contrastive holds contrastive attributions of the generated tokens against a foil
	// (ContrastFoil, `ecco generate -contrast`).
	Contrastive *Contrastive `json:"contrastive,omitempty"`
	// IGCompleteness is, per generated token, |Σ raw integrated-gradients attributions −
	// (F(E) − F(0))|: how far the quadrature is from exact. Ecco never reports it.
	IGCompleteness []float64 `json:"ig_completeness_error,omitempty"`

	// ActivationLayers are the layers whose FFN neurons were captured; Activations holds them as
	// [len(ActivationLayers)][neuron][position]. Positions follow Ecco: prompt + generated[:-1],
	// unless Options.AllPositions asked for every token. In JSON both are one object,
	// "activations": {"shape": [layers, neurons, positions], "layers": [...], "values": [...]}.
	// An encoder–decoder's are its decoder's, over the decoder inputs start + generated[:-1];
	// its encoder's are EncoderActivationLayers and EncoderActivations, over the source tokens.
	// In JSON they are then "activations": {"encoder": {...}, "decoder": {...}}, each object as
	// above (Ecco's activations['encoder'] and ['decoder']).
	ActivationLayers        []int         `json:"-"`
	Activations             [][][]float32 `json:"-"`
	EncoderActivationLayers []int         `json:"-"`
	EncoderActivations      [][][]float32 `json:"-"`

	// Hidden is HuggingFace's hidden_states over the same positions: [L+1][position][D], index 0
	// the embeddings and index L after the final layer norm. The logit lens reads it. An
	// encoder–decoder's are its decoder's, from its start token on.
	Hidden [][][]float32 `json:"hidden_states,omitempty"`

	// Lens holds the logit lens of the generated tokens by convention ("ecco", "ln_f"), computed
	// by LensData, Rankings and LayerPredictions (or `ecco generate -rankings`), so that the
	// views work from a saved Output without the model.
	Lens map[string]*LensData `json:"lens,omitempty"`
	// LogitLens is the lens over every position of the sequence (`ecco generate -logit-lens`;
	// LM.LogitLens computes it).
	LogitLens *LensGrid `json:"logit_lens,omitempty"`
	// Predictions are each layer's top-k at every generated position (`ecco generate
	// -layer-predictions K`; Output.AllLayerPredictions computes them).
	Predictions []PositionPredictions `json:"layer_predictions,omitempty"`
	// NMF is a factorisation of the activations with each factor's top neurons (`ecco generate
	// -nmf K`; NeuronFactors.Summary computes it).
	NMF *NMFSummary `json:"nmf,omitempty"`
	// Masked holds, for an encoder's text, the MLM head's top-k at each [MASK] and the
	// attributions of its top prediction (`ecco forward -mask-top K`; Output.MaskResults).
	Masked []MaskResult `json:"masked,omitempty"`

	// Edits are the neuron edits the model ran with (LM.WithEdits).
	Edits []Edit `json:"edits,omitempty"`
	// Attention is [L][H][T][T] over every token (GenerateOptions.Attention): the attention
	// probabilities of one forward pass over prompt + generated tokens.
	Attention [][][][]float32 `json:"attention,omitempty"`

	mu    sync.Mutex // guards lm, store and the lazily filled fields above
	lazy  sync.Mutex // held while one lazy result is computed, so each is computed once
	lm    *LM
	store *storeEntry // the notebook cache entry this Output is kept in, if any
}

// ModelConfig is the architecture an Output came from.
type ModelConfig struct {
	ModelType string `json:"model_type,omitempty"` // config.json's model_type: "gpt2", "llama", ...
	NLayer    int    `json:"n_layer"`              // of an encoder–decoder, the decoder's
	// NEncoderLayer is an encoder–decoder's encoder layers (0 for the other models).
	NEncoderLayer int `json:"n_encoder_layer,omitempty"`
	NEmbd         int `json:"n_embd"`
	NHead         int `json:"n_head"`
	NInner        int `json:"n_inner"`
	VocabSize     int `json:"vocab_size"`
}

// NGenerated is the number of generated tokens.
func (o *Output) NGenerated() int { return len(o.TokenIDs) - o.FirstGenerated() }

// GeneratedIDs are the ids after the prompt (and an encoder–decoder's start token).
func (o *Output) GeneratedIDs() []int { return o.TokenIDs[o.FirstGenerated():] }

// Attach gives the Output the model to compute what it lacks (a loaded Output has none).
func (o *Output) Attach(lm *LM) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lm = lm
}

// model is the attached LM, or nil.
func (o *Output) model() *LM {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.lm
}

// newOutput fills the token fields from ids.
func (lm *LM) newOutput(ids []int, nInput int, opts GenerateOptions) *Output {
	c := lm.Info()
	o := &Output{
		Schema:        OutputSchema,
		Version:       OutputVersion,
		Model:         lm.Name,
		Config:        ModelConfig{ModelType: c.ModelType, NLayer: c.Layers, NEmbd: c.Width, NHead: c.Heads, NInner: c.Neurons, VocabSize: c.Vocab},
		Options:       opts,
		TokenIDs:      ids,
		NInput:        nInput,
		Text:          lm.Tokenizer.Decode(ids),
		GeneratedText: lm.Tokenizer.Decode(ids[nInput:]),
		Edits:         lm.Edits(),
		lm:            lm,
	}
	for _, t := range lm.displayTokens(ids) {
		o.Tokens = append(o.Tokens, t.Text)
		o.Partial = append(o.Partial, t.Partial)
	}
	return o
}
