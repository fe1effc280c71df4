package hub

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// shardedTiny is tiny-a's repository with its weights split into shards.
type shardedTiny struct {
	files  map[string][]byte // every file the fake hub serves
	shards []string          // shard names, in index order
}

// newShardedTiny re-shards tiny-a's model.safetensors into n files (tensors
// in name order, dealt out in contiguous runs), with the index that maps
// them, and the other tiny-a files beside them.
func newShardedTiny(t testing.TB, n int) *shardedTiny {
	t.Helper()
	src, err := safetensors.Open(filepath.Join(tinyDir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	names := src.Names()
	tmp := t.TempDir()
	st := &shardedTiny{files: map[string][]byte{"README.md": []byte("# tiny, sharded\n")}}
	weightMap := map[string]string{}
	for i := range n {
		shard := fmt.Sprintf("model-%05d-of-%05d.safetensors", i+1, n)
		var tensors []safetensors.Tensor
		for _, name := range names[i*len(names)/n : (i+1)*len(names)/n] {
			data, shape, err := src.Float32(name)
			if err != nil {
				t.Fatal(err)
			}
			tensors = append(tensors, safetensors.Tensor{Name: name, Shape: shape, Data: data})
			weightMap[name] = shard
		}
		path := filepath.Join(tmp, shard)
		if err := safetensors.Write(path, tensors, safetensors.F32, map[string]string{"format": "pt"}); err != nil {
			t.Fatal(err)
		}
		st.files[shard] = readFile(t, path)
		st.shards = append(st.shards, shard)
	}
	index, err := json.Marshal(map[string]any{"metadata": map[string]any{"total_size": 0}, "weight_map": weightMap})
	if err != nil {
		t.Fatal(err)
	}
	st.files[shardIndexFile] = index
	for _, name := range allTinyFiles {
		if name != WeightsFile {
			st.files[name] = readFile(t, filepath.Join(tinyDir, name))
		}
	}
	return st
}

// serve adds the repository to h as id, its shards served like LFS files.
func (st *shardedTiny) serve(h *fakeHub, id string) *fakeRepo {
	repo := h.addRepo(id, st.files)
	for _, shard := range st.shards {
		repo.lfs[shard] = true
	}
	return repo
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// StartShardedTinyHub serves tiny-a split into three shards as repository
// id on a fake hub and returns the hub's endpoint; for the tests of package
// hub_test, which load the model through package ecco.
func StartShardedTinyHub(t *testing.T, id string) string {
	hub := newFakeHub(t)
	newShardedTiny(t, 3).serve(hub, id)
	return hub.start().URL
}
