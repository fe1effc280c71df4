package progress

import (
	"strings"
	"testing"
	"time"

	"github.com/ecco-go/ecco/ecco"
)

// fakeClock advances by the step the script sets before each event.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestProgressLineScript feeds a scripted sequence: generation (with a redraw dropped by the
// throttle), attribution with rate and time left, NMF ending early, then a stage cut short by
// a failure and closed.
func TestProgressLineScript(t *testing.T) {
	var b strings.Builder
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := &Line{w: &b, now: clock.now}
	hook := p.Hook()
	script := []struct {
		after time.Duration
		e     ecco.ProgressEvent
	}{
		{0, ecco.ProgressEvent{Stage: ecco.StageGenerate, Total: 3}},
		{500 * time.Millisecond, ecco.ProgressEvent{Stage: ecco.StageGenerate, Done: 1, Total: 3, Detail: " a"}},
		{50 * time.Millisecond, ecco.ProgressEvent{Stage: ecco.StageGenerate, Done: 2, Total: 3, Detail: " b"}}, // throttled
		{450 * time.Millisecond, ecco.ProgressEvent{Stage: ecco.StageGenerate, Done: 3, Total: 3, Detail: " c", Final: true}},
		{0, ecco.ProgressEvent{Stage: ecco.StageAttribution, Total: 10, Detail: "grad_x_input"}},
		{2 * time.Second, ecco.ProgressEvent{Stage: ecco.StageAttribution, Done: 4, Total: 10, Detail: "grad_x_input"}},
		{3 * time.Second, ecco.ProgressEvent{Stage: ecco.StageAttribution, Done: 10, Total: 10, Detail: "grad_x_input", Final: true}},
		{0, ecco.ProgressEvent{Stage: ecco.StageNMF, Done: 1, Total: 500}},
		{200 * time.Millisecond, ecco.ProgressEvent{Stage: ecco.StageNMF, Done: 41, Total: 500}},
		{10 * time.Millisecond, ecco.ProgressEvent{Stage: ecco.StageNMF, Done: 42, Total: 500, Detail: "converged", Final: true}},
		{0, ecco.ProgressEvent{Stage: ecco.StageAttribution, Total: 70, Detail: "integrated_gradients"}},
		{75 * time.Second, ecco.ProgressEvent{Stage: ecco.StageAttribution, Done: 2, Total: 70, Detail: "integrated_gradients"}},
	}
	for _, s := range script {
		clock.t = clock.t.Add(s.after)
		hook(s.e)
	}
	p.Close()
	p.Close() // a second close adds nothing
	const erase = "\x1b[K"
	want := "\rgenerating 0/3 tokens" + erase +
		"\rgenerating 1/3 tokens, 2/s, 1.0s left" + erase +
		"\rgenerating 3/3 tokens in 1.0s" + erase + "\n" +
		"\rattribution (grad_x_input) 0/10 tokens" + erase +
		"\rattribution (grad_x_input) 4/10 tokens, 2/s, 3.0s left" + erase +
		"\rattribution (grad_x_input) 10/10 tokens in 5.0s" + erase + "\n" +
		"\rNMF 1/500 iterations" + erase +
		"\rNMF 41/500 iterations, 205/s" + erase +
		"\rNMF 42/500 iterations in 0.2s, converged" + erase + "\n" +
		"\rattribution (integrated_gradients) 0/70 tokens" + erase +
		"\rattribution (integrated_gradients) 2/70 tokens, 0.0267/s, 42m30s left" + erase + "\n"
	if got := b.String(); got != want {
		t.Errorf("progress output\n%q\nwant\n%q", got, want)
	}

	// Transient: a finished stage leaves no line behind.
	b.Reset()
	p = &Line{w: &b, now: clock.now, transient: true}
	p.event(ecco.ProgressEvent{Stage: ecco.StageGenerate, Done: 1, Total: 1, Final: true})
	if got := b.String(); got != "\rgenerating 1/1 tokens in 0.0s"+erase+"\r"+erase {
		t.Errorf("transient line %q", got)
	}
	var nilLine *Line
	if nilLine.Hook() != nil {
		t.Error("a nil progress line gives a hook: ecco would call it for nothing")
	}
	nilLine.Close()
}
