package display

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strings"
)

//go:embed assets/*.css assets/*.js
var assets embed.FS

//go:embed templates/*.gohtml
var templateFiles embed.FS

// templates holds the shared frame and every view's static rendering.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"pct": func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) },
}).ParseFS(templateFiles, "templates/*.gohtml"))

// asset returns an embedded file; names are fixed at compile time, so a
// missing one is a programming error caught by every test.
func asset(name string) string {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic("display: missing embedded asset " + name)
	}
	return string(b)
}

var (
	baseCSS = asset("base.css")
	baseJS  = asset("base.js")
	// viewCSS is the CSS a view adds to the base, by kind.
	viewCSS = map[string]string{"eg-heads": asset("heads.css"), "eg-compare": asset("compare.css"), "eg-faith": asset("faithfulness.css"), "eg-dataset": asset("dataset.css")}
)

// View is anything that renders to one HTML fragment. Every view of this
// package also has Validate, Display and Save.
type View interface {
	HTML() string
}

// validator is implemented by views that can reject their data.
type validator interface {
	Validate() error
}

// fragment is what a view hands to the frame template.
type fragment struct {
	Kind   string        // CSS class of the view, e.g. "eg-saliency"
	View   string        // data-ecco-view marker, the kind without "eg-": "saliency"
	ID     string        // container id
	CSS    template.CSS  // base CSS (static asset)
	Static template.HTML // output of the view's static template
	Data   any           // marshalled to JSON by html/template
	Script template.JS   // `function(rootID){...}` built from static assets
}

// viewScript wraps a view's script asset with the shared base into one
// function expression of the container id. Only embedded assets go in here;
// data reaches the script through the JSON block.
func viewScript(name string) template.JS {
	return template.JS("function(rootID){\"use strict\";\n" + baseJS + "\n" + asset(name) + "\n}")
}

// render executes the view's static template on model, then the frame.
// Errors can only come from the package's own templates, so they are
// reported as an error box rather than a panic.
func render(kind, staticTemplate string, model any, data any, script template.JS) string {
	var static bytes.Buffer
	if err := templates.ExecuteTemplate(&static, staticTemplate, model); err != nil {
		return errorHTML(fmt.Errorf("display: rendering %s: %w", kind, err))
	}
	f := fragment{
		Kind:   kind,
		View:   strings.TrimPrefix(kind, "eg-"),
		ID:     newID(),
		CSS:    template.CSS(baseCSS + viewCSS[kind]),
		Static: template.HTML(static.String()),
		Data:   data,
		Script: script,
	}
	var out strings.Builder
	if err := templates.ExecuteTemplate(&out, "frame", f); err != nil {
		return errorHTML(fmt.Errorf("display: rendering %s: %w", kind, err))
	}
	return out.String()
}

// errorHTML shows err as a visible, escaped box.
func errorHTML(err error) string {
	var out strings.Builder
	if e := templates.ExecuteTemplate(&out, "error", err.Error()); e != nil {
		return "<pre>display: error box failed</pre>"
	}
	return out.String()
}
