package batch

import (
	"strings"
	"testing"
)

// TestParseRecordFoil: "foil" is read when given and an empty one is a bad record.
func TestParseRecordFoil(t *testing.T) {
	rec, e := parseRecord(4, []byte(`{"id": "a", "prompt": "p", "foil": " x"}`), false)
	if e != nil || rec.Foil == nil || *rec.Foil != " x" {
		t.Fatalf("record %+v, error %+v", rec, e)
	}
	if rec, e := parseRecord(5, []byte(`{"id": "b", "prompt": "p"}`), false); e != nil || rec.Foil != nil {
		t.Fatalf("no foil: record %+v, error %+v", rec, e)
	}
	_, e = parseRecord(6, []byte(`{"id": "c", "prompt": "p", "foil": ""}`), false)
	if e == nil || e.Line != 6 || e.ID != "c" || !strings.Contains(e.Error, `empty "foil"`) {
		t.Fatalf("empty foil: %+v", e)
	}
}
