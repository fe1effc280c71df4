package display

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ecco-go/ecco/internal/testenv"
)

// browser is one headless Chromium shared by all browser subtests, loading
// pages from a loopback server and recording every request and script error.
type browser struct {
	t     *testing.T
	ctx   context.Context
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]string // path → HTML
	urls  []string          // every request the pages made
	errs  []string          // uncaught exceptions and console errors
}

// startBrowser starts Chromium, or skips (fails when CI=true) without one.
func startBrowser(t *testing.T) *browser {
	path, err := testenv.Chromium()
	if err != nil {
		msg := "headless Chromium not found, so the browser tests cannot run: " + err.Error()
		if testenv.InCI() {
			t.Fatal(msg + " (CI is set, so this fails instead of skipping)")
		}
		t.Skip(msg)
	}
	b := &browser{t: t, pages: map[string]string{}}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		page, ok := b.pages[r.URL.Path]
		b.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(b.srv.Close)

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// No name resolves: a request to anywhere but the loopback server fails.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(900, 1400),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b.ctx = ctx
	err = chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.urls = append(b.urls, e.Request.URL)
		case *runtime.EventExceptionThrown:
			b.errs = append(b.errs, e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				b.errs = append(b.errs, strings.Join(parts, " "))
			}
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	return b
}

// open serves html at /name.html and loads it.
func (b *browser) open(t *testing.T, name, html string) {
	t.Helper()
	p := "/" + name + ".html"
	b.mu.Lock()
	b.pages[p] = html
	b.mu.Unlock()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(b.srv.URL+p)); err != nil {
		t.Fatalf("loading %s: %v", p, err)
	}
}

// eval runs a JS expression in the page and decodes its result into T.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %.120s: %v", expr, err)
	}
	return v
}

// hover moves the real mouse onto the centre of the element sel, and waits until the page
// reports sel under the pointer (its mouseenter handlers have then run). Under load the layout
// can still move after a screenshot's viewport change or an earlier hover's update (seen in CI:
// the pointer landed 29 px above the token), so a miss measures and moves again.
func (b *browser) hover(t *testing.T, sel string) {
	t.Helper()
	q, _ := json.Marshal(sel)
	for try := 0; ; try++ {
		xy := eval[[]float64](t, b, `(() => { const e = document.querySelector(`+string(q)+`);
			e.scrollIntoView({block: "center", behavior: "instant"}); const r = e.getBoundingClientRect();
			return [r.x + r.width / 2, r.y + r.height / 2]; })()`)
		b.mouse(t, xy[0], xy[1])
		if eval[bool](t, b, `document.querySelector(`+string(q)+`).matches(":hover")`) {
			return
		}
		if try == 50 {
			t.Fatalf("the pointer at %v does not hover %s", xy, sel)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFor polls the JavaScript condition cond until it holds, for up to two seconds: Chromium can
// answer an input command before the page has handled the event (seen in CI, with other test
// packages loading both cores).
func (b *browser) waitFor(t *testing.T, what, cond string) {
	t.Helper()
	for try := 0; !eval[bool](t, b, cond); try++ {
		if try == 100 {
			t.Fatalf("waited 2 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mouse moves the mouse to x, y (viewport coordinates).
func (b *browser) mouse(t *testing.T, x, y float64) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.MouseEvent(chromedp.MouseMoved, x, y)); err != nil {
		t.Fatalf("moving the mouse: %v", err)
	}
}

// click clicks the centre of the element sel.
func (b *browser) click(t *testing.T, sel string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// colors returns the computed background colours of the elements sel.
func (b *browser) colors(t *testing.T, sel, prop string) []rgb {
	t.Helper()
	q, _ := json.Marshal(sel)
	p, _ := json.Marshal(prop)
	strs := eval[[]string](t, b, `Array.from(document.querySelectorAll(`+string(q)+`)).map(e => getComputedStyle(e)[`+string(p)+`])`)
	out := make([]rgb, len(strs))
	for i, s := range strs {
		out[i] = parseCSSColor(t, s)
	}
	return out
}

var cssRGB = regexp.MustCompile(`^rgba?\((\d+), (\d+), (\d+)(, [\d.]+)?\)$`)

func parseCSSColor(t *testing.T, s string) rgb {
	t.Helper()
	m := cssRGB.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("unexpected CSS colour %q", s)
	}
	ch := func(x string) uint8 { v, _ := strconv.Atoi(x); return uint8(v) }
	return rgb{ch(m[1]), ch(m[2]), ch(m[3])}
}

// screenshot saves a PNG of the element sel under tests/artifacts and,
// with -update, under display/screenshots for the README.
func (b *browser) screenshot(t *testing.T, name, sel string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", sel, err)
	}
	dirs := []string{filepath.Join("..", "tests", "artifacts")}
	if *update {
		dirs = append(dirs, "screenshots")
	}
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// foreign returns, and forgets, the requests to anything but the served
// pages. The browser's own request for the test server's /favicon.ico is not
// the page's doing (Chromium sends it for a page without an icon link, at a
// time of its choosing: seen in CI after the last page), so it is dropped.
func (b *browser) foreign() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out, keep []string
	for _, u := range b.urls {
		if u == b.srv.URL+"/favicon.ico" {
			continue
		}
		if strings.HasPrefix(u, b.srv.URL+"/") && b.pages[strings.TrimPrefix(u, b.srv.URL)] != "" {
			keep = append(keep, u)
		} else {
			out = append(out, u)
		}
	}
	b.urls = keep
	return out
}

// checkClean fails if a page requested anything but the served pages or
// reported a script error.
func (b *browser) checkClean(t *testing.T) {
	t.Helper()
	if f := b.foreign(); len(f) > 0 {
		t.Errorf("pages made requests besides themselves: %q", f)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errs) > 0 {
		t.Errorf("script errors: %q", b.errs)
	}
}
