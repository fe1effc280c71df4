package nmf

import (
	"math"
	"math/big"
	"sync"
)

// Go's math.Log may be off by an ulp; numpy's legacy Gaussian calls glibc's
// log, which is correctly rounded in all but a vanishing fraction of cases.
// A 1-ulp difference in log changes about 3% of the normals, so the random
// init needs a correctly rounded logarithm to match numpy bit for bit.
// correctLog evaluates log(x) in double-double arithmetic (about 2^-75
// relative error) and rounds once.

const (
	logTableScale = 128 // table points c = j/128 cover [sqrt(1/2), sqrt(2)]
	logTableFirst = 90
	logTableLast  = 182
)

var (
	logTableOnce sync.Once
	logTableHi   [logTableLast - logTableFirst + 1]float64
	logTableLo   [logTableLast - logTableFirst + 1]float64
	ln2Hi, ln2Lo float64
)

// bigLog returns log(x) for x in [0.5, 2] with 200 bits, from
// log(x) = 2 atanh((x-1)/(x+1)); used once to build the table.
func bigLog(x *big.Float) *big.Float {
	const prec = 200
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(x, one)
	den := new(big.Float).SetPrec(prec).Add(x, one)
	z := new(big.Float).SetPrec(prec).Quo(num, den)
	z2 := new(big.Float).SetPrec(prec).Mul(z, z)
	sum := new(big.Float).SetPrec(prec).Set(z)
	power := new(big.Float).SetPrec(prec).Set(z)
	term := new(big.Float).SetPrec(prec)
	limit := new(big.Float).SetPrec(prec).SetMantExp(one, -prec)
	for n := int64(3); ; n += 2 {
		power.Mul(power, z2)
		term.Quo(power, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || new(big.Float).Abs(term).Cmp(limit) < 0 {
			break
		}
	}
	return sum.Mul(sum, new(big.Float).SetInt64(2))
}

// splitBig rounds f to a double-double (hi, lo).
func splitBig(f *big.Float) (hi, lo float64) {
	hi, _ = f.Float64()
	rest := new(big.Float).SetPrec(f.Prec()).Sub(f, new(big.Float).SetFloat64(hi))
	lo, _ = rest.Float64()
	return hi, lo
}

func buildLogTable() {
	for j := logTableFirst; j <= logTableLast; j++ {
		c := new(big.Float).SetPrec(200).SetFloat64(float64(j) / logTableScale)
		logTableHi[j-logTableFirst], logTableLo[j-logTableFirst] = splitBig(bigLog(c))
	}
	ln2Hi, ln2Lo = splitBig(bigLog(new(big.Float).SetPrec(200).SetInt64(2)))
}

// twoSum returns s, e with s = fl(a+b) and s+e = a+b exactly.
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// twoProd returns p, e with p = fl(a*b) and p+e = a*b exactly.
func twoProd(a, b float64) (p, e float64) {
	p = a * b
	e = math.FMA(a, b, -p)
	return p, e
}

// ddAdd adds two double-double numbers.
func ddAdd(ah, al, bh, bl float64) (hi, lo float64) {
	s, e := twoSum(ah, bh)
	e += al + bl
	return twoSum(s, e)
}

// correctLog returns log(x) correctly rounded for positive finite normal x
// (with overwhelming probability); other inputs fall back to math.Log.
func correctLog(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) || x < 0x1p-1000 {
		return math.Log(x)
	}
	logTableOnce.Do(buildLogTable)
	m, e := math.Frexp(x) // x = m * 2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	c := math.Round(m*logTableScale) / logTableScale
	j := int(c*logTableScale) - logTableFirst

	// s = (m-c)/(m+c) as a double-double; m-c is exact.
	d := m - c
	sumHi, sumLo := twoSum(m, c)
	sh := d / sumHi
	p, pe := twoProd(sh, sumHi)
	sl := (((d - p) - pe) - sh*sumLo) / sumHi

	// log(m/c) = 2 atanh(s) = 2s + 2s*q, q = s^2/3 + s^4/5 + ...; |s| < 0.003
	// so q ~ 3e-6 and a double suffices for it.
	s2 := sh * sh
	q := s2 * (1.0/3 + s2*(1.0/5+s2*(1.0/7+s2*(1.0/9+s2/11))))
	rh, rl := 2*sh, 2*sl+2*sh*q

	eh, el := twoProd(float64(e), ln2Hi)
	el += float64(e) * ln2Lo
	hi, lo := ddAdd(eh, el, logTableHi[j], logTableLo[j])
	hi, lo = ddAdd(hi, lo, rh, rl)
	return hi + lo
}
