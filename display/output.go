package display

import (
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"fmt"
	"html/template"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
)

// Notebook hooks; tests replace them to observe what would be shown.
var (
	inNotebook  = func() bool { return gonbui.IsNotebook }
	displayHTML = gonbui.DisplayHTML
	updateHTML  = gonbui.UpdateHTML
	// syncNotebook waits until GoNB has received everything sent so far: a
	// cell's program may exit right after displaying, before GoNB reads the pipe.
	syncNotebook = gonbui.Sync
)

// show displays v in the notebook, if there is one.
func show(v View) {
	if !inNotebook() {
		return
	}
	displayHTML(v.HTML())
	syncNotebook()
}

// Display shows several views, one output each, in a GoNB notebook; it does
// nothing outside a notebook.
func Display(views ...View) {
	for _, v := range views {
		show(v)
	}
}

// pageModel feeds the "page" template.
type pageModel struct {
	Title string
	Views []template.HTML
}

// Page returns one standalone HTML document holding the views in order. Its
// Content-Security-Policy forbids every network request, so the page shows
// the same offline as online.
func Page(title string, views ...View) string {
	m := pageModel{Title: title}
	for _, v := range views {
		// Each view's HTML is the output of this package's html/template
		// rendering, already escaped.
		m.Views = append(m.Views, template.HTML(v.HTML()))
	}
	var out strings.Builder
	if err := templates.ExecuteTemplate(&out, "page", m); err != nil {
		return errorHTML(fmt.Errorf("display: rendering page: %w", err))
	}
	return out.String()
}

// WritePage writes Page(title, views...) to path atomically: the page goes to
// a temporary file in the same directory which is then renamed, so path
// holds either the old content or the whole new page. Views whose data fails
// Validate make WritePage fail without writing anything.
func WritePage(path, title string, views ...View) error {
	if len(views) == 0 {
		return fmt.Errorf("display: writing %s: no views given, want at least one", path)
	}
	for i, v := range views {
		if val, ok := v.(validator); ok {
			if err := val.Validate(); err != nil {
				return fmt.Errorf("display: writing %s: view %d: %w", path, i, err)
			}
		}
	}
	if err := atomicfile.WriteBytes(path, []byte(Page(title, views...))); err != nil {
		return fmt.Errorf("display: writing %s: %w (does the folder exist and is it writable?)", path, err)
	}
	return nil
}

// ShowError displays err as an error box in a GoNB notebook; it does nothing
// outside a notebook. The box carries class "eg-error", which tests look for.
func ShowError(err error) {
	if err == nil || !inNotebook() {
		return
	}
	displayHTML(errorHTML(err))
	syncNotebook()
}

// ShowNote displays a short note, with a command to copy, in a GoNB notebook;
// it does nothing outside a notebook.
func ShowNote(text, command string) {
	if !inNotebook() {
		return
	}
	var out strings.Builder
	if err := templates.ExecuteTemplate(&out, "note", struct{ Text, Command string }{text, command}); err != nil {
		out.Reset()
		out.WriteString(errorHTML(err))
	}
	displayHTML(out.String())
	syncNotebook()
}
