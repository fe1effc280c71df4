// Package ecco explains language models, as the Python library Ecco does, on GoMLX: the causal
// GPT-2 and DistilGPT2, GPT-Neo, GPT-NeoX (Pythia), and the LLaMA family (Llama, Mistral, Qwen2;
// SmolLM, TinyLlama, Qwen2.5), each family a package behind family.Model, BERT encoders behind family.Encoder,
// and the encoder–decoders T5 and BART behind family.Seq2Seq (SupportedModelTypes lists them).
//
// Load a model with FromPretrained, generate with LM.Generate (or explain a given continuation
// with LM.Attribute), then read the Output: its attributions, FFN activations, NMF factors and
// logit lens, as Go values or as widgets (package display) in a GoNB notebook.
//
// # Conventions
//
// Token positions count from 0 over the whole sequence: the prompt's NInput tokens, then the
// generated ones. Generated token i sits at position NInput+i and was predicted from position
// NInput+i−1; methods that take a "position" (LayerPredictions, RankingsWatch) want a generated
// position and say which are valid otherwise.
//
// Attributions follow Ecco: entry i scores the NInput+i tokens before generated token i; each
// score is the L2 norm of the token's embedding-sized attribution row divided by the sum over the
// row's tokens, so scores are ≥ 0 and sum to 1. F is the probability (not the logit) of the
// generated token.
//
// Removing a token (Occlusion, faithfulness) replaces its token embedding by a baseline, the zero
// vector unless a token id is given, and leaves its position; every removal of one call runs in
// batched forward passes. Faithfulness (Output.ScoreFaithfulness) ranks a step's tokens by a
// method's scores, highest first, and removes or keeps the top ⌈k·n⌉ of the n tokens.
//
// Activations follow Ecco: the FFN neurons after the nonlinearity (TransformerLens's
// blocks.{i}.mlp.hook_post: the input of mlp.c_proj for GPT-2 and GPT-Neo, of
// mlp.dense_4h_to_h for GPT-NeoX, of mlp.down_proj, silu(gate)·up, for the LLaMA family), laid out [layer][neuron][position] over prompt + generated[:-1]
// (n+G−1 positions: the last generated token is never fed back), unless
// GenerateOptions.AllPositions asks for all n+G. Hidden states are HuggingFace's hidden_states:
// [L+1][position][D], index 0 the embeddings, index L after the final layer norm.
//
// Interventions act at the same neurons: LM.WithEdits returns the model with some of them
// ablated, shifted or pinned (Edit), and its Forward, Generate and Attribute all see the change;
// CompareEdits shows the next-token top-k before and after. Attention probabilities
// (GenerateOptions.Attention, LM.Attention) are [layer][head][query][key] over every token.
//
// Layers count from 0. The logit lens reads layer l from hidden_states[l+1], with Ecco's
// convention (LensEcco: no final layer norm below the last layer) or the classic one (LensLnF).
//
// An Output is data: its exported fields save to JSON (Save, LoadOutput; `ecco generate -json`
// writes the same format, "schema" OutputSchema) and gob. Computing something it lacks (an
// attribution, the logit lens, attention) needs the model: the LM that made it, one given with
// Attach, or, in a notebook, the LM that got it back from the result cache. Its methods are safe
// to call from several goroutines. Encoders (BERT) are not causal: LM.Model is nil, LM.Encoder
// and ForwardEncoder run them, and the causal methods return an error that says so.
//
// Encoder–decoders (T5, BART) generate as Ecco runs them: Generate encodes the prompt once and
// the decoder starts from its start token. TokenIDs are then the NInput source tokens, the start
// token, and the generated ones (Output.EncoderDecoder; generated tokens begin at
// FirstGenerated); attribution entry i scores the source and the decoder inputs start … g(i−1),
// normalised together; Activations, Hidden and the logit lens are the decoder's, over its inputs,
// and EncoderActivations the encoder's, over the source; RunNMF joins the encoder's positions
// and the decoder's as Ecco does (NMFOptions.Stack picks one).
//
// # Notebooks
//
// GoNB runs each cell as a new Go program: a variable declared with := in one cell is gone in
// the next, while package-level declarations (imports, funcs, consts, vars) are kept and re-run
// in every later cell. So declare what later cells use as package variables, in a cell of their
// own (no %%):
//
//	var (
//		lm  = must(ecco.FromPretrained("distilgpt2", ecco.WithActivations()))
//		out = must(lm.Generate(prompt, ecco.GenerateOptions{Tokens: 35}))
//	)
//
// and write the steps in cells that start with %%: `%%` then `must(0, out.Saliency())`. Inside
// a GoNB kernel, FromPretrained turns on the result cache (WithResultCache; it lives in
// $GONB_TMP_DIR/ecco-results, which the kernel removes when it stops): Generate and Attribute
// keep each Output keyed by the model (folder, captured layers, edits), the prompt and the
// options, so the re-run in a later cell returns the same Output at once, attached to that
// cell's lm, with what earlier cells computed on it (attributions, the logit lens, attention)
// written back. A sampled run with Seed 0 therefore keeps its first draw in later cells; pass a
// Seed for another. Outside a notebook nothing is cached or written unless WithResultCache asks.
//
// # Process-wide state
//
// Configuration is read once, where a program starts using ecco: FromPretrained reads
// $ECCO_MODEL (only for an empty name), $GONB_TMP_DIR (the result cache, and a marker file so
// that the fast-path note shows once per kernel session), $GOMLX_BACKEND (NewBackend) and the
// HuggingFace variables (package hub, unless WithHub is given); ReadEnv and FastPath read the
// GOMLX_* variables when called. Views and computations read no environment. What remains
// process-wide is what GoNB's one-program-per-cell model requires: the marker file and the
// result cache in the kernel's temporary folder, and package display's random DOM ids, which
// must differ between cells that run as separate programs.
//
// Errors name the value or file at fault and what was expected; nothing panics on bad input
// except the Must functions, meant for notebooks.
package ecco
