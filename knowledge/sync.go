package knowledge

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
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
// database is down, the embedder fails); the report then holds what was
// done before it.
//
// Two syncs of one folder do not run at once: the second waits for the
// first (Store.Lock) and then finds what is left to do, usually nothing.
//
// Symbolic links to files are read as the file they point to. Links to
// folders are not followed (a link can point anywhere, also to a parent,
// and a sync brings in only the folder it was given); they, links that
// point nowhere and anything that is not a regular file (a pipe, a
// device) are skipped with a note.
//
// The derived search statistics are brought up to date at the end, also
// when nothing changed: a sync that was interrupted before it got there
// left them behind, and the next one repairs them (Store.Refresh).
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
	unlock, err := in.lockFolder(ctx, abs)
	if err != nil {
		return rep, err
	}
	defer unlock()

	files, skipped, err := listFolder(abs, man)
	if err != nil {
		return rep, fmt.Errorf("read folder %s: %w", dir, err)
	}
	rep.Results = append(rep.Results, skipped...)

	recs, err := in.Store.List(ctx)
	if err != nil {
		return rep, err
	}
	cat := newCatalogue(recs)

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
		slug := cat.slugFor(f, abs)
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
		res, err := in.addFile(ctx, f, slug, abs, meta, false)
		if err != nil {
			if _, bad := AsInputError(err); !bad {
				// not the file's fault: the database or the embedder
				return rep, err
			}
			in.logger().Info("document failed", "slug", slug, "err", err)
		}
		rep.Results = append(rep.Results, res)
		if p != nil {
			p.Add(1)
		}
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
	if err := in.Store.Refresh(ctx); err != nil {
		return rep, err
	}
	return rep, nil
}

// lockFolder waits until no other sync of the folder runs, telling the
// user when it has to wait.
func (in *Ingester) lockFolder(ctx context.Context, dir string) (func(), error) {
	key := "wegwijs-sync:" + dir
	unlock, ok, err := in.Store.TryLock(ctx, key)
	if err != nil || ok {
		return unlock, err
	}
	in.notice("Er loopt al een kb sync van deze map. Ik wacht tot die klaar is en ga dan verder.")
	return in.Store.Lock(ctx, key)
}

// listFolder walks a synced folder: the files to ingest, in order, and
// what was skipped with a note. Hidden files and folders, testdata
// folders and what sources.yaml ignores are left out silently.
func listFolder(abs string, man Manifest) (files []string, skipped []Result, err error) {
	skip := func(p, note string) {
		skipped = append(skipped, Result{Name: p, Action: Skipped, Note: filepath.Base(p) + " " + note})
	}
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
		if d.Type().IsRegular() {
			files = append(files, p)
			return nil
		}
		fi, err := os.Stat(p) // follows a symbolic link
		switch {
		case err != nil && d.Type()&fs.ModeSymlink != 0:
			skip(p, "is een snelkoppeling (symbolische link) die nergens naar verwijst, of naar zichzelf")
		case err != nil:
			return err
		case fi.IsDir():
			skip(p, "is een snelkoppeling naar een map; die volg ik niet. Zet de bestanden in deze map zelf, of synchroniseer die map apart met kb sync")
		case fi.Mode().IsRegular():
			files = append(files, p)
		default:
			skip(p, "is geen gewoon bestand (maar bijvoorbeeld een pipe of een apparaat)")
		}
		return nil
	})
	sort.Strings(files)
	return files, skipped, err
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
