package nmf

import "errors"

// Errors returned by Factorize wrap one of these, so callers can tell a
// bad configuration from bad data with errors.Is.
var (
	// ErrSettings marks an invalid Settings value.
	ErrSettings = errors.New("nmf: invalid settings")
	// ErrInput marks an invalid X, InitW or InitH: empty, wrong shape,
	// negative, NaN or infinite values.
	ErrInput = errors.New("nmf: invalid input")
)
