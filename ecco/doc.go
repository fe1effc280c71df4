// Package ecco explains causal language models, as the Python library Ecco does, on GoMLX:
// GPT-2 and DistilGPT2, GPT-Neo, and the LLaMA family (Llama, Mistral, Qwen2; SmolLM, TinyLlama,
// Qwen2.5), each family a package behind family.Model (SupportedModelTypes lists them).
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
// Activations follow Ecco: the FFN neurons after the nonlinearity (TransformerLens's
// blocks.{i}.mlp.hook_post: the input of mlp.c_proj for GPT-2 and GPT-Neo, of mlp.down_proj,
// silu(gate)·up, for the LLaMA family), laid out [layer][neuron][position] over prompt + generated[:-1]
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
// An Output holds only plain data, so it saves to JSON (Save, LoadOutput) and gob; computing
// something it lacks needs the model: the LM that made it, or one given with Attach.
//
// Errors name the value or file at fault and what was expected; nothing panics on bad input
// except the Must functions, meant for notebooks.
package ecco
