package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// quickstartBlock is the README's offline quick start: the shell block between the markers.
var quickstartBlock = regexp.MustCompile("(?s)<!-- quickstart-offline[^>]*-->\\s*```sh\\n(.*?)```\\s*<!-- /quickstart-offline -->")

// quickstartOutput is where the README's nbconvert command writes notebook 01.
const quickstartOutput = "/tmp/ecco-first-run/01-input-saliency.ipynb"

// TestReadmeOfflineQuickStart runs the README's offline quick start as written, from the
// repository root and without the harness's ECCO_* variables, then checks that notebook 01 ran
// without any error output.
func TestReadmeOfflineQuickStart(t *testing.T) {
	if testing.Short() && !inCI() {
		t.Skip("runs kernel-setup.sh and a notebook: skipped with -short")
	}
	root := repoRoot(t)
	findNotebookTools(t) // skip (or fail in CI) with a hint when Jupyter or GoNB is missing
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := quickstartBlock.FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```sh block between <!-- quickstart-offline --> and <!-- /quickstart-offline -->")
	}
	script := string(m[1])
	if !strings.Contains(script, quickstartOutput[:strings.LastIndex(quickstartOutput, "/")]) {
		t.Fatalf("the quick start no longer writes to %s: update quickstartOutput\n%s", filepath.Dir(quickstartOutput), script)
	}
	if err := os.Remove(quickstartOutput); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	ctx, cancel := contextForTest(t)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = root
	cmd.Env = withoutEnv(os.Environ(), "ECCO_MODEL", "ECCO_REPO")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README quick start failed: %v\n%s", err, lastLines(dropKernelLog(string(out)), 40))
	}
	nb, err := readNotebook(quickstartOutput)
	if err != nil {
		t.Fatal(err)
	}
	if problems := nb.problems(); len(problems) > 0 {
		t.Fatalf("notebook 01 run by the README's quick start shows %d error(s):\n%s", len(problems), strings.Join(problems, "\n---\n"))
	}
	if missing := nb.missingViews(notebookWidgets["01-input-saliency.ipynb"]); len(missing) > 0 {
		t.Fatalf("notebook 01 run by the quick start displays no %q", missing)
	}
	t.Logf("quick start ran: %s", quickstartOutput)
}

// withoutEnv drops the named variables from env.
func withoutEnv(env []string, names ...string) []string {
	var kept []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || name == n
		}
		if !drop {
			kept = append(kept, kv)
		}
	}
	return kept
}
