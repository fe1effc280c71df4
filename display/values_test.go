package display

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
)

func TestTint(t *testing.T) {
	c := rgb{0x4a, 0x14, 0x86}
	cases := []struct {
		t    float64
		want rgb
	}{
		{0, white}, {1, c}, {-3, white}, {7, c}, {math.NaN(), white},
		// 255 + (0x4a-255)*0.5 = 164.5 → 165; (0x14-255)*0.5 → 137.5 → 138; 0x86 → 194.5 → 195.
		{0.5, rgb{165, 138, 195}},
	}
	for _, tc := range cases {
		if got := tint(c, tc.t); got != tc.want {
			t.Errorf("tint(%v, %v) = %v, want %v", c, tc.t, got, tc.want)
		}
	}
	if got := c.hex(); got != "#4a1486" {
		t.Errorf("hex = %s", got)
	}
}

func TestLuminanceAndText(t *testing.T) {
	if l := luminance(white); math.Abs(l-1) > 1e-12 {
		t.Errorf("luminance(white) = %v, want 1", l)
	}
	if l := luminance(rgb{}); l != 0 {
		t.Errorf("luminance(black) = %v, want 0", l)
	}
	// sRGB 128 grey: ((128/255+0.055)/1.055)^2.4 = 0.21586.
	if l := luminance(rgb{128, 128, 128}); math.Abs(l-0.21586) > 1e-4 {
		t.Errorf("luminance(grey 128) = %v, want 0.21586", l)
	}
	if textOn(saliencyColor) != white || textOn(white) != (rgb{}) || textOn(rgb{0xff, 0xff, 0x00}) != (rgb{}) {
		t.Error("textOn picks the wrong contrast")
	}
}

func TestRankScale(t *testing.T) {
	cases := []struct {
		rank, max int
		want      float64
	}{
		{1, 50257, 1}, {50257, 50257, 0}, {1, 1, 1}, {10, 100, 0.5}, {100, 10000, 0.5},
	}
	for _, c := range cases {
		if got := rankScale(c.rank, c.max); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("rankScale(%d, %d) = %v, want %v", c.rank, c.max, got, c.want)
		}
	}
}

var styleOfToken = regexp.MustCompile(`data-i="(\d+)" title="[^"]*" style="background-color:#([0-9a-f]{6});color:#([0-9a-f]{6})"`)

// staticColors extracts token index → background colour from static HTML.
func staticColors(t *testing.T, html string) map[int]rgb {
	t.Helper()
	out := map[int]rgb{}
	for _, m := range styleOfToken.FindAllStringSubmatch(html, -1) {
		i, _ := strconv.Atoi(m[1])
		v, _ := strconv.ParseUint(m[2], 16, 32)
		out[i] = rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
	}
	return out
}

// tintLevel recovers t from a tint of pen (the channel furthest from white
// gives the best precision).
func tintLevel(c, pen rgb) float64 {
	best, span := 0.0, 0.0
	for i, p := range []uint8{pen.R, pen.G, pen.B} {
		v := []uint8{c.R, c.G, c.B}[i]
		if s := 255 - float64(p); s > span {
			best, span = (255-float64(v))/s, s
		}
	}
	return best
}

// TestSaliencyStaticColors checks the no-JS rendering against the
// reference attributions: token i's background is the tint of the step's
// value/max.
func TestSaliencyStaticColors(t *testing.T) {
	r := loadReference(t)
	s := r.saliency("")
	colors := staticColors(t, s.HTML())
	scores := r.gradXInput[0]
	if len(colors) != len(scores) {
		t.Fatalf("%d coloured tokens, want the %d prompt tokens", len(colors), len(scores))
	}
	maxV, argmax := 0.0, -1
	for i, v := range scores {
		if v > maxV {
			maxV, argmax = v, i
		}
	}
	worst := 0.0
	for i, v := range scores {
		got := tintLevel(colors[i], saliencyColor)
		worst = max(worst, math.Abs(got-v/maxV))
	}
	if worst > 1.0/235 {
		t.Fatalf("static colours off the attribution scale: max |t - value/max| = %v", worst)
	}
	if colors[argmax] != saliencyColor {
		t.Fatalf("token %d has the step maximum but colour %v, want %v", argmax, colors[argmax], saliencyColor)
	}
}

// TestFactorsStaticColors checks each token takes its dominant factor's
// colour at the intensity of that factor's rescaled value.
func TestFactorsStaticColors(t *testing.T) {
	r := loadReference(t)
	f := r.factors()
	colors := staticColors(t, f.HTML())
	if len(colors) != len(f.Tokens) {
		t.Fatalf("%d coloured tokens, want %d", len(colors), len(f.Tokens))
	}
	peaks := make([]float64, len(f.Values))
	for k, row := range f.Values {
		for _, v := range row {
			peaks[k] = max(peaks[k], v)
		}
	}
	for p := range f.Tokens {
		best, bestV := -1, 0.0
		for k := range f.Values {
			if v := f.Values[k][p] / peaks[k]; v > bestV {
				best, bestV = k, v
			}
		}
		if want := tint(paletteColor(best), bestV); colors[p] != want {
			t.Fatalf("token %d: colour %v, want factor %d at %.3f = %v", p, colors[p], best, bestV, want)
		}
	}
}

var cellFill = regexp.MustCompile(`data-r="(\d+)" data-c="(\d+)"><title>[^<]*</title><rect class="eg-cell"[^>]* fill="#([0-9a-f]{6})"></rect><text[^>]*>(\d+)</text>`)

// TestRankingsColors checks the log scale: rank 1 is the pen colour, the
// largest rank white, and darker never means a worse rank.
func TestRankingsColors(t *testing.T) {
	r := loadReference(t)
	rk := r.rankings()
	ms := cellFill.FindAllStringSubmatch(rk.HTML(), -1)
	if len(ms) != 2*10 {
		t.Fatalf("found %d cells, want 20", len(ms))
	}
	maxR := rk.maxRank()
	for _, m := range ms {
		row, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		v, _ := strconv.ParseUint(m[3], 16, 32)
		c := rgb{uint8(v >> 16), uint8(v >> 8), uint8(v)}
		rank := rk.Ranks[row][col]
		if m[4] != fmt.Sprint(rank) {
			t.Fatalf("cell %d,%d writes %s, want rank %d", row, col, m[4], rank)
		}
		want := 1 - math.Log(float64(rank))/math.Log(float64(maxR))
		if got := tintLevel(c, rankColor); math.Abs(got-want) > 1.0/200 {
			t.Fatalf("cell %d,%d rank %d: level %.4f, want %.4f", row, col, rank, got, want)
		}
	}
}
