package main

import (
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// TestGenerateOcclusion: -attribution occlusion writes the scores the API computes for the
// same greedy run (their values are tested in package ecco).
func TestGenerateOcclusion(t *testing.T) {
	assertCLIAttributions(t, ecco.Occlusion)
}
