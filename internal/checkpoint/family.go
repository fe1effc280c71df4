package checkpoint

import (
	"maps"
	"slices"
	"strings"
)

// familyPresets are the hub shapes `ecco testmodel -family` writes (the LLaMA family, Gemma
// and GPT-NeoX): the config.json keys of the hub models they copy.
var familyPresets = map[string]map[string]any{
	"smollm-135m": {
		"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": 576, "intermediate_size": 1536,
		"num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3, "max_position_embeddings": 2048,
		"vocab_size": 49152, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": true, "hidden_act": "silu",
	},
	"llama-3.2-1b": {
		"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": 2048, "intermediate_size": 8192,
		"num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64,
		"max_position_embeddings": 131072, "vocab_size": 128256, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
		"rope_scaling": map[string]any{
			"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
			"original_max_position_embeddings": 8192,
		},
		"tie_word_embeddings": true, "hidden_act": "silu", "attention_bias": false, "mlp_bias": false,
	},
	"qwen2.5-0.5b": {
		"model_type": "qwen2", "architectures": []string{"Qwen2ForCausalLM"}, "hidden_size": 896, "intermediate_size": 4864,
		"num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "max_position_embeddings": 32768,
		"vocab_size": 151936, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": true, "hidden_act": "silu",
		"use_sliding_window": false, "sliding_window": 32768, "max_window_layers": 21,
	},
	"qwen3-0.6b": {
		"model_type": "qwen3", "architectures": []string{"Qwen3ForCausalLM"}, "hidden_size": 1024, "intermediate_size": 3072,
		"num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8, "head_dim": 128,
		"max_position_embeddings": 40960, "vocab_size": 151936, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
		"tie_word_embeddings": true, "hidden_act": "silu", "attention_bias": false, "use_sliding_window": false,
		"sliding_window": nil, "max_window_layers": 28,
	},
	"gemma3-1b": {
		"model_type": "gemma3_text", "architectures": []string{"Gemma3ForCausalLM"}, "hidden_size": 1152,
		"intermediate_size": 6912, "num_hidden_layers": 26, "num_attention_heads": 4, "num_key_value_heads": 1,
		"head_dim": 256, "query_pre_attn_scalar": 256, "sliding_window": 512, "sliding_window_pattern": 6,
		"rope_local_base_freq": 10000.0, "rope_theta": 1000000.0, "rope_scaling": nil, "max_position_embeddings": 32768,
		"vocab_size": 262144, "rms_norm_eps": 1e-6, "hidden_activation": "gelu_pytorch_tanh",
		"attn_logit_softcapping": nil, "final_logit_softcapping": nil,
	},
	"tinyllama-1.1b": {
		"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": 2048, "intermediate_size": 5632,
		"num_hidden_layers": 22, "num_attention_heads": 32, "num_key_value_heads": 4, "max_position_embeddings": 2048,
		"vocab_size": 32000, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false, "hidden_act": "silu",
	},
	// Pythia's vocab_size 50304 is its tokenizer's 50277 padded; GPT-2's 50257 fits under it.
	"pythia-160m": {
		"model_type": "gpt_neox", "architectures": []string{"GPTNeoXForCausalLM"}, "hidden_size": 768, "intermediate_size": 3072,
		"num_hidden_layers": 12, "num_attention_heads": 12, "max_position_embeddings": 2048, "vocab_size": 50304,
		"rotary_pct": 0.25, "rotary_emb_base": 10000, "use_parallel_residual": true, "layer_norm_eps": 1e-5,
		"tie_word_embeddings": false, "hidden_act": "gelu",
	},
	"pythia-1b": {
		"model_type": "gpt_neox", "architectures": []string{"GPTNeoXForCausalLM"}, "hidden_size": 2048, "intermediate_size": 8192,
		"num_hidden_layers": 16, "num_attention_heads": 8, "max_position_embeddings": 2048, "vocab_size": 50304,
		"rotary_pct": 0.25, "rotary_emb_base": 10000, "use_parallel_residual": true, "layer_norm_eps": 1e-5,
		"tie_word_embeddings": false, "hidden_act": "gelu",
	},
	// The encoder–decoder shapes: T5 v1.0's t5-small (tied head) and facebook/bart-base.
	"t5-small": {
		"model_type": "t5", "architectures": []string{"T5ForConditionalGeneration"}, "d_model": 512, "d_kv": 64,
		"num_heads": 8, "d_ff": 2048, "num_layers": 6, "num_decoder_layers": 6, "vocab_size": 32128,
		"feed_forward_proj": "relu", "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128,
		"layer_norm_epsilon": 1e-6, "decoder_start_token_id": 0, "pad_token_id": 0, "n_positions": 512,
	},
	"bart-base": {
		"model_type": "bart", "architectures": []string{"BartForConditionalGeneration"}, "d_model": 768,
		"encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 12, "decoder_attention_heads": 12,
		"encoder_ffn_dim": 3072, "decoder_ffn_dim": 3072, "max_position_embeddings": 1024, "vocab_size": 50265,
		"activation_function": "gelu", "scale_embedding": false, "decoder_start_token_id": 2, "pad_token_id": 1,
		"forced_eos_token_id": nil,
	},
}

// FamilyDTypes are the storage types the presets' hub models ship in, written unless -dtype
// says otherwise: Qwen2.5, Qwen3 and Gemma 3 are published in BF16, Pythia in F16.
var FamilyDTypes = map[string]string{"qwen2.5-0.5b": "BF16", "qwen3-0.6b": "BF16", "gemma3-1b": "BF16", "pythia-160m": "F16", "pythia-1b": "F16"}

// Families lists the presets' names, sorted.
func Families() []string { return slices.Sorted(maps.Keys(familyPresets)) }

// FamilyOptions adapt a preset to the tokenizer and the benchmark at hand.
type FamilyOptions struct {
	Vocab     int    // the tokenizer's vocabulary; vocab_size is the hub model's or this, the larger
	VocabSize int    // vocab_size itself, when > 0 (at least Vocab): e.g. GPT-2's 50257 for any preset
	EOS       int    // the tokenizer's end-of-text id, or -1
	DType     string // F32, F16 or BF16, recorded as torch_dtype
	KVHeads   int    // num_key_value_heads; 0 keeps the hub model's (LLaMA family only)
}

// FamilyConfig is a preset's config.json keys adapted by o, or nil for an unknown name.
func FamilyConfig(name string, o FamilyOptions) map[string]any {
	preset := familyPresets[name]
	if preset == nil {
		return nil
	}
	config := maps.Clone(preset)
	config["vocab_size"] = max(config["vocab_size"].(int), o.Vocab)
	if o.VocabSize > 0 {
		config["vocab_size"] = max(o.VocabSize, o.Vocab)
	}
	config["torch_dtype"] = TorchDtypes[o.DType]
	if o.EOS >= 0 {
		config["bos_token_id"], config["eos_token_id"] = o.EOS, o.EOS
	}
	if o.KVHeads > 0 {
		config["num_key_value_heads"] = o.KVHeads
	}
	return config
}

// FamilyFiles are config.json and generation_config.json of a preset's config.
func FamilyFiles(config map[string]any) (map[string][]byte, error) {
	data, err := indented(config)
	if err != nil {
		return nil, err
	}
	eos, ok := config["eos_token_id"].(int)
	if !ok {
		eos = -1
	}
	gen, err := generationConfig(eos)
	return map[string][]byte{"config.json": data, "generation_config.json": gen}, err
}

// FamilyTensors are the tensors of a preset's model given their shapes (the family's
// Spec().Want): matrices and embeddings normal(0, 0.02), norm scales 1 (Gemma stores the offset
// from 1: 0), biases 0 (BART's final_logits_bias too).
func FamilyTensors(want map[string][]int, offsetNorms bool) []Tensor {
	var out []Tensor
	for _, name := range slices.Sorted(maps.Keys(want)) {
		init := Init{Std: InitStd, Stream: name}
		switch {
		case strings.HasSuffix(name, "norm.weight") && offsetNorms:
			init = Init{}
		case strings.HasSuffix(name, "norm.weight") || strings.HasSuffix(name, "layernorm_embedding.weight"):
			init = Init{Mean: 1}
		case strings.HasSuffix(name, ".bias") || name == "final_logits_bias":
			init = Init{}
		}
		out = append(out, Tensor{Name: name, Shape: want[name], Init: init})
	}
	return out
}
