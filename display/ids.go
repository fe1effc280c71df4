package display

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// Every rendered fragment needs a DOM id that is unique in the page and in
// the notebook. GoNB runs each cell as a new process, so a counter would
// repeat across cells: ids are random, from a generator tests can seed.
var ids = struct {
	sync.Mutex
	rng *rand.Rand
}{rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}

// SeedIDs makes the ids of the views rendered afterwards a deterministic
// sequence, so that tests can compare HTML with golden files. Do not call it
// in a notebook: cells seeded alike would produce clashing ids.
func SeedIDs(seed uint64) {
	ids.Lock()
	defer ids.Unlock()
	ids.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// newID returns a fresh id such as "eg3f9a0c81d2b7"; it starts with a letter
// and holds only [0-9a-z], so it is a valid HTML id and CSS identifier.
func newID() string {
	ids.Lock()
	defer ids.Unlock()
	return fmt.Sprintf("eg%012x", ids.rng.Uint64()&(1<<48-1))
}
