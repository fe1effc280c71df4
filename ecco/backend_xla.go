//go:build xla

package ecco

// The XLA backend needs its PJRT plugin installed; it is opt-in: go build -tags xla.
import _ "github.com/gomlx/go-xla/compute/xla"
