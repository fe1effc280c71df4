package batchreport_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/batchreport"
	"github.com/ecco-go/ecco/internal/batch"
	"github.com/ecco-go/ecco/nmf"
)

const tinyDir = "../../tests/testdata/models/tiny-a"

var (
	batchOnce sync.Once
	batchDir  string
	batchErr  error
)

// smallBatch runs `ecco batch` (the library) once over 8 records of the bundled tiny model, with
// two attribution methods and activations, then adds a "faithfulness" object to three of the
// records (the shape the faithfulness runs write). It returns the output folder.
func smallBatch(t *testing.T) string {
	t.Helper()
	batchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "batchreport")
		if err != nil {
			batchErr = err
			return
		}
		batchDir = filepath.Join(dir, "out")
		batchErr = runSmallBatch(dir)
	})
	if batchErr != nil {
		t.Fatal(batchErr)
	}
	return batchDir
}

func runSmallBatch(dir string) error {
	prompts := []string{"The dog sat on the mat because", "Paris is the capital of", "One two three four", "Hello, my dog is cute and",
		"The river runs to the sea and the", "A cat", "Go is a language for", "The king and the queen of the"}
	var in bytes.Buffer
	for i, p := range prompts {
		line := fmt.Sprintf(`{"id": "r%d", "prompt": %q}`, i, p)
		if i == 3 {
			line = fmt.Sprintf(`{"id": "r%d", "prompt": %q, "target": " very much so"}`, i, p)
		}
		in.WriteString(line + "\n")
	}
	inPath := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(inPath, in.Bytes(), 0o644); err != nil {
		return err
	}
	lm, err := ecco.FromPretrained(tinyDir, ecco.WithActivations())
	if err != nil {
		return err
	}
	cfg := batch.Config{Options: batch.Options{Model: tinyDir, Input: inPath, Tokens: 4, Attribution: []string{"grad_x_input", "gradient"}, Activations: true}, Out: filepath.Join(dir, "out")}
	if _, err := batch.Run(lm, cfg); err != nil {
		return err
	}
	path := filepath.Join(cfg.Out, batch.ResultsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, comp := range map[int]float64{0: 0.5, 2: 0.25, 5: 0.125} {
		f := fmt.Sprintf(`"faithfulness":{"baseline":"zero","fractions":[0.1,0.2,0.5],"methods":{"grad_x_input":{"comprehensiveness":[[0.1,0.2,0.3]],"sufficiency":[[0.3,0.2,0.1]],"aopc_comprehensiveness":[%v],"aopc_sufficiency":[%v],"mean_aopc_comprehensiveness":%v,"mean_aopc_sufficiency":%v}}},`, comp, comp/2, comp, comp/2)
		lines[i] = append([]byte(`{`+f), lines[i][1:]...)
	}
	return os.WriteFile(path, bytes.Join(lines, nil), 0o644)
}

// line is a results line decoded on its own, for the recomputations below.
type line struct {
	ID           string                 `json:"id"`
	Tokens       []string               `json:"tokens"`
	NInput       int                    `json:"n_input_tokens"`
	Attributions map[string][][]float64 `json:"attributions"`
	Activations  struct {
		Layers []int         `json:"layers"`
		Values [][][]float32 `json:"values"`
	} `json:"activations"`
}

func readLines(t *testing.T, dir string) []line {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, batchreport.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	var out []line
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var v line
		if err := json.Unmarshal(l, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestReportNumbers recomputes every number of the report from the raw lines: distance shares
// by walking each bucket's distances, token totals by counting, faithfulness averages, and the
// NMF factors from a pooled matrix built here.
func TestReportNumbers(t *testing.T) {
	dir := smallBatch(t)
	lines := readLines(t, dir)
	rep, err := batchreport.Build(dir, &batchreport.Options{TopTokens: 5, Factors: 3, Examples: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records != 8 || strings.Join(rep.Methods, ",") != "grad_x_input,gradient" {
		t.Fatalf("records %d methods %v, want 8 and both methods", rep.Records, rep.Methods)
	}
	for _, md := range rep.Distance {
		if len(md.Buckets) == 0 {
			t.Fatalf("%s: no buckets", md.Method)
		}
		for _, b := range md.Buckets {
			to := b.To
			if to == 0 {
				to = math.MaxInt32
			}
			sum, steps := 0.0, 0
			for _, l := range lines {
				for i, row := range l.Attributions[md.Method] {
					target := l.NInput + i
					if target < b.From {
						continue
					}
					steps++
					for d := b.From; d <= to && d <= target; d++ {
						sum += row[target-d]
					}
				}
			}
			if steps != b.Steps || !near(b.MeanShare, sum/float64(steps)) {
				t.Errorf("%s distance %d–%d: mean %v over %d steps, recomputed %v over %d", md.Method, b.From, b.To, b.MeanShare, b.Steps, sum/float64(steps), steps)
			}
		}
	}
	for _, mt := range rep.TopTokens {
		total, count := map[string]float64{}, map[string]int{}
		for _, l := range lines {
			for _, row := range l.Attributions[mt.Method] {
				for p, v := range row {
					total[l.Tokens[p]] += v
					count[l.Tokens[p]]++
				}
			}
		}
		var keys []string
		for k := range total {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if total[keys[i]] != total[keys[j]] {
				return total[keys[i]] > total[keys[j]]
			}
			return keys[i] < keys[j]
		})
		if len(mt.Tokens) != 5 {
			t.Fatalf("%s: %d tokens, want 5", mt.Method, len(mt.Tokens))
		}
		for i, ts := range mt.Tokens {
			if ts.Token != keys[i] || ts.Count != count[keys[i]] || !near(ts.TotalShare, total[keys[i]]) {
				t.Errorf("%s top %d: %+v, recomputed %q %v ×%d", mt.Method, i, ts, keys[i], total[keys[i]], count[keys[i]])
			}
		}
	}
	f := rep.Faithfulness
	if f == nil || len(f.Methods) != 1 || f.Methods[0].Method != "grad_x_input" || f.Methods[0].Records != 3 ||
		!near(f.Methods[0].MeanAOPCComprehensiveness, (0.5+0.25+0.125)/3) || !near(f.Methods[0].MeanAOPCSufficiency, (0.25+0.125+0.0625)/3) ||
		strings.Join(f.Baselines, ",") != "zero" {
		t.Errorf("faithfulness %+v, want grad_x_input over 3 records: %v and %v", f, (0.5+0.25+0.125)/3, (0.25+0.125+0.0625)/3)
	}
	checkFactors(t, rep.Factors, lines)
}

// checkFactors pools the last layer's activations itself, runs NMF, and compares the factors'
// top neurons and strongest records.
func checkFactors(t *testing.T, got *batchreport.Factors, lines []line) {
	t.Helper()
	last := lines[0].Activations.Layers[len(lines[0].Activations.Layers)-1]
	var rows [][]float64
	var rowRec []int
	for r, l := range lines {
		li := slices.Index(l.Activations.Layers, last)
		for p := range l.Activations.Values[li][0] {
			row := make([]float64, len(l.Activations.Values[li]))
			for n := range row {
				row[n] = math.Max(0, float64(l.Activations.Values[li][n][p]))
			}
			rows = append(rows, row)
			rowRec = append(rowRec, r)
		}
	}
	x := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	res, err := nmf.Factorize(x, &nmf.Settings{Components: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Positions != len(rows) || got.Records != len(lines) || got.Truncated || len(got.Factors) != 3 ||
		!slices.Equal(got.Layers, []int{last}) || !near(got.ReconstructionErr, res.ReconstructionErr) {
		t.Fatalf("factors %+v, want 3 over %d positions of %d records, layer %d, error %v", got, len(rows), len(lines), last, res.ReconstructionErr)
	}
	for k, fa := range got.Factors {
		best, bestN := -1.0, -1
		for n := range rows[0] {
			if v := res.H.At(k, n); v > best {
				best, bestN = v, n
			}
		}
		if fa.TopNeurons[0].Index != bestN || fa.TopNeurons[0].Layer != last || fa.TopNeurons[0].Weight != best {
			t.Errorf("factor %d top neuron %+v, want %d:%d (%v)", k, fa.TopNeurons[0], last, bestN, best)
		}
		strength := make([]float64, len(lines))
		for row, r := range rowRec {
			strength[r] = math.Max(strength[r], res.W.At(row, k))
		}
		order := make([]int, len(lines))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return strength[order[i]] > strength[order[j]] })
		if len(fa.Examples) != 2 {
			t.Fatalf("factor %d: %d examples, want 2", k, len(fa.Examples))
		}
		for i, e := range fa.Examples {
			r := order[i]
			if e.ID != lines[r].ID || e.Strength != strength[r] || len(e.TopTokens) == 0 {
				t.Errorf("factor %d example %d: %+v, want %s at %v", k, i, e, lines[r].ID, strength[r])
			}
		}
	}
}

// TestReportHTMLAndJSON: the page holds every section, escaped; the JSON round-trips.
func TestReportHTMLAndJSON(t *testing.T) {
	dir := smallBatch(t)
	rep, err := batchreport.Build(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := rep.WriteHTML(page); err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(page)
	for _, want := range []string{"Attribution by distance", "Most-attributed tokens", "Faithfulness", "Neuron factors", "grad_x_input", ">r"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, ref := range []string{`src="http`, `href="http`, `url(http`, `@import`} {
		if bytes.Contains(html, []byte(ref)) {
			t.Errorf("the page loads %s…: it must open offline", ref)
		}
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back batchreport.Report
	if err := json.Unmarshal(data, &back); err != nil || back.Records != rep.Records || len(back.Factors.Factors) != len(rep.Factors.Factors) {
		t.Errorf("JSON round trip: %v, %d records", err, back.Records)
	}
}
