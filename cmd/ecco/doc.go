// Command ecco runs and explains language models (causal, encoders, encoder–decoders) from the shell: it is a thin layer
// over the ecco package, also used by the project's end-to-end tests.
//
//	ecco generate  -model M -prompt TEXT -n N [-json FILE] [-html FILE] [analysis flags]
//	ecco forward   -model M -prompt TEXT [-json FILE] [-ablate L:n1,n2] [-add L:n=V] [-set L:n=V]
//	ecco tokenize  -model M -prompt TEXT [-json FILE]
//	ecco testmodel -out DIR -vocab-from DIR [-family F [-kv-heads N] | shape flags] [-dtype F32|F16|BF16] [-no-prefix]
//	ecco bench     -model M [-prompt TEXT] [-n 35] [-repeat 3] [-ig-tokens 10] [-json FILE]
//	ecco batch     -model M -in FILE.jsonl -out DIR [-n N] [-attribution METHODS] [-activations] [-hidden] [-shard i/n] [-workers K] [-format jsonl|parquet]
//	ecco merge     -out DIR [-in FILE.jsonl] [-format jsonl|parquet] SHARD_DIR...
//	ecco report    DIR [-html FILE] [-json] [-top N] [-factors K] [-max-positions N]
//	ecco env       [-json]
//
// Run "ecco <command> -h" for every flag. -model is a folder or a hub id, as for
// ecco.FromPretrained; without it $ECCO_MODEL is used.
//
// # Conventions
//
// Standard output carries the result (the text, the top next tokens, the tokens, a table);
// JSON files carry the data. JSON files and model folders appear atomically: they are written
// under a temporary name beside their destination and renamed when complete, so a failure
// never leaves a partial file. Every error is one line on standard error, "ecco: <command>:
// <message>", with exit status 2 for a bad command line and 1 for a failure while running;
// flags are checked before a model is loaded.
//
// Standard error also carries what a person watching wants to see. When it is a terminal,
// generate and bench show one progress line, rewritten in place, for generation (tokens k/N),
// attribution and integrated gradients (tokens k/N, rate, time left) and NMF (iterations);
// -quiet turns it off, and redirected output never gets it. A binary built without
// GOEXPERIMENT=simd says so in one "ecco: note:" line, with the command that turns the fast
// matrix products on, from each command that runs a model. "ecco env" prints the build and
// machine for bug reports ("ecco env -json": the fields "ecco bench -json" also records).
// With $ECCO_CPUPROFILE=FILE any command writes a CPU profile of its whole run to FILE, and with
// $ECCO_MEMPROFILE=FILE a heap profile when it ends (live memory as of the last collection), for
// "go tool pprof".
//
// Sampling flags follow HuggingFace on the command line: -top-k 0 turns the top-k filter off
// (in the ecco package, TopK 0 means the default of 50 and a negative value turns it off).
//
// # JSON of ecco generate
//
// -json writes ecco.Output's saved format ("schema": "ecco-go/output", "version"; `go doc
// github.com/ecco-go/ecco/ecco Output` documents every field), the file out.Save writes, so
// ecco.LoadOutput opens it in a notebook or program and its views render from it. Always:
// "model", "config", "options", "token_ids" (prompt + generated), "n_input_tokens", "tokens"
// (display strings), "partial", "text", "generated_text", "hidden_states". With -attribution:
// "attributions" {"<method>": [generated token][prefix token]} under the -attribution names
// (Ecco's, then occlusion, attention_last, attention_rollout, value_zeroing), each row summing
// to 1 except occlusion's signed drops of p, and "ig_completeness_error" when integrated
// gradients ran. With
// -activations: "activations" {"shape": [L, N, P], "layers", "values": [L][N][P]}, P = prompt +
// generated − 1 as in Ecco (all tokens with -all-positions). With -nmf K: "nmf" (factors [K][P],
// top neurons, reconstruction error). With -rankings (and -layer-predictions): "lens"
// {"<convention>": {"rank_of_generated_token", "layer_top1_id", "top_ids", ...}}. With
// -layer-predictions K: "layer_predictions", one entry per generated position. With
// -logit-lens: "logit_lens", the lens at every position (top1 and next_token_rank, [L][T]); it
// also sets the convention of the rankings and layer predictions (default Ecco's). With
// -attention: "attention" [layer][head][query][key], the attention probabilities of one forward
// pass over token_ids. With -contrast FOIL: "contrastive" {"foil", "foil_ids", "methods":
// {"<gradient method>": {"probability", "logit": [step][token]}}, "target_prob", "foil_prob"},
// step i contrasting generated token i with foil token i. With -faithfulness: "faithfulness"
// {"baseline", "fractions", "methods": {"<method>": {"comprehensiveness", "sufficiency":
// [step][k], "aopc_comprehensiveness", "aopc_sufficiency": [step], "mean_aopc_comprehensiveness",
// "mean_aopc_sufficiency"}}}. `ecco forward -json` on an encoder writes the same format, with "masked"
// (each [MASK]'s top-K and attributions) for -mask-top. The README's changelog lists what moved.
//
// On an encoder–decoder (T5, BART, mBART, Pegasus), generate encodes the prompt once and the
// decoder starts from its start token: "token_ids" are the prompt's (encoder) ids, then the start
// token and the generated ids, "n_input_tokens" the encoder's count and "encoder_decoder" true
// (Ecco's layout); attribution vector j holds n + j + 1 scores, the encoder tokens then the
// decoder inputs start … g(j−1) (Ecco's leading zero placeholder is not written); "activations"
// is {"encoder": {...}, "decoder": {...}}, each object as above, the encoder's over the prompt and
// the decoder's over start + generated[:-1]; "nmf" factorises the encoder's positions then the
// decoder's, as Ecco's run_nmf does. forward, -attention, occlusion and the attention methods are
// for causal models.
//
// # Neuron edits
//
// forward and generate take -ablate L:n1,n2 (set layer L's FFN neurons n1, n2 to 0), -add
// L:n1,n2=V and -set L:n1,n2=V, each repeatable and applied in order at every position, at
// the neurons the activations show (the input of the block's FFN output projection). Their
// JSON then holds "edits"; forward's "logits_last" is the edited model's.
package main
