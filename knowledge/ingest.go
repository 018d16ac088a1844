package knowledge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SplitVersion changes whenever extraction post-processing or splitting
// changes, so that a sync re-ingests documents whose chunks would differ.
const SplitVersion = "split-7"

// DefaultMaxBytes is the default size limit of one input: 50 MB.
const DefaultMaxBytes = 50 << 20

// Progress is told how far long work has come. A nil Progress is quiet.
type Progress interface {
	Start(total int, what string)
	Add(n int)
	Finish()
}

// Ingester brings files, folders and web pages into the store.
type Ingester struct {
	Store      Store
	Embedder   Embedder
	Extractors map[string]Extractor // by format: pdf, docx, html, md, txt
	MaxBytes   int64                // 0 means DefaultMaxBytes
	HTTP       *http.Client         // for URLs
	Log        *slog.Logger
	Progress   Progress
	Split      SplitOptions
	BatchSize  int // texts per embedding call; 0 means 64
	// Screen, when set, refuses a document holding pupil data in any text
	// that would be stored or shown (screen.go).
	Screen Screener
	Now    func() time.Time
	// Notice, when set, is told things the user should know while the
	// work goes on, in Dutch (a sync waiting for another one).
	Notice func(string)
}

// Action says what an ingest did with a document.
type Action string

const (
	Added     Action = "added"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	Removed   Action = "removed"
	Failed    Action = "failed"
	Skipped   Action = "skipped" // not a document; Note says why
)

// Result is the outcome for one document.
type Result struct {
	Slug    string
	Name    string
	Action  Action
	Version int
	Chunks  int
	Pages   int
	Err     error  // for Failed
	Note    string // for Skipped: why, in Dutch
}

// Report is the outcome of a sync.
type Report struct {
	Results []Result
	// Glossary says what became of the folder's glossary: Added, Updated
	// or Unchanged, or "" when the folder has none.
	Glossary Action
}

// Count returns how many results had the action.
func (r Report) Count(a Action) int {
	n := 0
	for _, x := range r.Results {
		if x.Action == a {
			n++
		}
	}
	return n
}

// Failures lists the failed results.
func (r Report) Failures() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Action == Failed {
			out = append(out, x)
		}
	}
	return out
}

func (in *Ingester) logger() *slog.Logger {
	if in.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return in.Log
}

func (in *Ingester) notice(msg string) {
	if in.Notice != nil {
		in.Notice(msg)
	}
}

func (in *Ingester) maxBytes() int64 {
	if in.MaxBytes > 0 {
		return in.MaxBytes
	}
	return DefaultMaxBytes
}

// AddFile ingests one file. meta overrides what the file itself and a
// sources.yaml beside it say. The file's document keeps its key when the
// file was added before, also by a sync of its folder (see
// catalogue.slugFor).
func (in *Ingester) AddFile(ctx context.Context, path string, meta Meta) (Result, error) {
	man, err := ReadManifest(filepath.Dir(path))
	if err != nil {
		return Result{Name: path, Action: Failed, Err: err}, err
	}
	recs, err := in.Store.List(ctx)
	if err != nil {
		return Result{Name: path, Action: Failed, Err: err}, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{Name: path, Action: Failed, Err: err}, err
	}
	cat := newCatalogue(recs)
	origin := ""
	if r, ok := cat.bySource[abs]; ok {
		origin = r.Origin // a file of a synced folder stays the folder's
	}
	res, err := in.addFile(ctx, path, cat.slugFor(abs, origin), origin, mergeMeta(meta, man.Documents[filepath.Base(path)]), true)
	return in.refreshed(ctx, res, err)
}

// refreshed brings derived search data up to date after a single add; a
// no-op in the store when nothing changed (Store.Refresh).
func (in *Ingester) refreshed(ctx context.Context, res Result, err error) (Result, error) {
	if err != nil {
		if _, bad := AsInputError(err); !bad {
			return res, err
		}
	}
	if rerr := in.Store.Refresh(ctx); rerr != nil {
		return res, rerr
	}
	return res, err
}

// addFile ingests the file at path as the document slug. It reads the
// file once to hash it (and to tell its format and whether it is empty)
// without holding it in memory; the extractor reads it again only when
// it changed. progress: see ingest.
func (in *Ingester) addFile(ctx context.Context, path, slug, origin string, meta Meta, progress bool) (Result, error) {
	res := Result{Name: path, Slug: slug, Action: Failed}
	sum, done, err := in.summarizeFile(path, path)
	if err != nil {
		res.Err = err
		return res, err
	}
	defer done()
	abs, _ := filepath.Abs(path)
	return in.ingest(ctx, res, Input{Name: path, Path: path}, sum, abs, origin, meta, how{progress: progress})
}

// summarizeFile checks that path is a regular file within the size limit
// and reads its summary; errors name the file as name. The summary reads
// the file again: done closes it, after the summary's last use.
func (in *Ingester) summarizeFile(path, name string) (sum summary, done func(), err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return summary{}, nil, &InputError{Name: name, Problem: Unreachable, Err: err}
	}
	if fi.IsDir() {
		return summary{}, nil, &InputError{Name: name, Problem: NotAFile, Detail: "dit is een map; gebruik kb sync"}
	}
	if !fi.Mode().IsRegular() {
		return summary{}, nil, &InputError{Name: name, Problem: NotAFile, Detail: "maar bijvoorbeeld een pipe of een apparaat"}
	}
	if fi.Size() > in.maxBytes() {
		return summary{}, nil, in.tooLarge(name, fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		return summary{}, nil, &InputError{Name: name, Problem: Unreachable, Err: err}
	}
	sum, err = readSummary(f, in.maxBytes())
	if err == nil && sum.size > in.maxBytes() { // it grew while being read
		err = in.tooLarge(name, sum.size)
	} else if err != nil {
		err = &InputError{Name: name, Problem: Unreachable, Err: err}
	}
	if err != nil {
		f.Close()
		return summary{}, nil, err
	}
	return sum, func() { f.Close() }, nil
}

func (in *Ingester) tooLarge(name string, size int64) error {
	return &InputError{Name: name, Problem: TooLarge,
		Detail: fmt.Sprintf("%d MB, de limiet is %d MB", size>>20, in.maxBytes()>>20)}
}

// summary is what ingest needs of an input's bytes.
type summary struct {
	data  io.WriterTo // writes the bytes again, for the content hash
	head  []byte      // the first 512 bytes, to tell the format
	size  int64
	blank bool // only white space
}

// readSummary reads r (up to max+1 bytes) once: its head, its size and
// whether it is blank; data re-reads it from the start for the hash.
func readSummary(r io.ReadSeeker, max int64) (summary, error) {
	s := summary{blank: true}
	buf := make([]byte, 64<<10)
	lr := io.LimitReader(r, max+1)
	for {
		n, err := lr.Read(buf)
		if n > 0 {
			if len(s.head) < 512 {
				s.head = append(s.head, buf[:min(n, 512-len(s.head))]...)
			}
			if s.blank && len(bytes.TrimSpace(buf[:n])) > 0 {
				s.blank = false
			}
			s.size += int64(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
	}
	s.data = writerFunc(func(w io.Writer) (int64, error) {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		return io.Copy(w, io.LimitReader(r, s.size))
	})
	return s, nil
}

func summarize(data []byte) summary {
	return summary{data: bytes.NewReader(data), head: data[:min(len(data), 512)], size: int64(len(data)),
		blank: len(bytes.TrimSpace(data)) == 0}
}

type writerFunc func(io.Writer) (int64, error)

func (f writerFunc) WriteTo(w io.Writer) (int64, error) { return f(w) }

// AddURL downloads a web page or document and ingests it.
func (in *Ingester) AddURL(ctx context.Context, rawURL string, meta Meta) (Result, error) {
	res, err := in.addURL(ctx, rawURL, meta, how{progress: true})
	return in.refreshed(ctx, res, err)
}

func (in *Ingester) addURL(ctx context.Context, rawURL string, meta Meta, h how) (Result, error) {
	res := Result{Name: rawURL, Slug: SlugForURL(rawURL), Action: Failed}
	path, data, err := in.fetch(ctx, rawURL)
	if err != nil {
		res.Err = err
		return res, err
	}
	defer os.Remove(path)
	if meta.URL == "" {
		meta.URL = rawURL
	}
	return in.ingest(ctx, res, Input{Name: rawURL, Path: path, URL: rawURL}, data, rawURL, "", meta, h)
}

// fetch downloads rawURL into a temporary file (the caller removes it).
func (in *Ingester) fetch(ctx context.Context, rawURL string) (string, summary, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", summary{}, &InputError{Name: rawURL, Problem: Unreachable, Detail: "geen geldig http(s)-adres"}
	}
	client := in.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return "", summary{}, &InputError{Name: rawURL, Problem: Unreachable, Err: err}
	}
	req.Header.Set("User-Agent", "Wegwijs kennisbank")
	resp, err := client.Do(req)
	if errors.Is(err, ErrInternalAddress) {
		return "", summary{}, &InputError{Name: rawURL, Problem: Internal, Err: err}
	}
	if err != nil {
		return "", summary{}, &InputError{Name: rawURL, Problem: Unreachable, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return "", summary{}, &InputError{Name: rawURL, Problem: LoginWall, Detail: fmt.Sprintf("HTTP %d", resp.StatusCode)}
	}
	if resp.StatusCode != http.StatusOK {
		return "", summary{}, &InputError{Name: rawURL, Problem: Unreachable, Detail: fmt.Sprintf("HTTP %d", resp.StatusCode)}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, in.maxBytes()+1))
	if err != nil {
		return "", summary{}, &InputError{Name: rawURL, Problem: Unreachable, Err: err}
	}
	if int64(len(data)) > in.maxBytes() {
		return "", summary{}, &InputError{Name: rawURL, Problem: TooLarge, Detail: fmt.Sprintf("meer dan %d MB", in.maxBytes()>>20)}
	}
	ext := extForContentType(resp.Header.Get("Content-Type"))
	if ext == "" {
		ext = strings.ToLower(filepath.Ext(u.Path))
	}
	tmp, err := os.CreateTemp("", "wegwijs-fetch-*"+ext)
	if err != nil {
		return "", summary{}, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", summary{}, err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", summary{}, err
	}
	return tmp.Name(), summarize(data), nil
}

func extForContentType(ct string) string {
	mt, _, _ := mime.ParseMediaType(ct)
	switch mt {
	case "text/html", "application/xhtml+xml":
		return ".html"
	case "application/pdf":
		return ".pdf"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return ".docx"
	case "text/markdown":
		return ".md"
	case "text/plain":
		return ".txt"
	}
	return ""
}

// how is how an input is ingested: progress says whether a long
// document's passages may be shown on in.Progress (not during a sync,
// which counts documents); draft stores it as a draft (Record.Draft).
type how struct {
	progress bool
	draft    bool
}

// ingest is the common path: hash, skip when unchanged, extract, split,
// embed, swap in (or shelve, for a draft).
func (in *Ingester) ingest(ctx context.Context, res Result, input Input, data summary, source, origin string, meta Meta, h how) (Result, error) {
	fail := func(err error) (Result, error) { res.Err = err; return res, err }
	if data.blank {
		return fail(&InputError{Name: input.Name, Problem: Empty})
	}
	format := DetectFormat(input.Path, data.head)
	ex, ok := in.Extractors[format]
	if !ok {
		return fail(&InputError{Name: input.Name, Problem: Unsupported})
	}
	hash, err := contentHash(data.data, meta, in.Embedder.Name())
	if err != nil {
		return fail(&InputError{Name: input.Name, Problem: Unreachable, Err: err})
	}
	input.MaxText = in.maxBytes()
	old, err := in.Store.Document(ctx, res.Slug)
	switch {
	case err == nil && old.Hash == hash && old.Origin == origin:
		res.Action, res.Version, res.Chunks, res.Pages = Unchanged, old.Version, old.Chunks, old.Pages
		return res, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return fail(err)
	}
	start := time.Now()
	doc, chunks, err := in.chunks(ctx, ex, input)
	if err != nil {
		return fail(err)
	}
	// The check reads every passage once, one at a time, and the store
	// reads them again: a large document is never held whole. A refused
	// draft leaves the version that answers alone: the file sent is not
	// that version's file.
	checked, err := in.screen(ctx, res.Slug, input, source, origin, meta, doc, chunks, old.Version > 0 && !h.draft)
	if err != nil {
		return fail(err)
	}
	rec := Record{
		Slug:   res.Slug,
		Meta:   completeMeta(meta, doc.Meta, input),
		Source: source,
		Origin: origin,
		Format: doc.Format,
		Pages:  doc.Pages,
		Hash:   hash,
		Draft:  h.draft,
	}
	var p Progress
	if h.progress && checked.count() >= longDocument {
		p = in.Progress
	}
	stored := checked.same(input.Name, chunks)
	if !checked.headings {
		stored = titled(stored, rec.Meta.Title)
	}
	saved, err := in.Store.Replace(ctx, rec, in.passages(ctx, res.Slug, stored, checked.count(), p), in.Embedder.Name())
	if errors.Is(err, ErrRejected) {
		return fail(&InputError{Name: input.Name, Problem: Unstorable, Err: err})
	}
	if ie, ok := AsInputError(err); ok {
		return fail(ie)
	}
	if err != nil {
		return fail(fmt.Errorf("store %s: %w", res.Slug, err))
	}
	res.Action = Added
	if saved.Version > 1 && (!h.draft || old.Version > 0) {
		res.Action = Updated
	}
	res.Version, res.Chunks, res.Pages = saved.Version, checked.count(), doc.Pages
	in.logger().Info("ingested document", "slug", res.Slug, "action", res.Action, "version", saved.Version,
		"chunks", checked.count(), "pages", doc.Pages, "ms", time.Since(start).Milliseconds())
	return res, nil
}

// chunks extracts a document and gives its chunks, to be read more than
// once (the check, then the store). A Streamer's file is read again each
// time, one block at a time, so only a few of its blocks and chunks are
// held; another extractor's document is split once and its chunks held
// (PDF structure needs all pages: StructurePages). A panic of the
// extractor on hostile input becomes an *InputError for that one file.
func (in *Ingester) chunks(ctx context.Context, ex Extractor, input Input) (*Document, iter.Seq2[Chunk, error], error) {
	if st, ok := ex.(Streamer); ok {
		var doc *Document
		var blocks iter.Seq2[Block, error]
		err := in.guard(input, func() (err error) { doc, blocks, err = st.Stream(ctx, input); return err }, nil)
		if err != nil {
			return nil, nil, err
		}
		return doc, func(yield func(Chunk, error) bool) {
			var readErr error
			inBody := false // a panic in the caller's loop is not the extractor's
			err := in.guard(input, func() error {
				good := func(yield func(Block) bool) {
					for b, err := range blocks {
						if err != nil {
							readErr = err
							return
						}
						if !yield(b) {
							return
						}
					}
				}
				for c := range SplitStream(good, in.Split) {
					inBody = true
					if !yield(c, nil) {
						return nil
					}
					inBody = false
				}
				return readErr
			}, &inBody)
			if err != nil {
				yield(Chunk{}, err)
			}
		}, nil
	}
	var doc *Document
	if err := in.guard(input, func() (err error) { doc, err = ex.Extract(ctx, input); return err }, nil); err != nil {
		return nil, nil, err
	}
	if doc.Format == "pdf" {
		doc.Blocks = StructurePages(doc.Blocks)
	}
	held := slices.Collect(SplitStream(consumed(doc.Blocks), in.Split))
	doc.Blocks = nil // the chunks hold the text now
	return doc, func(yield func(Chunk, error) bool) {
		for _, c := range held {
			if !yield(c, nil) {
				return
			}
		}
	}, nil
}

// EmbedText is what the embedder sees of a chunk: its heading path, the
// sentence before it, and its text.
func EmbedText(c Chunk) string {
	var b strings.Builder
	if len(c.Heading) > 0 {
		b.WriteString(strings.Join(c.Heading, " > "))
		b.WriteString("\n")
	}
	if c.Context != "" {
		b.WriteString(c.Context)
		b.WriteString("\n")
	}
	b.WriteString(c.Text)
	return b.String()
}

// longDocument is the number of passages from which adding one document
// shows its progress.
const longDocument = 2000

// passages embeds the chunks (n of them) a batch at a time as the store
// reads them, so only one batch of chunks and vectors is in memory.
func (in *Ingester) passages(ctx context.Context, slug string, chunks iter.Seq2[Chunk, error], n int, p Progress) iter.Seq2[Passage, error] {
	size := in.BatchSize
	if size <= 0 {
		size = 64
	}
	return func(yield func(Passage, error) bool) {
		if p != nil {
			p.Start(n, "passages")
			defer p.Finish()
		}
		part := make([]Chunk, 0, size)
		batch := make([]string, 0, size)
		send := func() bool {
			if len(part) == 0 {
				return true
			}
			batch = batch[:0]
			for _, c := range part {
				batch = append(batch, EmbedText(c))
			}
			vs, err := in.Embedder.Embed(ctx, batch)
			if err == nil && len(vs) != len(batch) {
				err = fmt.Errorf("embedder returned %d vectors for %d texts", len(vs), len(batch))
			}
			if err != nil {
				yield(Passage{}, fmt.Errorf("embed %s: %w", slug, err))
				return false
			}
			for j, c := range part {
				if !yield(Passage{Chunk: c, Vector: vs[j]}, nil) {
					return false
				}
			}
			if p != nil {
				p.Add(len(part))
			}
			clear(part)
			part = part[:0]
			return true
		}
		for c, err := range chunks {
			if err != nil {
				yield(Passage{}, err)
				return
			}
			if part = append(part, c); len(part) == size && !send() {
				return
			}
		}
		send()
	}
}

// guard runs f, turning a panic on hostile input into an *InputError for
// that one file (the stack goes to the log, without text). A panic while
// *passOn is true (passOn may be nil) is not the extractor's and is passed
// on.
func (in *Ingester) guard(input Input, f func() error, passOn *bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if passOn != nil && *passOn {
				panic(r)
			}
			in.logger().Info("extractor panicked", "input", input.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = &InputError{Name: input.Name, Problem: Corrupt, Err: fmt.Errorf("extractor panicked: %v", r)}
		}
	}()
	return f()
}

func contentHash(data io.WriterTo, meta Meta, embedder string) (string, error) {
	h := sha256.New()
	if _, err := data.WriteTo(h); err != nil {
		return "", err
	}
	m, _ := json.Marshal(meta)
	h.Write(m)
	io.WriteString(h, SplitVersion+"\x00"+ScreenVersion+"\x00"+embedder)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// mergeMeta fills the empty fields of a from b.
func mergeMeta(a, b Meta) Meta {
	if a.Title == "" {
		a.Title = b.Title
	}
	if a.Publisher == "" {
		a.Publisher = b.Publisher
	}
	if a.Region == "" {
		a.Region = b.Region
	}
	if a.URL == "" {
		a.URL = b.URL
	}
	if a.Date.IsZero() {
		a.Date = b.Date
	}
	return a
}

// completeMeta merges what was given with what the file says, and falls
// back to a title made from the file name.
func completeMeta(given, extracted Meta, in Input) Meta {
	m := mergeMeta(given, extracted)
	if m.Title == "" {
		base := filepath.Base(in.Name)
		if in.URL != "" {
			base = path.Base(in.URL)
		}
		base = strings.TrimSuffix(base, filepath.Ext(base))
		base = strings.NewReplacer("-", " ", "_", " ").Replace(base)
		if first, size := utf8.DecodeRuneInString(base); base != "" {
			// the first rune, not the first byte: "één" gives "Één"
			m.Title = string(unicode.ToUpper(first)) + base[size:]
		}
	}
	// A title or publisher taken from the file is shown with every answer:
	// a heading of a megabyte is cut like a chunk's heading.
	m.Title, m.Publisher, m.Region = shortenHeading(m.Title), shortenHeading(m.Publisher), shortenHeading(m.Region)
	return m
}

// DetectFormat tells the format from the file name, or from the content
// when the name does not say.
func DetectFormat(path string, data []byte) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".pdf":
		return "pdf"
	case ".docx":
		return "docx"
	case ".html", ".htm", ".xhtml":
		return "html"
	case ".md", ".markdown":
		return "md"
	case ".txt", ".text":
		return "txt"
	}
	switch ct := http.DetectContentType(data); {
	case strings.HasPrefix(ct, "application/pdf"):
		return "pdf"
	case strings.HasPrefix(ct, "text/html"):
		return "html"
	case strings.HasPrefix(ct, "application/zip") && slices.Contains([]string{".docx", ""}, strings.ToLower(filepath.Ext(path))):
		return "docx"
	case strings.HasPrefix(ct, "text/plain") && filepath.Ext(path) == "":
		return "txt"
	}
	return ""
}
