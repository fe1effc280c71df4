package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/hub"
)

// usageError is a bad command line (exit status 2) rather than a failure while running.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelpShown means -h printed the usage: the command succeeded without running.
var errHelpShown = errors.New("help shown")

// report prints err as one line, "ecco: <command>: <message>", and returns the exit status.
func report(stderr io.Writer, command string, err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return exitOK
	}
	msg := strings.Join(strings.Fields(trimEccoPrefix(err)), " ") // one line, whatever the error held
	if command != "" {
		msg = command + ": " + msg
	}
	fmt.Fprintf(stderr, "ecco: %s\n", msg)
	var usage *usageError
	if errors.As(err, &usage) {
		return exitUsage
	}
	return exitError
}

// trimEccoPrefix is err's message without the "ecco: " the ecco package starts its errors with.
func trimEccoPrefix(err error) string {
	msg := err.Error()
	for strings.HasPrefix(msg, "ecco: ") {
		msg = strings.TrimPrefix(msg, "ecco: ")
	}
	return msg
}

// newFlags makes a subcommand's flag set. Its own printing is off: parse errors are reported
// by report as one line, and -h is handled by parseFlags.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; -h prints the usage (synopsis and flags) to stdout.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage:\n  %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return errHelpShown
	}
	if err != nil {
		return usageErrorf("%v (run 'ecco %s -h' for usage)", err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q: only flags are accepted (quote a prompt with spaces: -prompt \"...\")", fs.Arg(0))
	}
	return nil
}

// modelFlag declares -model.
func modelFlag(fs *flag.FlagSet) *string {
	return fs.String("model", "", "model `folder or hub id` (e.g. distilgpt2); default $ECCO_MODEL")
}

// modelName is -model's value, or $ECCO_MODEL's when -model was not given.
func modelName(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv(ecco.ModelEnv)
}

// resolveModel finds the model's folder, downloading a hub id not yet cached.
func resolveModel(name string) (string, error) {
	if name == "" {
		return "", usageErrorf("no -model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ecco.ModelEnv)
	}
	return hub.Resolve(context.Background(), name, nil)
}

// checkPrompt refuses an empty prompt before any model is loaded.
func checkPrompt(prompt string) error {
	if prompt == "" {
		return usageErrorf("-prompt is empty: give some text to run the model on")
	}
	return nil
}

// checkOutputPath fails early, before minutes of computing, when a result could not be written
// to path: its folder must exist and path must not be a folder.
func checkOutputPath(flagName, path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return usageErrorf("-%s %s: its folder %s: %v (create the folder first)", flagName, path, dir, unwrapPathError(err))
	}
	if !info.IsDir() {
		return usageErrorf("-%s %s: %s is not a folder", flagName, path, dir)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return usageErrorf("-%s %s: is a folder; give a file name", flagName, path)
	}
	return nil
}

// unwrapPathError drops the path that os.PathError repeats, when the message names it already.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
