// Package display draws Ecco's views as self-contained HTML: token sequences,
// input saliency, NMF factor explorers, per-layer predictions, rank heatmaps,
// similarity heatmaps, and a live view of generation in progress.
//
// # Conventions
//
// Input types are plain data (strings, ints, float64 slices) so that any
// package can fill them; the ecco package converts its Output into them.
// Token positions count from 0 over the whole sequence, prompt first: tokens
// [0, NInput) are the prompt ("input"), the rest were generated ("output").
// Matrices are row-major slices of slices, [rows][cols].
//
// Every view is a value with the same four methods:
//
//	HTML() string      // one text/html fragment
//	Validate() error   // why the data cannot be drawn, or nil
//	Display()          // shows the fragment in a GoNB notebook; no-op elsewhere
//	Save(path) error   // writes a standalone page, atomically
//
// HTML never panics: data that fails Validate renders as a visible error box.
// Page and WritePage put several views into one document.
//
// A fragment is a <div class="eccogo ..."> with a unique id holding, in order:
// its CSS (every rule scoped under .eccogo), a static server-side rendering
// that already shows the default state (so GitHub, nbviewer, untrusted
// notebooks and exported HTML show a useful picture), the data as a
// <script type="application/json"> block, and a script that rebuilds the view
// from that data with interaction. The script is an IIFE receiving the
// container id; it defines no globals and makes no network request. All data
// reaches the page through html/template's contextual escaping.
//
// Width: a view is never wider than its output area, whatever its data. Its
// content does not count toward the host's width (CSS contain:inline-size:
// JupyterLab and nbconvert's export lay outputs out as table cells, which
// would grow to a wide table), text wraps, and the wide parts (the neuron
// table, grids, the head view, the rows of layer predictions) scroll sideways
// in wrappers of their own. width_test.go checks this in nbconvert's HTML
// export at 800 and 1,400 px.
//
// Colours: a value t in [0, 1] is drawn as the linear mix from white (t = 0)
// to a saturated colour (t = 1), so larger values are darker and more
// saturated; text turns white where the background is dark. The same formulas
// are implemented in Go (static rendering) and in JavaScript (interaction).
//
// Ids come from a random generator; tests call SeedIDs to make them
// deterministic so that golden files are stable.
package display
