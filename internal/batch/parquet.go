package batch

// Parquet output uses github.com/parquet-go/parquet-go rather than
// github.com/apache/arrow-go/v18 (both pinned and served; measured in BENCHMARKS.md "Parquet
// library"): parquet-go writes rows straight from a Go struct (GenericWriter[ParquetRow], one
// Flush per row group) where arrow-go wants a column builder per nested list and a pqarrow
// bridge, and parquet-go weighs far less: a program writing one such table is 15.5 MB with 20
// modules against arrow-go's 53.1 MB with 97. arrow-go's reader, a separate implementation,
// reads these files back with the expected Arrow types (BENCHMARKS.md); pyarrow, which pandas
// and polars use, was not installed where this was checked.
//
// Resume: results.jsonl stays the journal that every record is appended to as it completes;
// results.parquet is derived from it when a run (or a merge) ends, streamed line by line into
// row groups of parquetRowGroup records and renamed into place, so a kill never leaves a torn
// Parquet file and a resumed run rewrites it whole from the complete journal.

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/ecco-go/ecco/ecco/atomicfile"
	"github.com/ecco-go/ecco/internal/jsonl"
)

// ParquetFile is the Parquet copy of results.jsonl that -format parquet writes.
const ParquetFile = "results.parquet"

// parquetRowGroup is the records per row group: a row group is the unit a reader loads, so it
// stays small enough for a laptop even when each record holds a long attribution matrix.
const parquetRowGroup = 256

// ParquetRow is one row of results.parquet: the fields of a results.jsonl line that tables
// hold well (the activations stay in results.jsonl, too large for a column of a table row).
// Read it back with parquet.Read[ParquetRow], pandas.read_parquet or polars.read_parquet.
type ParquetRow struct {
	ID            string   `parquet:"id" json:"id"`
	Model         string   `parquet:"model" json:"model"`
	Text          string   `parquet:"text" json:"text"`
	GeneratedText string   `parquet:"generated_text" json:"generated_text"`
	NInput        int64    `parquet:"n_input_tokens" json:"n_input_tokens"`
	TokenIDs      []int64  `parquet:"token_ids,list" json:"token_ids"`
	Tokens        []string `parquet:"tokens,list" json:"tokens"`
	// Attributions, one per method in name order: Scores[i] scores the NInput+i tokens before
	// generated token i, as results.jsonl's "attributions" object does.
	Attributions []MethodScores `parquet:"attributions,list" json:"-"`
}

// MethodScores are one attribution method's scores, [generated token][position].
type MethodScores struct {
	Method string      `parquet:"method"`
	Scores [][]float64 `parquet:"scores,list"`
}

// parquetRow decodes one results.jsonl line into its row.
func parquetRow(line []byte) (ParquetRow, error) {
	var v struct {
		ParquetRow
		Attributions map[string][][]float64 `json:"attributions"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return ParquetRow{}, err
	}
	row := v.ParquetRow
	methods := make([]string, 0, len(v.Attributions))
	for m := range v.Attributions {
		methods = append(methods, m)
	}
	slices.Sort(methods)
	for _, m := range methods {
		row.Attributions = append(row.Attributions, MethodScores{Method: m, Scores: v.Attributions[m]})
	}
	return row, nil
}

// WriteParquet writes dir/results.parquet from dir/results.jsonl, reading one line at a time
// and writing a row group every parquetRowGroup records, atomically. It returns the rows written.
func WriteParquet(dir string) (int, error) {
	src := filepath.Join(dir, ResultsFile)
	f, err := os.Open(src)
	if err != nil {
		return 0, fmt.Errorf("writing Parquet: %w", err)
	}
	defer f.Close()
	dst := filepath.Join(dir, ParquetFile)
	rows := 0
	err = atomicfile.Write(dst, func(out io.Writer) error {
		w := parquet.NewGenericWriter[ParquetRow](out)
		br := bufio.NewReaderSize(f, 1<<20)
		for n := 1; ; n++ {
			line, err := jsonl.ReadLine(br, maxResultBytes)
			if errors.Is(err, io.EOF) { // the end, or a partial line a kill left: not a result
				break
			}
			if err != nil {
				return fmt.Errorf("%s line %d: %w", src, n, err)
			}
			row, err := parquetRow(line)
			if err != nil {
				return fmt.Errorf("%s line %d is not a result (%v): move the folder away and rerun", src, n, err)
			}
			if _, err := w.Write([]ParquetRow{row}); err != nil {
				return err
			}
			if rows++; rows%parquetRowGroup == 0 {
				if err := w.Flush(); err != nil {
					return err
				}
			}
		}
		return w.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", dst, err)
	}
	return rows, nil
}
