package safetensors_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

func Example() {
	dir, err := os.MkdirTemp("", "safetensors-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")

	tensors := []safetensors.Tensor{
		{Name: "layer.weight", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
		{Name: "layer.bias", Shape: []int{3}, Data: []float32{0.1, 0.2, 0.3}},
	}
	if err := safetensors.Write(path, tensors, safetensors.BF16, map[string]string{"format": "pt"}); err != nil {
		log.Fatal(err)
	}

	f, err := safetensors.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for _, name := range f.Names() {
		info, _ := f.Info(name)
		values, shape, err := f.Float32(name)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(name, info.DType, shape, values)
	}
	fmt.Println(f.Metadata())
	// Output:
	// layer.bias BF16 [3] [0.100097656 0.20019531 0.30078125]
	// layer.weight BF16 [2 3] [1 2 3 4 5 6]
	// map[format:pt]
}

func ExampleParseHeader() {
	// A header claiming more bytes than the data area holds.
	header := `{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`
	file := append([]byte{byte(len(header)), 0, 0, 0, 0, 0, 0, 0}, header...)
	file = append(file, make([]byte, 8)...)
	_, err := safetensors.ParseHeader(file, int64(len(file)))
	fmt.Println(err)
	// Output:
	// safetensors: tensor "x": data_offsets [0, 16] reach past the data area of 8 bytes (truncated file?)
}
