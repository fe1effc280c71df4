package ecco

// OutputVersion is the version of the saved Output format (the "version" field).
const OutputVersion = 1

// Output is what Generate, Attribute and Forward produce: the tokens, and whatever was captured
// or computed about them. Every field is exported and plain data, so an Output saves to JSON
// (Save, LoadOutput) and to gob (GoNB's cache package) without its model; methods that need the
// model again (computing a missing attribution, the logit lens) use the LM that made it, or one
// given with Attach.
type Output struct {
	Version int             `json:"version"`
	Model   string          `json:"model"`  // the name or path the LM was loaded from
	Config  ModelConfig     `json:"config"` // the architecture that produced it
	Options GenerateOptions `json:"options"`

	TokenIDs []int    `json:"token_ids"`      // prompt + generated
	NInput   int      `json:"n_input_tokens"` // prompt tokens
	Tokens   []string `json:"tokens"`         // display strings: "Ġ" shown as " ", "Ċ" as "\n"
	Partial  []bool   `json:"partial"`        // token continues the previous word (no leading space)
	Text     string   `json:"text"`           // decoded prompt + generated

	// Attributions by Ecco's method name: entry i scores the NInput+i tokens before generated
	// token i (each ≥ 0, summing to 1).
	Attributions map[string][][]float64 `json:"attributions,omitempty"`
	// IGCompleteness is, per generated token, |Σ raw integrated-gradients attributions −
	// (F(E) − F(0))|: how far the 50-step quadrature is from exact. Ecco never reports it.
	IGCompleteness []float64 `json:"ig_completeness_error,omitempty"`

	// ActivationLayers are the layers whose FFN neurons were captured; Activations holds them as
	// [len(ActivationLayers)][neuron][position]. Positions follow Ecco: prompt + generated[:-1],
	// unless Options.AllPositions asked for every token.
	ActivationLayers []int         `json:"activation_layers,omitempty"`
	Activations      [][][]float32 `json:"activations,omitempty"`

	// Hidden is HuggingFace's hidden_states over the same positions: [L+1][position][D], index 0
	// the embeddings and index L after the final layer norm. The logit lens reads it.
	Hidden [][][]float32 `json:"hidden_states,omitempty"`

	// Lens caches logit-lens results so that views work from a saved Output.
	Lens map[string]*LensData `json:"logit_lens,omitempty"`

	// Edits are the neuron edits the model ran with (LM.WithEdits).
	Edits []Edit `json:"edits,omitempty"`
	// Attention is [L][H][T][T] over every token (GenerateOptions.Attention): the attention
	// probabilities of one forward pass over prompt + generated tokens.
	Attention [][][][]float32 `json:"attention,omitempty"`

	lm       *LM
	progress ProgressFunc // Generate's hooks (live view, Options.Progress) while it attributes
}

// ModelConfig is the architecture an Output came from.
type ModelConfig struct {
	ModelType string `json:"model_type,omitempty"` // config.json's model_type: "gpt2", "llama", ...
	NLayer    int    `json:"n_layer"`
	NEmbd     int    `json:"n_embd"`
	NHead     int    `json:"n_head"`
	NInner    int    `json:"n_inner"`
	VocabSize int    `json:"vocab_size"`
}

// NGenerated is the number of generated tokens.
func (o *Output) NGenerated() int { return len(o.TokenIDs) - o.NInput }

// GeneratedIDs are the ids after the prompt.
func (o *Output) GeneratedIDs() []int { return o.TokenIDs[o.NInput:] }

// Attach gives a loaded Output the model to compute what it lacks.
func (o *Output) Attach(lm *LM) { o.lm = lm }

// newOutput fills the token fields from ids.
func (lm *LM) newOutput(ids []int, nInput int, opts GenerateOptions) *Output {
	c := lm.Model.Info()
	o := &Output{
		Version:  OutputVersion,
		Model:    lm.Name,
		Config:   ModelConfig{ModelType: c.ModelType, NLayer: c.Layers, NEmbd: c.Width, NHead: c.Heads, NInner: c.Neurons, VocabSize: c.Vocab},
		Options:  opts,
		TokenIDs: ids,
		NInput:   nInput,
		Text:     lm.Tokenizer.Decode(ids),
		Edits:    lm.Edits(),
		lm:       lm,
	}
	for _, t := range lm.displayTokens(ids) {
		o.Tokens = append(o.Tokens, t.Text)
		o.Partial = append(o.Partial, t.Partial)
	}
	return o
}
