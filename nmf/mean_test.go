package nmf

import "testing"

// TestNumpyMean compares with numpy 1.24's X.mean() for
// X = np.asfortranarray(RandomState(seed).random_sample((rows, cols))) and
// its .astype(np.float32). The sizes cross numpy's 8192-element buffer and
// 128-element pairwise block; a plain left-to-right sum misses every one
// of these in float32 except the 3×5 case.
func TestNumpyMean(t *testing.T) {
	cases := []struct {
		seed       uint32
		rows, cols int
		want64     float64
		want32     float32
	}{
		{5, 3, 5, 0.4923863902404265, 0.49238643050193787},
		{6, 37, 512, 0.5012514137733878, 0.5012513995170593},
		{7, 62, 300, 0.4986281340256639, 0.4986281394958496},
		{8, 7, 3001, 0.4969750392109499, 0.4969750642776489},
		{9, 129, 1, 0.49115173720997857, 0.49115175008773804},
		{10, 1, 8193, 0.4888490556561627, 0.48884907364845276},
	}
	for _, c := range cases {
		rs := newRandomState(c.seed)
		x64 := make([]float64, c.rows*c.cols)
		x32 := make([]float32, len(x64))
		for i := range x64 {
			x64[i] = rs.randomSample()
			x32[i] = float32(x64[i])
		}
		if got := numpyMeanColumnMajor(x64, c.rows, c.cols); got != c.want64 {
			t.Errorf("seed %d %d×%d float64 mean = %.17g, want %.17g", c.seed, c.rows, c.cols, got, c.want64)
		}
		if got := numpyMeanColumnMajor(x32, c.rows, c.cols); got != c.want32 {
			t.Errorf("seed %d %d×%d float32 mean = %.9g, want %.9g", c.seed, c.rows, c.cols, got, c.want32)
		}
	}
}
