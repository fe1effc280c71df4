// Package tests holds the end-to-end tests of ecco-go that need tools outside
// Go: the notebook harness runs every notebooks/*.ipynb with the GoNB Jupyter
// kernel and then loads the rendered HTML in headless Chromium. It runs the
// README's API the same way, one go block of its api-cells section per cell
// (readme_cells_test.go), and the README's offline quick start as written.
//
// # Running
//
//	./kernel-setup.sh                 # once: Jupyter, GoNB, goimports, gopls
//	go test ./tests/ -run Notebooks -v
//
// Outside CI a missing tool (jupyter, the gonb kernel, goimports, chromium)
// skips the test with a hint to run kernel-setup.sh; in CI (CI set to any true
// value: 1, true, yes) it fails, and so does an empty notebooks/ directory.
// internal/testenv decides CI and finds Chromium for this package and display
// alike. `go test -short` skips the notebooks outside CI, because executing
// them takes tens of seconds.
//
// # Environment
//
//   - ECCO_NOTEBOOKS_DIR: directory of the notebooks to run (default <repo>/notebooks).
//   - ECCO_NOTEBOOK_ARTIFACTS: keep the executed notebooks and their HTML there
//     (default: a temporary directory removed after the test).
//   - ECCO_CHROMIUM: browser binary (default: chromium found on PATH).
//
// The harness passes these variables to the kernel, and so to every cell:
// ECCO_REPO, the absolute repository root (for the setup cell's replace rule),
// ECCO_MODEL, the absolute path of the bundled tiny model
// tests/testdata/models/tiny-a, ECCO_LLAMA_MODEL (tiny-llama-a, notebook 05),
// ECCO_BERT_MODEL, that of the tiny encoder tests/testdata/models/tiny-bert-a
// (the BERT notebook), and ECCO_SEQ2SEQ_MODEL, tiny-t5-a (notebook 08).
//
// # What a notebook must show
//
// Each notebook needs an entry in the notebookWidgets table of
// notebooks_test.go: the data-ecco-view names of the widgets it displays and
// whether their JavaScript marks them with data-ecco-ready="1" once built.
package tests
