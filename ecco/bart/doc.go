// Package bart loads HuggingFace BART checkpoints (BartForConditionalGeneration:
// facebook/bart-*, bart-large-mnli's body) and the variants that differ from it only by
// configuration switches, mBART and Pegasus, as a family.Seq2Seq on GoMLX, through package
// seq2seq.
//
// BART as transformers computes it: each stack embeds x = shared[ids]·embed_scale (√D with
// scale_embedding, else 1) plus learned positions read from row p + 2 of its own table, then
// layernorm_embedding; blocks are post-norm, x = LN(x + sublayer(x)), with biased projections,
// queries scaled by head_dim^-0.5 and an exact-GELU feed-forward fc2(act(fc1 x)); the logits are
// the decoder's output times the shared matrix plus final_logits_bias. mBART makes the blocks
// pre-norm and ends each stack with layer_norm; Pegasus does the same, drops
// layernorm_embedding and uses a fixed sinusoidal table from position 0. The FFN neurons are
// fc2's input, not fc1's input that Ecco's shipped configuration captures (REFERENCE-encdec.md,
// "Ecco's two BART bugs"). Ecco's rankings read the head without final_logits_bias (LMHead).
package bart
