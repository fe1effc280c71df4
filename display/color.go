package display

import (
	"fmt"
	"math"
	"strconv"
)

// rgb is an sRGB colour with 8-bit channels.
type rgb struct{ R, G, B uint8 }

// Scale end points. The JavaScript side receives them in each view's data, so
// they are defined only here.
var (
	saliencyColor   = rgb{0x4a, 0x14, 0x86} // deep purple
	rankColor       = rgb{0x08, 0x30, 0x6b} // deep blue
	similarityColor = rgb{0x00, 0x5a, 0x4e} // deep teal
	probColor       = rgb{0x1f, 0x6f, 0xb4} // probability bars
	white           = rgb{0xff, 0xff, 0xff}
)

// factorPalette is the categorical palette of NMF factors (Okabe–Ito order,
// extended); factor f takes factorPalette[f % len].
var factorPalette = []rgb{
	{0x00, 0x72, 0xb2}, {0xe6, 0x9f, 0x00}, {0x00, 0x9e, 0x73}, {0xcc, 0x79, 0xa7},
	{0xd5, 0x5e, 0x00}, {0x56, 0xb4, 0xe9}, {0x8c, 0x56, 0x4b}, {0x7f, 0x7f, 0x7f},
	{0xb8, 0xa0, 0x00}, {0x6a, 0x3d, 0x9a},
}

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// clamp01 maps t into [0, 1]; NaN becomes 0.
func clamp01(t float64) float64 {
	if !(t > 0) {
		return 0
	}
	if t > 1 {
		return 1
	}
	return t
}

// tint mixes white with c by t: t = 0 is white, t = 1 is c. The JavaScript
// twin (EG.tint in base.js) uses the same arithmetic and rounding.
func tint(c rgb, t float64) rgb {
	t = clamp01(t)
	ch := func(v uint8) uint8 { return uint8(math.Round(255 + (float64(v)-255)*t)) }
	return rgb{ch(c.R), ch(c.G), ch(c.B)}
}

// luminance is the WCAG relative luminance of c.
func luminance(c rgb) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// textOn picks black or white text, whichever contrasts more with bg.
func textOn(bg rgb) rgb {
	if luminance(bg) < 0.179 {
		return white
	}
	return rgb{}
}

// paletteColor returns the colour of factor f.
func paletteColor(f int) rgb { return factorPalette[f%len(factorPalette)] }

// rankScale maps a rank (1 = best) to [0, 1] on a log scale: rank 1 gives 1,
// maxRank gives 0.
func rankScale(rank, maxRank int) float64 {
	if rank <= 1 || maxRank <= 1 {
		return 1
	}
	return clamp01(1 - math.Log(float64(rank))/math.Log(float64(maxRank)))
}

// sigDigits is the precision of values sent to the page: far below what a
// colour can show, and it halves the size of the embedded JSON.
const sigDigits = 6

// roundRows returns a copy of rows rounded to sigDigits significant digits;
// the static rendering and the script both draw from this copy, so they
// agree exactly.
func roundRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for i, row := range rows {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', sigDigits, 64), 64)
		}
	}
	return out
}
