package knowledge

import (
	"context"
	"errors"
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

// Store keeps documents and their chunks. Replace swaps in a new version in
// one transaction: a search sees either all of the old version or all of the
// new one.
type Store interface {
	Document(ctx context.Context, slug string) (Record, error) // ErrNotFound when absent
	Replace(ctx context.Context, rec Record, chunks []Chunk, vectors [][]float32, embedder string) (Record, error)
	Remove(ctx context.Context, slug string) error
	List(ctx context.Context) ([]Record, error)
	Chunks(ctx context.Context, slug string) ([]StoredChunk, error)
	// Refresh rebuilds derived search data (the word list for fuzzy
	// matching) after a batch of changes.
	Refresh(ctx context.Context) error
	// Glossary is the stored glossary (YAML), nil when there is none;
	// SaveGlossary replaces it.
	Glossary(ctx context.Context) ([]byte, error)
	SaveGlossary(ctx context.Context, body []byte, source string) error
}

// Embedder turns texts into vectors. Name identifies the model and its
// settings: vectors with different names are never compared.
type Embedder interface {
	Name() string
	Dimensions() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}
