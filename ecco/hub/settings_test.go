package hub

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestCacheDirPrecedence(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	vars := []string{"HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"}
	cases := []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"HF_HUB_CACHE": "/a/hub", "HF_HOME": "/b", "XDG_CACHE_HOME": "/c"}, "/a/hub"},
		{map[string]string{"HF_HOME": "/b", "XDG_CACHE_HOME": "/c"}, "/b/hub"},
		{map[string]string{"XDG_CACHE_HOME": "/c"}, "/c/huggingface/hub"},
		{map[string]string{}, filepath.Join(home, ".cache", "huggingface", "hub")},
		{map[string]string{"HF_HOME": "~/hf"}, filepath.Join(home, "hf", "hub")},
	}
	for _, c := range cases {
		for _, v := range vars {
			t.Setenv(v, c.set[v]) // "" counts as unset
		}
		got, err := DefaultCacheDir()
		if err != nil || got != c.want {
			t.Errorf("with %v: DefaultCacheDir() = %q, %v; want %q", c.set, got, err, c.want)
		}
		cfg, err := (*Settings)(nil).resolve()
		if err != nil || cfg.cacheDir != c.want {
			t.Errorf("with %v: nil Settings use cache %q (%v), want %q", c.set, cfg.cacheDir, err, c.want)
		}
	}
	// An explicit setting beats every variable.
	t.Setenv("HF_HUB_CACHE", "/a/hub")
	cfg, err := (&Settings{CacheDir: "/explicit"}).resolve()
	if err != nil || cfg.cacheDir != "/explicit" {
		t.Errorf("Settings.CacheDir ignored: got %q, %v", cfg.cacheDir, err)
	}
}

func TestSettingsFromEnvironment(t *testing.T) {
	t.Setenv("HF_ENDPOINT", "https://mirror.example/")
	t.Setenv("HF_TOKEN", "env-token")
	t.Setenv("HF_HUB_OFFLINE", "")
	cfg, err := (*Settings)(nil).resolve()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.endpoint != "https://mirror.example" || cfg.token != "env-token" || cfg.offline || cfg.revision != "" {
		t.Errorf("from environment: endpoint %q token %q offline %v revision %q", cfg.endpoint, cfg.token, cfg.offline, cfg.revision)
	}
	cfg, err = (&Settings{Endpoint: "http://local:8080", Token: "mine"}).resolve()
	if err != nil || cfg.endpoint != "http://local:8080" || cfg.token != "mine" {
		t.Errorf("explicit settings lost: %+v, %v", cfg, err)
	}

	t.Setenv("HF_ENDPOINT", "")
	if cfg, _ := (*Settings)(nil).resolve(); cfg.endpoint != DefaultEndpoint {
		t.Errorf("default endpoint = %q, want %q", cfg.endpoint, DefaultEndpoint)
	}
	t.Setenv("HF_ENDPOINT", "huggingface.co")
	if _, err := (*Settings)(nil).resolve(); !errors.Is(err, ErrInvalidName) {
		t.Errorf("endpoint without scheme accepted: %v", err)
	}
}

func TestOfflineVariable(t *testing.T) {
	for value, want := range map[string]bool{
		"1": true, "true": true, "YES": true, "on": true, "0": false, "": false, "false": false, "no": false,
	} {
		t.Setenv("HF_HUB_OFFLINE", value)
		cfg, err := (*Settings)(nil).resolve()
		if err != nil || cfg.offline != want {
			t.Errorf("HF_HUB_OFFLINE=%q: offline = %v (%v), want %v", value, cfg.offline, err, want)
		}
	}
}
