package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/ecco/tokenizer"
)

// familyPresets are the LLaMA-family shapes `ecco testmodel -family` writes: the config.json
// keys of the hub models they copy (weights random; vocab_size grows to the tokenizer's).
var familyPresets = map[string]map[string]any{
	"smollm-135m": {
		"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": 576, "intermediate_size": 1536,
		"num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3, "max_position_embeddings": 2048,
		"vocab_size": 49152, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": true, "hidden_act": "silu",
	},
	"qwen2.5-0.5b": {
		"model_type": "qwen2", "architectures": []string{"Qwen2ForCausalLM"}, "hidden_size": 896, "intermediate_size": 4864,
		"num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "max_position_embeddings": 32768,
		"vocab_size": 151936, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": true, "hidden_act": "silu",
		"use_sliding_window": false, "sliding_window": 32768, "max_window_layers": 21,
	},
	"tinyllama-1.1b": {
		"model_type": "llama", "architectures": []string{"LlamaForCausalLM"}, "hidden_size": 2048, "intermediate_size": 5632,
		"num_hidden_layers": 22, "num_attention_heads": 32, "num_key_value_heads": 4, "max_position_embeddings": 2048,
		"vocab_size": 32000, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false, "hidden_act": "silu",
	},
}

// familyNames lists -family's values.
func familyNames() []string {
	return append([]string{"gpt2"}, slices.Sorted(maps.Keys(familyPresets))...)
}

// checkFamily validates -family.
func checkFamily(name string) error {
	if name == "gpt2" || familyPresets[name] != nil {
		return nil
	}
	return usageErrorf("-family %q: want one of %s", name, strings.Join(familyNames(), ", "))
}

// familyModel is a preset's config, with vocab_size and eos_token_id from the tokenizer, and
// its tensors: matrices and embeddings normal(0, 0.02), RMSNorm weights 1, biases 0.
func familyModel(t *testModelFlags, tok *tokenizer.Tokenizer) (map[string]any, []safetensors.Tensor, error) {
	config := maps.Clone(familyPresets[t.family])
	config["vocab_size"] = max(config["vocab_size"].(int), tok.VocabSize())
	config["torch_dtype"] = torchDtypes[t.dtype]
	if id := tok.EndOfText(); id >= 0 {
		config["bos_token_id"], config["eos_token_id"] = id, id
	}
	data, err := json.Marshal(config)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := llama.ParseConfig(data)
	if err != nil {
		return nil, nil, fmt.Errorf("-family %s: %w", t.family, err)
	}
	want := cfg.Spec().Want
	var count int64
	for _, shape := range want {
		n := int64(1)
		for _, d := range shape {
			n *= int64(d)
		}
		count += n
	}
	if count > maxParameters {
		return nil, nil, usageErrorf("-family %s has %d parameters, more than the %d this command writes", t.family, count, int64(maxParameters))
	}
	var specs []tensorSpec
	for _, name := range slices.Sorted(maps.Keys(want)) {
		fill := func(name string, data []float32) { fillNormal(data, initStd, t.seed, name) }
		switch {
		case strings.HasSuffix(name, "norm.weight"):
			fill = func(_ string, data []float32) {
				for i := range data {
					data[i] = 1
				}
			}
		case strings.HasSuffix(name, ".bias"):
			fill = func(string, []float32) {}
		}
		specs = append(specs, tensorSpec{name, want[name], fill})
	}
	return config, makeTensors(specs, ""), nil
}

// writeFamilyConfig writes a preset's config.json and generation_config.json into dir.
func writeFamilyConfig(dir string, config map[string]any) error {
	if err := writeJSONIndented(filepath.Join(dir, "config.json"), config); err != nil {
		return err
	}
	gen := generationConfig{}
	if id, ok := config["eos_token_id"].(int); ok {
		gen.BOSTokenID, gen.EOSTokenID = &id, &id
	}
	return writeJSONIndented(filepath.Join(dir, "generation_config.json"), gen)
}
