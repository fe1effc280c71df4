package display

import (
	"strings"
	"testing"
)

func TestLive(t *testing.T) {
	type update struct{ id, html string }
	var got []update
	defer func(n func() bool, u func(string, string)) { inNotebook, updateHTML = n, u }(inNotebook, updateHTML)
	inNotebook = func() bool { return true }
	updateHTML = func(id, html string) { got = append(got, update{id, html}) }

	l := NewLive([]Token{{Text: "Hello", ID: 1}})
	l.Append(Token{Text: " world", ID: 2})
	l.Progress("attribution", 3, 10)
	l.Done()
	l.Append(Token{Text: " ignored"})
	l.Progress("ignored", 1, 2)

	if len(got) != 4 {
		t.Fatalf("%d updates, want 4 (new, append, progress, done)", len(got))
	}
	for _, u := range got {
		if u.id != got[0].id || !strings.HasPrefix(u.id, "ecco-live-") {
			t.Fatalf("updates went to different blocks: %q vs %q", u.id, got[0].id)
		}
		if strings.Contains(u.html, "<script") {
			t.Fatal("live updates must be static HTML")
		}
	}
	if !strings.Contains(got[1].html, `<span class="eg-txt"> world</span>`) || !strings.Contains(got[1].html, `eg-tok eg-out`) {
		t.Fatalf("appended token not shown as generated:\n%s", got[1].html)
	}
	if !strings.Contains(got[2].html, "attribution 3/10") || !strings.Contains(got[2].html, "width:30.0%") {
		t.Fatalf("progress not shown:\n%s", got[2].html)
	}
	if strings.Contains(got[3].html, `class="eg-cursor"`) || strings.Contains(got[3].html, `class="eg-progress"`) {
		t.Fatalf("Done left the cursor or progress:\n%s", got[3].html)
	}
	if strings.Contains(l.HTML(), "ignored") {
		t.Fatal("calls after Done changed the view")
	}

	// Outside a notebook: state is kept, nothing is sent.
	inNotebook = func() bool { return false }
	got = nil
	l2 := NewLive(nil)
	l2.Append(Token{Text: "x"})
	l2.Progress("attribution", 12, 10) // clamped to 10/10
	if len(got) != 0 {
		t.Fatal("Live sent updates outside a notebook")
	}
	if h := l2.HTML(); !strings.Contains(h, "attribution 10/10") || !strings.Contains(h, ">x<") {
		t.Fatalf("state not kept outside a notebook:\n%s", h)
	}

	// A nil *Live ignores everything.
	var none *Live
	none.Append(Token{Text: "x"})
	none.Progress("a", 1, 2)
	none.Done()
	if none.HTML() != "" {
		t.Fatal("nil Live rendered something")
	}
}
