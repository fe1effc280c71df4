package tests

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// widgetRenderTimeout bounds the wait for one widget's element (and its
	// ready mark) after the page has loaded.
	widgetRenderTimeout = 20 * time.Second
	// pageTimeout bounds everything done with one page, so a page that never
	// loads fails instead of hanging until the test binary's deadline.
	pageTimeout = 3 * time.Minute
)

// startBrowser starts one headless Chromium for the whole test, stopped by
// t.Cleanup. Each page then opens in its own tab.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	userData := t.TempDir() // Removed after the browser stops: cleanups run last-in first-out.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // CI runs as root, where Chromium refuses to sandbox.
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(userData),
	)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	if err := chromedp.Do(browserCtx); err != nil { // Starts the browser without a deadline.
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return browserCtx
}

// isLocalURL reports whether loading the URL stays on this machine.
func isLocalURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "file", "data", "blob", "about":
		return true
	}
	return false
}

// pageWatch records what a tab did that the test forbids: requests leaving
// the machine and uncaught JavaScript exceptions.
type pageWatch struct {
	mu         sync.Mutex
	leaks      []string // URLs, each once: a blocked request is seen twice.
	exceptions []string
}

func (w *pageWatch) addLeak(url string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !slices.Contains(w.leaks, url) {
		w.leaks = append(w.leaks, url)
	}
}

func (w *pageWatch) addException(text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.exceptions = append(w.exceptions, text)
}

// listen is the chromedp.Listen callback: it must return fast and run no command.
func (w *pageWatch) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if !isLocalURL(ev.Request.URL) {
			w.addLeak(ev.Request.URL)
		}
	case *network.EventWebSocketCreated:
		w.addLeak(ev.URL)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		w.addException(fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, text))
	}
}

// blockRemoteRequests pauses every request of the tab and lets through only
// local ones, so that a page that reaches for the network fails here as it
// would on an offline machine. Blocked URLs are recorded as leaks.
func (w *pageWatch) blockRemoteRequests(tab context.Context) error {
	paused := chromedp.Events(tab, fetch.RequestPaused)
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		return fmt.Errorf("enabling request interception: %w", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return // The tab closed.
			}
			if isLocalURL(ev.Request.URL) {
				_, _ = chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			w.addLeak(ev.Request.URL)
			_, _ = chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{
				RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient,
			})
		}
	}()
	return nil
}

// checkRenderedPage loads an HTML file in a new tab and checks that every
// widget element exists (and is marked ready when the table asks for it),
// that no request left the machine and that no script threw.
func checkRenderedPage(browserCtx context.Context, htmlPath string, widgets []widgetCheck) error {
	tab, cancel := chromedp.NewContext(browserCtx)
	defer cancel()
	watch := &pageWatch{}
	if err := chromedp.Listen(tab, watch.listen); err != nil { // Opens the tab, without a deadline.
		return fmt.Errorf("opening a tab: %w", err)
	}
	tab, cancelTimeout := context.WithTimeout(tab, pageTimeout)
	defer cancelTimeout()
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		return fmt.Errorf("enabling network events: %w", err)
	}
	if err := watch.blockRemoteRequests(tab); err != nil {
		return err
	}
	pageURL := (&url.URL{Scheme: "file", Path: htmlPath}).String()
	if err := chromedp.Do(tab, chromedp.Navigate(pageURL)); err != nil {
		return fmt.Errorf("loading %s: %w", pageURL, err)
	}

	var problems []string
	for _, w := range widgets {
		if err := waitForWidget(tab, w); err != nil {
			problems = append(problems, err.Error())
		}
	}
	watch.mu.Lock()
	defer watch.mu.Unlock()
	for _, leak := range watch.leaks {
		problems = append(problems, "request left the machine (the page must work offline): "+leak)
	}
	for _, exc := range watch.exceptions {
		problems = append(problems, "uncaught JavaScript exception: "+exc)
	}
	if len(problems) > 0 {
		return fmt.Errorf("page %s:\n  %s", htmlPath, strings.Join(problems, "\n  "))
	}
	return nil
}

// waitForWidget polls until an element with the widget's data-ecco-view (and,
// if required, data-ecco-ready="1") exists.
func waitForWidget(tab context.Context, w widgetCheck) error {
	selector := fmt.Sprintf(`[data-ecco-view="%s"]`, w.View)
	want := selector
	if w.Ready {
		want += `[data-ecco-ready="1"]`
	}
	_, err := chromedp.Run(tab, chromedp.Poll[bool](
		fmt.Sprintf(`document.querySelector('%s') !== null`, want),
		chromedp.WithPollingTimeout(widgetRenderTimeout),
		chromedp.WithPollingInterval(100*time.Millisecond)))
	if err == nil {
		return nil
	}
	if !errors.Is(err, chromedp.ErrPollingTimeout) {
		return fmt.Errorf("widget %q: %w", w.View, err)
	}
	count, countErr := chromedp.Run(tab, chromedp.Evaluate[int](
		fmt.Sprintf(`document.querySelectorAll('%s').length`, selector)))
	if countErr != nil {
		return fmt.Errorf("widget %q: not found after %v (%v)", w.View, widgetRenderTimeout, countErr)
	}
	if count == 0 {
		return fmt.Errorf("widget %q: no element %s in the rendered page after %v", w.View, selector, widgetRenderTimeout)
	}
	return fmt.Errorf(`widget %q: %d element(s) %s but none marked data-ecco-ready="1" after %v (did its script run?)`,
		w.View, count, selector, widgetRenderTimeout)
}
