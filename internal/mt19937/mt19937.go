// Package mt19937 is the Mersenne Twister both numpy's legacy RandomState and PyTorch's CPU
// generator are built on, seeded from a 32-bit integer as both seed it (init_genrand).
package mt19937

const (
	stateLen = 624
	shift    = 397
	matrixA  = 0x9908b0df
	upper    = 0x80000000
	lower    = 0x7fffffff
)

// MT is a generator's state.
type MT struct {
	key [stateLen]uint32
	pos int
}

// New seeds like numpy's RandomState(seed) for an int seed and torch's manual_seed(seed).
func New(seed uint32) *MT {
	m := &MT{}
	m.key[0] = seed
	for i := 1; i < stateLen; i++ {
		prev := m.key[i-1]
		m.key[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	m.pos = stateLen
	return m
}

// regenerate refills the whole state block (the "twist").
func (m *MT) regenerate() {
	k := &m.key
	for i := 0; i < stateLen; i++ {
		y := (k[i] & upper) | (k[(i+1)%stateLen] & lower)
		next := k[(i+shift)%stateLen] ^ (y >> 1)
		if y&1 != 0 {
			next ^= matrixA
		}
		k[i] = next
	}
	m.pos = 0
}

// Uint32 returns the next tempered 32-bit output.
func (m *MT) Uint32() uint32 {
	if m.pos == stateLen {
		m.regenerate()
	}
	y := m.key[m.pos]
	m.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}
