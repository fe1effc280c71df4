package ecco

import "math"

// gaussLegendre returns the n nodes (ascending, in [-1, 1]) and weights of the Gauss–Legendre
// rule, by Newton's method on the Legendre polynomial P_n. Integrated gradients maps them to
// [0, 1] as α = (1+x)/2 with weights w/2, as Captum does.
func gaussLegendre(n int) (nodes, weights []float64) {
	nodes, weights = make([]float64, n), make([]float64, n)
	for i := range (n + 1) / 2 {
		x := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5)) // Tricomi's first guess
		var deriv float64
		for range 100 {
			p, dp := legendre(n, x)
			deriv = dp
			dx := p / dp
			x -= dx
			if math.Abs(dx) < 1e-16 {
				_, deriv = legendre(n, x)
				break
			}
		}
		w := 2 / ((1 - x*x) * deriv * deriv)
		nodes[i], nodes[n-1-i] = -x, x
		weights[i], weights[n-1-i] = w, w
	}
	return nodes, weights
}

// legendre evaluates P_n(x) and its derivative by the three-term recurrence.
func legendre(n int, x float64) (p, dp float64) {
	p0, p1 := 1.0, x
	if n == 0 {
		return 1, 0
	}
	for k := 2; k <= n; k++ {
		p0, p1 = p1, ((2*float64(k)-1)*x*p1-(float64(k)-1)*p0)/float64(k)
	}
	return p1, float64(n) * (x*p1 - p0) / (x*x - 1)
}
