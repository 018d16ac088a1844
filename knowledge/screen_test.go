package knowledge_test

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/bot/privacy"
	. "github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

type zeroEmbedder struct{}

func (zeroEmbedder) Name() string    { return "zero" }
func (zeroEmbedder) Dimensions() int { return 2 }
func (zeroEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1, 0}
	}
	return out, nil
}

// fixedExtractor returns the same document for every input.
type fixedExtractor struct{ doc Document }

func (f fixedExtractor) Extract(context.Context, Input) (*Document, error) {
	d := f.doc
	d.Blocks = append([]Block(nil), f.doc.Blocks...) // the ingester frees blocks as it splits them
	return &d, nil
}

// screenIngester ingests every input as doc into a fresh knowledge base
// in the real store.
func screenIngester(t *testing.T, doc Document) (*Ingester, *postgres.Store) {
	t.Helper()
	g, err := privacy.New()
	if err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(context.Background(), pgtest.DSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return &Ingester{Store: st, Embedder: zeroEmbedder{}, Screen: g, Extractors: map[string]Extractor{"txt": fixedExtractor{doc}}}, st
}

// stored lists what the knowledge base holds.
func stored(t *testing.T, st *postgres.Store) []Record {
	t.Helper()
	recs, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

const cleanText = "De mentor belt de ouders op de eerste dag van het verzuim. Bij zorgwekkend verzuim volgt een gesprek."

func writeDoc(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScreenReadsEveryField puts a BSN in each text that is stored or
// shown, one at a time: each must be refused, and the refusal must say
// where without repeating the number.
func TestScreenReadsEveryField(t *testing.T) {
	const bsn = "111222333"
	clean := Document{Format: "txt", Blocks: []Block{{Kind: Heading, Level: 1, Text: "Rol van de mentor"}, {Text: cleanText}}}
	for _, tc := range []struct {
		name  string
		doc   func(Document) Document
		meta  Meta
		file  string
		where string
	}{
		{name: "passage", doc: func(d Document) Document {
			d.Blocks = append(d.Blocks[:1:1], Block{Text: cleanText + " Leerling " + bsn + " belt."})
			return d
		}, where: "de tekst"},
		{name: "heading", doc: func(d Document) Document {
			d.Blocks = append([]Block{{Kind: Heading, Level: 1, Text: "Dossier " + bsn}}, d.Blocks[1:]...)
			return d
		}, where: "een kop"},
		{name: "heading on a page", doc: func(d Document) Document {
			d.Blocks = []Block{{Kind: Heading, Level: 1, Text: "Dossier " + bsn, Page: 3}, {Text: cleanText, Page: 3}}
			return d
		}, where: "een kop op pagina 3"},
		{name: "extracted title", doc: func(d Document) Document { d.Meta.Title = "Verslag " + bsn; return d }, where: "de titel"},
		{name: "given title", meta: Meta{Title: "Verslag " + bsn}, where: "de titel"},
		{name: "publisher", meta: Meta{Publisher: "BSN " + bsn}, where: "de uitgever"},
		{name: "region", meta: Meta{Region: bsn}, where: "de regio"},
		{name: "url", meta: Meta{URL: "https://example.nl/" + bsn}, where: "de link"},
		{name: "file name", file: "dossier_" + bsn + ".txt", where: "de bestandsnaam"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := clean
			if tc.doc != nil {
				d = tc.doc(d)
			}
			in, st := screenIngester(t, d)
			file := tc.file
			if file == "" {
				file = "rol.txt"
			}
			_, err := in.AddFile(context.Background(), writeDoc(t, file, "tekst"), tc.meta)
			ie, ok := AsInputError(err)
			if !ok || ie.Problem != PupilData {
				t.Fatalf("err = %v, want a refusal for pupil data", err)
			}
			if msg := ie.Dutch() + ie.Error(); strings.Contains(msg, bsn) || !strings.Contains(msg, tc.where) || !strings.Contains(msg, "BSN") {
				t.Errorf("refusal %q: want the place %q and the kind, never the number", msg, tc.where)
			}
			if recs := stored(t, st); len(recs) != 0 {
				t.Errorf("stored: %v", recs)
			}
		})
	}
}

// TestScreenRemovesTheStoredVersion: a document refused while an earlier
// version is stored (as one stored under an older check is, when its hash
// changes with ScreenVersion) takes that version out.
func TestScreenRemovesTheStoredVersion(t *testing.T) {
	doc := Document{Format: "txt", Blocks: []Block{{Text: cleanText}}}
	in, st := screenIngester(t, doc)
	p := writeDoc(t, "rol.txt", "versie 1")
	ctx := context.Background()
	if res, err := in.AddFile(ctx, p, Meta{}); err != nil || res.Action != Added {
		t.Fatalf("first add: %+v %v", res, err)
	}
	in.Extractors["txt"] = fixedExtractor{Document{Format: "txt", Blocks: []Block{{Text: cleanText + " BSN 111222333."}}}}
	os.WriteFile(p, []byte("versie 2"), 0o644)
	_, err := in.AddFile(ctx, p, Meta{})
	ie, ok := AsInputError(err)
	if !ok || ie.Problem != PupilData || !strings.Contains(ie.Dutch(), "vorige versie") {
		t.Fatalf("err = %v, want a refusal that says the earlier version went", err)
	}
	current, err := st.StatsCurrent(ctx)
	if recs := stored(t, st); len(recs) != 0 || err != nil || !current {
		t.Errorf("stored %v, statistics current %v (%v): want the earlier version removed and the search data rebuilt", recs, current, err)
	}
}

// TestScreenRefusesADraft: a file sent in a chat with pupil data is
// refused with nothing stored, and the version that answers stays: the
// file sent is not that version's file.
func TestScreenRefusesADraft(t *testing.T) {
	doc := Document{Format: "txt", Blocks: []Block{{Text: cleanText}}}
	in, st := screenIngester(t, doc)
	ctx := context.Background()
	if _, err := in.AddFile(ctx, writeDoc(t, "rol.txt", "versie 1"), Meta{}); err != nil {
		t.Fatal(err)
	}
	in.Extractors["txt"] = fixedExtractor{Document{Format: "txt", Blocks: []Block{{Text: cleanText + " BSN 111222333."}}}}
	_, err := in.DraftFile(ctx, writeDoc(t, "upload", "versie 2"), "rol.txt", Meta{})
	if ie, ok := AsInputError(err); !ok || ie.Problem != PupilData || strings.Contains(ie.Dutch(), "111222333") {
		t.Fatalf("err = %v, want a refusal for pupil data", err)
	}
	if recs := stored(t, st); len(recs) != 1 || recs[0].Version != 1 {
		t.Errorf("the answering version changed: %+v", recs)
	}
	if drafts, err := st.Drafts(ctx); err != nil || len(drafts) != 0 {
		t.Errorf("drafts: %+v %v", drafts, err)
	}
}

// flipExtractor streams its document, and a different one on every read
// after the first: a file that changes between the check and the store.
type flipExtractor struct {
	first, later Document
	reads        *int
}

func (f flipExtractor) Extract(context.Context, Input) (*Document, error) {
	d := f.first
	return &d, nil
}

func (f flipExtractor) Stream(context.Context, Input) (*Document, iter.Seq2[Block, error], error) {
	d := Document{Format: f.first.Format, Meta: f.first.Meta}
	return &d, func(yield func(Block, error) bool) {
		*f.reads++
		doc := f.first
		if *f.reads > 1 {
			doc = f.later
		}
		for _, b := range doc.Blocks {
			if !yield(b, nil) {
				return
			}
		}
	}, nil
}

// TestChangedBetweenReads: a streamed document is read twice, once for the
// check and once for the store. When it changed in between (here: pupil
// data added after the check), nothing of it is stored and the user is
// told to try again.
func TestChangedBetweenReads(t *testing.T) {
	in, st := screenIngester(t, Document{})
	ctx := context.Background()
	for name, later := range map[string][]Block{
		"pupil data added": {{Text: cleanText + " BSN 111222333."}},
		"a passage more":   {{Text: cleanText}, {Kind: Heading, Level: 1, Text: "NOG EEN KOP"}, {Text: cleanText}},
		"a passage less":   {{Text: cleanText}},
	} {
		first := []Block{{Text: cleanText}}
		if name == "a passage less" {
			first = append(first, Block{Kind: Heading, Level: 1, Text: "NOG EEN KOP"}, Block{Text: cleanText})
		}
		reads := 0
		in.Extractors["txt"] = flipExtractor{first: Document{Format: "txt", Blocks: first}, later: Document{Format: "txt", Blocks: later}, reads: &reads}
		_, err := in.AddFile(ctx, writeDoc(t, "rol.txt", name), Meta{})
		ie, ok := AsInputError(err)
		if !ok || ie.Problem != Changed || !strings.Contains(ie.Dutch(), "veranderde terwijl ik het las") {
			t.Errorf("%s: err = %v, want Changed", name, err)
		}
		if reads != 2 {
			t.Errorf("%s: read %d times, want 2", name, reads)
		}
		if recs := stored(t, st); len(recs) != 0 {
			t.Errorf("%s: stored %+v", name, recs)
		}
	}
}
