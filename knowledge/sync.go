package knowledge

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
)

// Sync makes the knowledge base match a folder: new files are added,
// changed ones become a new version, unchanged ones are skipped, and
// documents that an earlier sync of this folder brought in but whose file
// is gone are removed. The folder's glossary (glossary.yaml), when it has
// one, replaces the stored glossary when it differs. A bad file does not
// stop the others; it is listed in the report as failed. The error is for
// the sync as a whole (the folder or its glossary cannot be read, the
// database is down).
func (in *Ingester) Sync(ctx context.Context, dir string) (Report, error) {
	var rep Report
	abs, err := filepath.Abs(dir)
	if err != nil {
		return rep, err
	}
	man, err := ReadManifest(abs)
	if err != nil {
		return rep, err
	}
	gloss, err := ReadGlossary(abs)
	if err != nil {
		return rep, err
	}
	var files []string
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != abs && (d.Name()[0] == '.' || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(abs, p)
		if d.Name()[0] == '.' || man.Ignored(rel) || man.Ignored(d.Name()) {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("read folder %s: %w", dir, err)
	}
	sort.Strings(files)

	p := in.Progress
	if p != nil {
		p.Start(len(files), "documenten")
		defer p.Finish()
	}
	seen := map[string]string{} // slug -> file
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rel, _ := filepath.Rel(abs, f)
		slug := SlugForFile(f)
		if other, dup := seen[slug]; dup {
			err := &InputError{Name: f, Problem: Unsupported, Detail: "dezelfde naam als " + filepath.Base(other) + "; geef een van beide een andere naam"}
			rep.Results = append(rep.Results, Result{Name: f, Slug: slug, Action: Failed, Err: err})
			continue
		}
		seen[slug] = f
		meta := man.Documents[rel]
		if rel != filepath.Base(f) {
			meta = mergeMeta(meta, man.Documents[filepath.Base(f)])
		}
		res, err := in.addFile(ctx, f, abs, meta)
		if err != nil {
			if _, bad := AsInputError(err); !bad {
				// not the file's fault: the database or the embedder
				return rep, err
			}
			in.logger().Warn("document failed", "slug", slug, "err", err)
		}
		rep.Results = append(rep.Results, res)
		if p != nil {
			p.Add(1)
		}
	}

	recs, err := in.Store.List(ctx)
	if err != nil {
		return rep, err
	}
	for _, r := range recs {
		if r.Origin != abs {
			continue
		}
		if _, ok := seen[r.Slug]; ok {
			continue
		}
		if err := in.Store.Remove(ctx, r.Slug); err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, Result{Name: r.Source, Slug: r.Slug, Action: Removed, Version: r.Version})
	}
	if rep.Glossary, err = in.saveGlossary(ctx, gloss, abs); err != nil {
		return rep, err
	}
	if rep.Count(Added)+rep.Count(Updated)+rep.Count(Removed) > 0 {
		if err := in.Store.Refresh(ctx); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// saveGlossary stores a folder's glossary when it has one that differs
// from the stored one, and says what it did ("" when the folder has none).
func (in *Ingester) saveGlossary(ctx context.Context, g *Glossary, dir string) (Action, error) {
	if g.Len() == 0 {
		return "", nil
	}
	body, err := g.Marshal()
	if err != nil {
		return Failed, err
	}
	old, err := in.Store.Glossary(ctx)
	if err != nil {
		return Failed, err
	}
	if bytes.Equal(old, body) {
		return Unchanged, nil
	}
	if err := in.Store.SaveGlossary(ctx, body, dir); err != nil {
		return Failed, err
	}
	if old == nil {
		return Added, nil
	}
	return Updated, nil
}

// Remove takes a document out of the knowledge base: it stops answering.
func (in *Ingester) Remove(ctx context.Context, slug string) error {
	if err := in.Store.Remove(ctx, slug); err != nil {
		return err
	}
	return in.Store.Refresh(ctx)
}
