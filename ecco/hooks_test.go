package ecco

import (
	"reflect"
	"testing"
)

func TestHooks(t *testing.T) {
	out := generateTiny(t, "Hello, my dog is cute", 3)
	if got := MLPPost(1).String(); got != "blocks.1.mlp.hook_post" {
		t.Errorf("name %q", got)
	}
	if !reflect.DeepEqual(out.Hooks(), []Hook{MLPPost(0), MLPPost(1)}) {
		t.Errorf("hooks %v", out.Hooks())
	}
	acts, err := out.Captured(MLPPost(1))
	if err != nil || !reflect.DeepEqual(acts, out.Activations[1]) {
		t.Errorf("Captured(blocks.1.mlp.hook_post): %v", err)
	}
	if _, err := out.Captured(MLPPost(2)); err == nil {
		t.Error("a layer the model lacks: no error")
	}
	if _, err := out.Captured(Hook{Layer: 0, Point: "attn.hook_pattern"}); err == nil {
		t.Error("a point never captured: no error")
	}
}
