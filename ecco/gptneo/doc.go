// Package gptneo is EleutherAI's GPT-Neo (model type "gpt_neo") written with GoMLX, numerically
// HuggingFace's GPTNeoForCausalLM in float32.
//
// GPT-Neo is GPT-2's block with three differences that change every number: attention scores
// are q·k without the 1/√head_dim scaling, q, k and v have no bias and the weights are nn.Linear
// ([out, in], not Conv1D), and layers alternate between global attention and local attention in
// which a query sees only the last window_size keys (itself included), as attention_layers says.
//
// The captured FFN neurons are the input of mlp.c_proj, act(c_fc(ln_2(x))), as Ecco captures
// them; the logit lens follows GPT-2 (ln_f is the final norm).
package gptneo
