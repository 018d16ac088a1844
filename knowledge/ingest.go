package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// SplitVersion changes whenever extraction post-processing or splitting
// changes, so that a sync re-ingests documents whose chunks would differ.
const SplitVersion = "split-5"

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
}

// Action says what an ingest did with a document.
type Action string

const (
	Added     Action = "added"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
	Removed   Action = "removed"
	Failed    Action = "failed"
)

// Result is the outcome for one document.
type Result struct {
	Slug    string
	Name    string
	Action  Action
	Version int
	Chunks  int
	Pages   int
	Err     error // for Failed
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

func (in *Ingester) maxBytes() int64 {
	if in.MaxBytes > 0 {
		return in.MaxBytes
	}
	return DefaultMaxBytes
}

// AddFile ingests one file. meta overrides what the file itself and a
// sources.yaml beside it say.
func (in *Ingester) AddFile(ctx context.Context, path string, meta Meta) (Result, error) {
	man, err := ReadManifest(filepath.Dir(path))
	if err != nil {
		return Result{Name: path, Action: Failed, Err: err}, err
	}
	return in.refreshed(ctx)(in.addFile(ctx, path, "", mergeMeta(meta, man.Documents[filepath.Base(path)])))
}

// refreshed rebuilds derived search data after a single add that changed
// something.
func (in *Ingester) refreshed(ctx context.Context) func(Result, error) (Result, error) {
	return func(res Result, err error) (Result, error) {
		if err == nil && (res.Action == Added || res.Action == Updated) {
			if rerr := in.Store.Refresh(ctx); rerr != nil {
				return res, rerr
			}
		}
		return res, err
	}
}

func (in *Ingester) addFile(ctx context.Context, path, origin string, meta Meta) (Result, error) {
	res := Result{Name: path, Slug: SlugForFile(path), Action: Failed}
	fail := func(err error) (Result, error) { res.Err = err; return res, err }
	fi, err := os.Stat(path)
	if err != nil {
		return fail(&InputError{Name: path, Problem: Unreachable, Err: err})
	}
	if fi.IsDir() {
		return fail(&InputError{Name: path, Problem: Unsupported, Detail: "dit is een map; gebruik kb sync"})
	}
	if fi.Size() > in.maxBytes() {
		return fail(&InputError{Name: path, Problem: TooLarge,
			Detail: fmt.Sprintf("%d MB, de limiet is %d MB", fi.Size()>>20, in.maxBytes()>>20)})
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fail(&InputError{Name: path, Problem: Unreachable, Err: err})
	}
	abs, _ := filepath.Abs(path)
	return in.ingest(ctx, res, Input{Name: path, Path: path}, data, abs, origin, meta)
}

// AddURL downloads a web page or document and ingests it.
func (in *Ingester) AddURL(ctx context.Context, rawURL string, meta Meta) (Result, error) {
	res := Result{Name: rawURL, Slug: SlugForURL(rawURL), Action: Failed}
	fail := func(err error) (Result, error) { res.Err = err; return res, err }
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(&InputError{Name: rawURL, Problem: Unreachable, Detail: "geen geldig http(s)-adres"})
	}
	client := in.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fail(&InputError{Name: rawURL, Problem: Unreachable, Err: err})
	}
	req.Header.Set("User-Agent", "Wegwijs kennisbank")
	resp, err := client.Do(req)
	if errors.Is(err, ErrInternalAddress) {
		return fail(&InputError{Name: rawURL, Problem: Internal, Err: err})
	}
	if err != nil {
		return fail(&InputError{Name: rawURL, Problem: Unreachable, Err: err})
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fail(&InputError{Name: rawURL, Problem: LoginWall, Detail: fmt.Sprintf("HTTP %d", resp.StatusCode)})
	}
	if resp.StatusCode != http.StatusOK {
		return fail(&InputError{Name: rawURL, Problem: Unreachable, Detail: fmt.Sprintf("HTTP %d", resp.StatusCode)})
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, in.maxBytes()+1))
	if err != nil {
		return fail(&InputError{Name: rawURL, Problem: Unreachable, Err: err})
	}
	if int64(len(data)) > in.maxBytes() {
		return fail(&InputError{Name: rawURL, Problem: TooLarge, Detail: fmt.Sprintf("meer dan %d MB", in.maxBytes()>>20)})
	}
	ext := extForContentType(resp.Header.Get("Content-Type"))
	if ext == "" {
		ext = strings.ToLower(filepath.Ext(u.Path))
	}
	tmp, err := os.CreateTemp("", "wegwijs-*"+ext)
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if meta.URL == "" {
		meta.URL = rawURL
	}
	return in.refreshed(ctx)(in.ingest(ctx, res, Input{Name: rawURL, Path: tmp.Name(), URL: rawURL}, data, rawURL, "", meta))
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

// ingest is the common path: hash, skip when unchanged, extract, split,
// embed, swap in.
func (in *Ingester) ingest(ctx context.Context, res Result, input Input, data []byte, source, origin string, meta Meta) (Result, error) {
	fail := func(err error) (Result, error) { res.Err = err; return res, err }
	if len(strings.TrimSpace(string(data))) == 0 {
		return fail(&InputError{Name: input.Name, Problem: Empty})
	}
	format := DetectFormat(input.Path, data)
	ex, ok := in.Extractors[format]
	if !ok {
		return fail(&InputError{Name: input.Name, Problem: Unsupported})
	}
	hash := contentHash(data, meta, in.Embedder.Name())
	old, err := in.Store.Document(ctx, res.Slug)
	switch {
	case err == nil && old.Hash == hash && old.Origin == origin:
		res.Action, res.Version, res.Chunks, res.Pages = Unchanged, old.Version, old.Chunks, old.Pages
		return res, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return fail(err)
	}
	start := time.Now()
	doc, err := ex.Extract(ctx, input)
	if err != nil {
		return fail(err)
	}
	if doc.Format == "pdf" {
		doc.Blocks = StructurePages(doc.Blocks)
	}
	chunks := Split(doc.Blocks, in.Split)
	if len(chunks) == 0 {
		return fail(&InputError{Name: input.Name, Problem: NoText})
	}
	if err := in.screen(ctx, res.Slug, input, source, origin, completeMeta(meta, doc.Meta, input), chunks, old.Version > 0); err != nil {
		return fail(err)
	}
	vectors, err := in.embed(ctx, chunks)
	if err != nil {
		return fail(fmt.Errorf("embed %s: %w", res.Slug, err))
	}
	rec := Record{
		Slug:   res.Slug,
		Meta:   completeMeta(meta, doc.Meta, input),
		Source: source,
		Origin: origin,
		Format: doc.Format,
		Pages:  doc.Pages,
		Hash:   hash,
	}
	saved, err := in.Store.Replace(ctx, rec, chunks, vectors, in.Embedder.Name())
	if err != nil {
		return fail(fmt.Errorf("store %s: %w", res.Slug, err))
	}
	res.Action = Added
	if saved.Version > 1 {
		res.Action = Updated
	}
	res.Version, res.Chunks, res.Pages = saved.Version, len(chunks), doc.Pages
	in.logger().Info("ingested document", "slug", res.Slug, "action", res.Action, "version", saved.Version,
		"chunks", len(chunks), "pages", doc.Pages, "ms", time.Since(start).Milliseconds())
	return res, nil
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

func (in *Ingester) embed(ctx context.Context, chunks []Chunk) ([][]float32, error) {
	size := in.BatchSize
	if size <= 0 {
		size = 64
	}
	out := make([][]float32, 0, len(chunks))
	for i := 0; i < len(chunks); i += size {
		batch := make([]string, 0, size)
		for _, c := range chunks[i:min(i+size, len(chunks))] {
			batch = append(batch, EmbedText(c))
		}
		vs, err := in.Embedder.Embed(ctx, batch)
		if err != nil {
			return nil, err
		}
		if len(vs) != len(batch) {
			return nil, fmt.Errorf("embedder returned %d vectors for %d texts", len(vs), len(batch))
		}
		out = append(out, vs...)
	}
	return out, nil
}

func contentHash(data []byte, meta Meta, embedder string) string {
	h := sha256.New()
	h.Write(data)
	m, _ := json.Marshal(meta)
	h.Write(m)
	io.WriteString(h, SplitVersion+"\x00"+ScreenVersion+"\x00"+embedder)
	return hex.EncodeToString(h.Sum(nil))
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
		if base != "" {
			m.Title = strings.ToUpper(base[:1]) + base[1:]
		}
	}
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

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// SlugForFile is the key of a file's document: its name without extension.
func SlugForFile(p string) string {
	base := filepath.Base(p)
	return slugify(strings.TrimSuffix(base, filepath.Ext(base)))
}

// SlugForURL is the key of a web document: host and path.
func SlugForURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return slugify(raw)
	}
	return slugify(strings.TrimPrefix(u.Host, "www.") + "-" + strings.TrimSuffix(u.Path, filepath.Ext(u.Path)))
}

func slugify(s string) string {
	s = slugUnsafe.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}
