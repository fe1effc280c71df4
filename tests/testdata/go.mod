// The reference models and Ecco's outputs (82 MB) are a module of their own so that they stay
// out of the github.com/ecco-go/ecco module zip `go get` downloads: a folder with a go.mod is
// left out of its parent module. Tests read these files by path from a checkout.
module github.com/ecco-go/ecco/tests/testdata

go 1.26
