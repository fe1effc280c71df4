package safetensors

import (
	"os"
	"testing"
)

// BenchmarkOpenFloat32TinyA opens tiny-a and converts every tensor, the work
// a model loader does.
func BenchmarkOpenFloat32TinyA(b *testing.B) {
	stat, err := os.Stat(tinyA)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(stat.Size())
	for b.Loop() {
		f, err := Open(tinyA)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range f.Names() {
			if _, _, err := f.Float32(name); err != nil {
				b.Fatal(err)
			}
		}
		f.Close()
	}
}

// BenchmarkWriteF16 writes a tiny-a sized model (3.3 M values) as F16.
func BenchmarkWriteF16(b *testing.B) {
	tensors := []Tensor{{Name: "wte", Shape: []int{50257, 64}, Data: make([]float32, 50257*64)}}
	for i := range tensors[0].Data {
		tensors[0].Data[i] = float32(i%1000) * 0.001
	}
	path := b.TempDir() + "/m.safetensors"
	b.SetBytes(int64(len(tensors[0].Data)) * 4)
	for b.Loop() {
		if err := Write(path, tensors, F16, nil); err != nil {
			b.Fatal(err)
		}
	}
}
