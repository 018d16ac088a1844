package knowledge

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Record is a document as the knowledge base holds it: its active version.
type Record struct {
	Slug    string // stable key: the file name without extension, or the URL
	Meta    Meta
	Source  string // file path or URL it was read from
	Origin  string // the folder a sync brought it from; empty for kb add
	Format  string
	Pages   int
	Chunks  int
	Hash    string // content hash: file bytes, metadata and splitter version
	Version int
	Updated time.Time
	// Draft: stored as a draft, indexed but answering nothing until it is
	// activated (Store.Replace).
	Draft bool
}

// StoredChunk is a chunk as stored, with its document.
type StoredChunk struct {
	Chunk
	ID   int64
	Slug string
}

// ErrNotFound is returned for a document the knowledge base does not hold.
var ErrNotFound = errors.New("document not found")

// ErrEmbedderMismatch is returned when the vectors in the store were made
// by another embedder than the one configured: vectors of two models never
// mix.
var ErrEmbedderMismatch = errors.New("embedder differs from the one that filled the knowledge base")

// ErrRejected is returned (wrapped) when the store refuses a document's
// data, such as text it cannot index: a fault of that one document, not
// of the store, so a sync goes on with the others.
var ErrRejected = errors.New("the store refused the document's data")

// Passage is a chunk with its vector, as a new version is stored.
type Passage struct {
	Chunk
	Vector []float32
}

// Passages yields the passages of chunks with vectors already made.
func Passages(chunks []Chunk, vectors [][]float32) iter.Seq2[Passage, error] {
	return func(yield func(Passage, error) bool) {
		for i, c := range chunks {
			var v []float32
			if i < len(vectors) {
				v = vectors[i]
			}
			if !yield(Passage{Chunk: c, Vector: v}, nil) {
				return
			}
		}
	}
}

// Store keeps documents and their chunks. Replace swaps in a new version in
// one transaction: a search sees either all of the old version or all of the
// new one.
type Store interface {
	Document(ctx context.Context, slug string) (Record, error) // ErrNotFound when absent
	// Replace stores a new version with its passages, read one at a time
	// (so a large document's vectors are never all in memory); an error
	// from passages aborts it, and nothing is stored.
	Replace(ctx context.Context, rec Record, passages iter.Seq2[Passage, error], embedder string) (Record, error)
	Remove(ctx context.Context, slug string) error
	// Purge takes a document out for good, its kept versions with it.
	Purge(ctx context.Context, slug string) error
	List(ctx context.Context) ([]Record, error)
	Chunks(ctx context.Context, slug string) ([]StoredChunk, error)
	// Refresh brings the derived search data (the word list for fuzzy
	// matching, the word statistics) up to date with the documents. It
	// knows whether they are, so it costs one query when nothing changed
	// since the last refresh, and it repairs what an interrupted run left
	// stale.
	Refresh(ctx context.Context) error
	// Glossary is the stored glossary (YAML), nil when there is none;
	// SaveGlossary replaces it.
	Glossary(ctx context.Context) ([]byte, error)
	SaveGlossary(ctx context.Context, body []byte, source string) error
	// TryLock takes the named lock if no one holds it; Lock waits for it.
	// The lock is released by unlock, or when the process or the
	// database goes away.
	TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error)
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// Embedder turns texts into vectors. Name identifies the model and its
// settings: vectors with different names are never compared.
type Embedder interface {
	Name() string
	Dimensions() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}
