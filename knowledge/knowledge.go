// Package knowledge owns the documents of the knowledge base: their metadata,
// the blocks of text extracted from them, how they are split into chunks for
// citing, and how a folder or file is brought into the store (idempotently,
// by content hash). It knows nothing of PostgreSQL or of any file format
// library: extractors live in knowledge/<format>, the store in
// retrieval/postgres.
package knowledge

import (
	"context"
	"iter"
	"time"
)

// Meta describes a document as a reader sees it in a citation.
type Meta struct {
	Title     string    `yaml:"title" json:"title"`
	Publisher string    `yaml:"publisher" json:"publisher,omitempty"`
	Region    string    `yaml:"region" json:"region,omitempty"` // e.g. "Twente", "Haaglanden", "landelijk"
	URL       string    `yaml:"url" json:"url,omitempty"`       // where the original can be read
	Date      time.Time `yaml:"-" json:"date,omitzero"`         // publication date, zero when unknown
}

// BlockKind tells headings from body text.
type BlockKind int

const (
	Paragraph BlockKind = iota
	Heading
)

// Block is one unit of extracted text: a heading or a paragraph.
type Block struct {
	Kind  BlockKind
	Level int    // heading level, 1 is the top; 0 for paragraphs
	Text  string // the text, with line breaks inside a paragraph turned into spaces
	Page  int    // 1-based page number; 0 when the format has no pages
}

// Document is what an extractor returns: metadata found in the file (may be
// empty; flags, front matter and sources.yaml fill the rest) and its blocks in
// reading order.
type Document struct {
	Meta   Meta
	Format string // "pdf", "docx", "html", "md", "txt"
	Pages  int    // number of pages, 0 when the format has none
	Blocks []Block
}

// Input is one file handed to an extractor. For a URL the content has
// already been downloaded to Path.
type Input struct {
	Name string // what the user named: a path or a URL; used in messages
	Path string // the local file to read
	URL  string // the page address when the input came from the web
	// MaxText bounds what an extractor takes from the file: bytes of text,
	// and for a packed format a multiple of it in unpacked bytes. Past it
	// the extractor stops and returns an *InputError (TooMuchContent),
	// whatever the file's headers claimed. 0 means DefaultMaxBytes.
	MaxText int64
}

// TextLimit is MaxText, or DefaultMaxBytes when it is not set.
func (in Input) TextLimit() int64 {
	if in.MaxText > 0 {
		return in.MaxText
	}
	return DefaultMaxBytes
}

// Extractor turns one input of its format into a Document. It returns an
// *InputError for input that is bad (corrupt, encrypted, no text), so the
// user can be told what to do.
type Extractor interface {
	Extract(ctx context.Context, in Input) (*Document, error)
}

// Streamer is an Extractor that can also give a document's blocks one at a
// time, so that ingesting a large file holds a few blocks of it, never the
// file. The Document it returns has no Blocks, and its Meta is complete
// only once blocks has been read to the end (a Markdown file's title may
// be its first heading). Reading blocks again reads the file again. A
// problem found while reading ends blocks with an error (an *InputError
// for bad input).
type Streamer interface {
	Stream(ctx context.Context, in Input) (*Document, iter.Seq2[Block, error], error)
}
