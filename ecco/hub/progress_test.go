package hub

import (
	"bytes"
	"testing"
	"time"
)

func TestStderrProgressPipe(t *testing.T) {
	var out bytes.Buffer
	p := &stderrProgress{w: &out, now: time.Now}
	p.report("m/small.json", 0, 100)
	p.report("m/small.json", 100, 100)
	p.report("m/model.safetensors", 0, 20<<20)
	p.report("m/model.safetensors", 10<<20, 20<<20)
	p.report("m/model.safetensors", 20<<20, 20<<20)
	p.report("m/unknown.bin", 0, -1) // size unknown: shown, and closed even if small
	p.report("m/unknown.bin", 5, 5)
	want := "hub: downloading m/model.safetensors (20.0 MiB)\n" +
		"hub: downloaded m/model.safetensors (20.0 MiB)\n" +
		"hub: downloading m/unknown.bin (?)\n" +
		"hub: downloaded m/unknown.bin (5 B)\n"
	if out.String() != want {
		t.Errorf("pipe output:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestStderrProgressTerminal(t *testing.T) {
	var out bytes.Buffer
	clock := time.Unix(0, 0)
	p := &stderrProgress{w: &out, terminal: true, now: func() time.Time { return clock }}
	const total = 40 << 20
	p.report("m/w", 0, total)
	p.report("m/w", 10<<20, total) // within redrawInterval: skipped
	clock = clock.Add(time.Second)
	p.report("m/w", 20<<20, total)
	p.report("m/w", total, total) // the last call always draws
	want := "\rhub: m/w 0 B / 40.0 MiB (0%)\x1b[K" +
		"\rhub: m/w 20.0 MiB / 40.0 MiB (50%)\x1b[K" +
		"\rhub: m/w 40.0 MiB / 40.0 MiB (100%)\x1b[K\n"
	if out.String() != want {
		t.Errorf("terminal output:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		-1: "?", 0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB",
		13301576: "12.7 MiB", 548 << 20: "548.0 MiB", 3 << 30: "3.0 GiB",
	} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
