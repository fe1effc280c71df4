package testenv

import "testing"

func TestInCI(t *testing.T) {
	for value, want := range map[string]bool{
		"": false, "0": false, "false": false, "FALSE": false, "no": false, "off": false,
		"1": true, "true": true, "True": true, "yes": true, "github-actions": true,
	} {
		t.Setenv("CI", value)
		if got := InCI(); got != want {
			t.Errorf("CI=%q: InCI() = %v, want %v", value, got, want)
		}
	}
}

func TestChromiumHonoursEnv(t *testing.T) {
	t.Setenv("ECCO_CHROMIUM", "/nonexistent/chromium")
	if _, err := Chromium(); err == nil {
		t.Fatal("ECCO_CHROMIUM naming no program: want an error")
	}
}
