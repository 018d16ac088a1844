package knowledge

import (
	"context"
	"path/filepath"
)

// OriginChat is the origin of documents sent in a chat: no folder sync
// removes them.
const OriginChat = "chat"

// DraftFile ingests a file sent in a chat as a draft: extracted, screened
// for pupil data, embedded and stored, answering nothing until the store
// activates it. path is where the file lies now (a temporary copy); name
// is the file's own name, which gives the document its key, so a file
// named like a document in the knowledge base is a new version of it.
// A refused draft leaves the version that answers alone.
func (in *Ingester) DraftFile(ctx context.Context, path, name string, meta Meta) (Result, error) {
	name = filepath.Base(name)
	res := Result{Name: name, Slug: SlugForFile(name), Action: Failed}
	sum, done, err := in.summarizeFile(path, name)
	if err != nil {
		res.Err = err
		return res, err
	}
	defer done()
	return in.ingest(ctx, res, Input{Name: name, Path: path}, sum, OriginChat+":"+name, OriginChat, meta, how{draft: true})
}

// DraftURL downloads a web page or document and ingests it as a draft
// (DraftFile).
func (in *Ingester) DraftURL(ctx context.Context, rawURL string, meta Meta) (Result, error) {
	return in.addURL(ctx, rawURL, meta, how{draft: true})
}

// Purge takes a document out of the knowledge base for good, the versions
// kept to restore with it (Store.Purge).
func (in *Ingester) Purge(ctx context.Context, slug string) error {
	if err := in.Store.Purge(ctx, slug); err != nil {
		return err
	}
	return in.Store.Refresh(ctx)
}
