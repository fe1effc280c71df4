package batch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/atomicfile"
	"github.com/ecco-go/ecco/internal/jsonfile"
)

// MergeConfig is one `ecco merge`.
type MergeConfig struct {
	Out    string   // the merged folder: results.jsonl and manifest.json
	Input  string   // the dataset the shards ran, to check every id is there; "" checks the shards against each other
	Shards []string // the shards' output folders
	// Parquet also writes results.parquet from the merged results.jsonl.
	Parquet bool
}

// shardResults is one shard folder's index.
type shardResults struct {
	dir      string
	manifest Manifest
	lines    []indexedLine
}

// Merge joins shard outputs into cfg.Out: it checks that the manifests agree but for the shard,
// that the shards are 0..n-1 of the same n each once, and that every id is there exactly once;
// the results are written in the input's order (with cfg.Input) or shard by shard.
func Merge(cfg MergeConfig) (int, error) {
	if len(cfg.Shards) == 0 {
		return 0, errors.New("no shard folders given")
	}
	shards := make([]shardResults, len(cfg.Shards))
	for i, dir := range cfg.Shards {
		m, err := ReadManifest(dir)
		if err != nil {
			return 0, fmt.Errorf("shard %s: %w (is it the -out folder of an `ecco batch` run?)", dir, err)
		}
		lines, _, err := indexResults(filepath.Join(dir, ResultsFile))
		if err != nil {
			return 0, err
		}
		shards[i] = shardResults{dir: dir, manifest: m, lines: lines}
	}
	if err := checkManifests(shards); err != nil {
		return 0, err
	}
	where := map[string]int{} // id → shard index
	var order []string
	var doubled []string
	for s, sh := range shards {
		for _, l := range sh.lines {
			if _, ok := where[l.id]; ok {
				doubled = append(doubled, l.id)
				continue
			}
			where[l.id] = s
			order = append(order, l.id)
		}
	}
	if len(doubled) > 0 {
		return 0, fmt.Errorf("%d ids appear more than once across the shards: %s", len(doubled), firstFew(doubled))
	}
	if cfg.Input != "" {
		records, _, err := readInput(cfg.Input, Shard{})
		if err != nil {
			return 0, err
		}
		var missing []string
		want := make([]string, len(records))
		for i, r := range records {
			want[i] = r.ID
			if _, ok := where[r.ID]; !ok {
				missing = append(missing, r.ID)
			}
		}
		if len(missing) > 0 {
			return 0, fmt.Errorf("%d ids of %s have no result in the shards: %s (the shards' %s say why, or resume those shards)",
				len(missing), cfg.Input, firstFew(missing), ErrorsFile)
		}
		if len(want) != len(order) {
			return 0, fmt.Errorf("the shards hold %d results but %s has %d good records: the shards ran another input", len(order), cfg.Input, len(want))
		}
		order = want
	}
	if err := writeMerged(cfg.Out, shards, where, order); err != nil {
		return 0, err
	}
	if cfg.Parquet {
		if _, err := WriteParquet(cfg.Out); err != nil {
			return 0, err
		}
	}
	return len(order), nil
}

// checkManifests wants the same options but for the shard, and shards 0..n-1 each once.
func checkManifests(shards []shardResults) error {
	first := shards[0].manifest.Options
	count := first.Shard.Count
	seen := map[int]string{}
	for _, sh := range shards {
		opts := sh.manifest.Options
		if opts.Shard.Count != count {
			return fmt.Errorf("shard %s is %q but %s is %q: the shards split the input differently", sh.dir, opts.Shard, shards[0].dir, first.Shard)
		}
		opts.Shard = first.Shard
		if diff := optionsDiff(first, opts); diff != "" {
			return fmt.Errorf("shard %s ran with other options than %s (%s)", sh.dir, shards[0].dir, diff)
		}
		if other, ok := seen[sh.manifest.Options.Shard.Index]; ok && count > 0 {
			return fmt.Errorf("shards %s and %s are both %q", other, sh.dir, sh.manifest.Options.Shard)
		}
		seen[sh.manifest.Options.Shard.Index] = sh.dir
	}
	if count > 0 && len(seen) != count {
		return fmt.Errorf("%d shards given but the run was split into %d: every shard i/%d from 0 to %d is needed", len(seen), count, count, count-1)
	}
	if count == 0 && len(shards) > 1 {
		return errors.New("the folders are whole runs, not shards (run `ecco batch -shard i/n`)")
	}
	return nil
}

// writeMerged writes the results in order, and the manifest without a shard, atomically.
func writeMerged(out string, shards []shardResults, where map[string]int, order []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("creating the output folder: %w", err)
	}
	at := make([]map[string]indexedLine, len(shards))
	files := make([]*os.File, len(shards))
	for i, sh := range shards {
		at[i] = make(map[string]indexedLine, len(sh.lines))
		for _, l := range sh.lines {
			at[i][l.id] = l
		}
		f, err := os.Open(filepath.Join(sh.dir, ResultsFile))
		if err != nil {
			return err
		}
		defer f.Close()
		files[i] = f
	}
	path := filepath.Join(out, ResultsFile)
	err := atomicfile.Write(path, func(w io.Writer) error {
		for _, id := range order {
			s := where[id]
			l := at[s][id]
			if _, err := io.Copy(w, io.NewSectionReader(files[s], l.offset, l.length)); err != nil {
				return fmt.Errorf("copying %q from %s: %w", id, shards[s].dir, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	m := shards[0].manifest
	m.Options.Shard = Shard{}
	return jsonfile.Write(filepath.Join(out, ManifestFile), m)
}

// firstFew lists up to five ids.
func firstFew(ids []string) string {
	ids = slices.Clone(ids)
	suffix := ""
	if len(ids) > 5 {
		suffix = fmt.Sprintf(" and %d more", len(ids)-5)
		ids = ids[:5]
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(quoted, ", ") + suffix
}
