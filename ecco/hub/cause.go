package hub

import (
	"errors"
	"fmt"
	"net/url"
)

// shortCause keeps an error for errors.Is/As but shows only the request and its root cause:
// go-huggingface's chain repeats the URL at every level, which buries the hint.
type shortCause struct {
	text string
	err  error
}

func (c *shortCause) Error() string { return c.text }
func (c *shortCause) Unwrap() error { return c.err }

// conciseCause names the failed request once (the URL of a transport error, else the
// endpoint) followed by the innermost error's text.
func conciseCause(err error, endpoint string) error {
	var u *url.Error
	if errors.As(err, &u) {
		return &shortCause{fmt.Sprintf("%s %s: %v", u.Op, u.URL, u.Err), err}
	}
	root := err
	for next := errors.Unwrap(root); next != nil; next = errors.Unwrap(root) {
		root = next
	}
	return &shortCause{fmt.Sprintf("%s: %v", endpoint, root), err}
}
