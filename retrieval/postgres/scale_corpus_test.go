package postgres_test

// The generated corpus of the 100k-chunk benchmarks (scale_bench_test.go):
// Dutch-looking text from the sample documents' vocabulary plus generated
// compounds, loaded with the store's own Replace and kept in a schema that
// later runs reuse.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"go.yaml.in/yaml/v3"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval/offline"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// corpusSpec sizes the generated corpus. Its String is stored with the
// corpus, so a schema built by another generator is never reused.
type corpusSpec struct {
	Docs, ChunksPerDoc int
	MinWords, MaxWords int
	Compounds          int     // generated compound words added to the vocabulary
	Topics, TopicWords int     // documents share a topic: a few words they use often
	TopicShare         float64 // share of a chunk's words drawn from its topic
	Zipf               float64 // exponent of the word-frequency law
	Seed               uint64
}

func (c corpusSpec) String() string {
	return fmt.Sprintf("scale-corpus-v1 docs=%d chunks=%d words=%d-%d compounds=%d topics=%dx%d share=%g zipf=%g seed=%d dims=%d",
		c.Docs, c.ChunksPerDoc, c.MinWords, c.MaxWords, c.Compounds, c.Topics, c.TopicWords, c.TopicShare, c.Zipf, c.Seed,
		offline.DefaultDims)
}

var spec100k = corpusSpec{Docs: 1000, ChunksPerDoc: 100, MinWords: 60, MaxWords: 120, Compounds: 20000,
	Topics: 100, TopicWords: 40, TopicShare: 0.15, Zipf: 1.0, Seed: 2024}

const numQuestions = 200

// vocabulary is the corpus's word list in rank order (most frequent first)
// with the cumulative distribution of a Zipf law over the ranks.
type vocabulary struct {
	words []string
	cdf   []float64
}

func (v *vocabulary) draw(r *rand.Rand) string {
	i := sort.SearchFloat64s(v.cdf, r.Float64()*v.cdf[len(v.cdf)-1])
	return v.words[min(i, len(v.words)-1)]
}

func isWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return utf8.RuneCountInString(w) >= 2
}

// newVocabulary ranks the words of the sample documents by frequency and
// puts generated compounds of their content words behind them.
func newVocabulary(spec corpusSpec) (*vocabulary, error) {
	files, err := filepath.Glob(filepath.Join("..", "..", "knowledge", "sample", "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("sample texts: %v (found %d)", err, len(files))
	}
	count := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, w := range nl.Words(string(b)) {
			if isWord(w) {
				count[w]++
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return words[i] < words[j]
	})
	var parts []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 4 && !nl.IsStopword(w) {
			parts = append(parts, w)
		}
	}
	r := rand.New(rand.NewPCG(spec.Seed, 1))
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	for n := 0; n < spec.Compounds; {
		link := ""
		if r.IntN(10) == 0 {
			link = "s"
		}
		c := parts[r.IntN(len(parts))] + link + parts[r.IntN(len(parts))]
		if seen[c] || utf8.RuneCountInString(c) > 30 {
			continue
		}
		seen[c] = true
		words = append(words, c)
		n++
	}
	v := &vocabulary{words: words, cdf: make([]float64, len(words))}
	sum := 0.0
	for i := range words {
		sum += 1 / math.Pow(float64(i+1), spec.Zipf)
		v.cdf[i] = sum
	}
	return v, nil
}

// genDoc is one generated document with its chunks.
type genDoc struct {
	rec    knowledge.Record
	chunks []knowledge.Chunk
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// document generates document i; it depends only on the spec and i, so
// documents can be generated in any order and in parallel.
func (v *vocabulary) document(spec corpusSpec, i int) genDoc {
	r := rand.New(rand.NewPCG(spec.Seed, uint64(i)+1000))
	topic := v.topic(spec, i%spec.Topics)
	word := func() string {
		if r.Float64() < spec.TopicShare {
			return topic[r.IntN(len(topic))]
		}
		return v.draw(r)
	}
	title := capitalize(strings.Join([]string{topic[0], topic[1+r.IntN(len(topic)-1)], word()}, " "))
	slug := fmt.Sprintf("bench-%04d", i)
	d := genDoc{rec: knowledge.Record{Slug: slug, Meta: knowledge.Meta{Title: title, Publisher: "Benchmark",
		Region: "landelijk"}, Source: slug + ".txt", Format: "txt", Hash: fmt.Sprintf("%s-%d", spec, i)}}
	section := []string{title}
	prevSentence := ""
	for o := 0; o < spec.ChunksPerDoc; o++ {
		if o%10 == 0 {
			section = []string{title, capitalize(word() + " " + word())}
			prevSentence = ""
		}
		n := spec.MinWords + r.IntN(spec.MaxWords-spec.MinWords+1)
		var text strings.Builder
		var sentence []string
		last := ""
		for w := 0; w < n; w++ {
			sentence = append(sentence, word())
			if len(sentence) >= 6+r.IntN(13) || w == n-1 {
				s := capitalize(strings.Join(sentence, " ")) + "."
				if text.Len() > 0 {
					if r.IntN(4) == 0 {
						text.WriteString("\n")
					} else {
						text.WriteString(" ")
					}
				}
				text.WriteString(s)
				last, sentence = s, sentence[:0]
			}
		}
		d.chunks = append(d.chunks, knowledge.Chunk{Ordinal: o, Heading: slices.Clone(section), Text: text.String(),
			Context: prevSentence})
		prevSentence = last
	}
	return d
}

// topic is the list of words a topic's documents use often: content words
// from beyond the most common ranks.
func (v *vocabulary) topic(spec corpusSpec, t int) []string {
	r := rand.New(rand.NewPCG(spec.Seed, uint64(t)+1_000_000))
	out := make([]string, spec.TopicWords)
	for i := range out {
		for {
			w := v.words[50+r.IntN(len(v.words)-50)]
			if !nl.IsStopword(w) && utf8.RuneCountInString(w) >= 4 {
				out[i] = w
				break
			}
		}
	}
	return out
}

// questions returns numQuestions questions: those of the evaluation set,
// then generated ones in the same style (a question opening, a few content
// words, now and then a typo).
func (v *vocabulary) questions(spec corpusSpec) ([]string, error) {
	b, err := os.ReadFile(filepath.Join("..", "..", "eval", "testdata", "questions.yaml"))
	if err != nil {
		return nil, err
	}
	var set struct {
		Questions []struct {
			Question string `yaml:"question"`
		} `yaml:"questions"`
	}
	if err := yaml.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("questions.yaml: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	for _, q := range set.Questions {
		if q.Question != "" && !seen[q.Question] && len(out) < numQuestions {
			seen[q.Question] = true
			out = append(out, q.Question)
		}
	}
	r := rand.New(rand.NewPCG(spec.Seed, 7))
	openings := []string{"wat is", "wie doet wat bij", "hoe werkt", "wanneer moet ik", "waar vind ik", "wat zijn de regels voor",
		"mag een school", "welke rol heeft"}
	for len(out) < numQuestions {
		words := []string{openings[r.IntN(len(openings))]}
		for n := 2 + r.IntN(4); n > 0; {
			w := v.draw(r)
			if nl.IsStopword(w) {
				continue
			}
			if r.IntN(8) == 0 && len(w) > 5 { // a typo: two letters swapped
				i := 1 + r.IntN(len(w)-3)
				w = w[:i] + w[i+1:i+2] + w[i:i+1] + w[i+2:]
			}
			words = append(words, w)
			n--
		}
		q := strings.Join(words, " ") + "?"
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out, nil
}

// scaleEnv is a loaded 100k corpus and the embedded questions.
type scaleEnv struct {
	store     *postgres.Store
	schema    string
	questions []string
	vectors   [][]float32
	chunks    int
	built     string // how the corpus was built (timings), from the run that built it
}

var (
	scaleOnce sync.Once
	scaleVal  *scaleEnv
	scaleErr  error
)

// benchSchemaDefault holds the corpus when WEGWIJS_BENCH_SCHEMA is not set.
const benchSchemaDefault = "wegwijs_bench_100k"

// scaleCorpus returns the 100k corpus, building it at most once per
// process. It skips unless WEGWIJS_BENCH_100K=1 and a test database is
// configured (pgtest.DSN).
//
// The corpus lives in the schema named by WEGWIJS_BENCH_SCHEMA (default
// wegwijs_bench_100k) and is kept after the run: when that schema already
// holds a complete corpus of the same generator, it is reused and nothing
// is loaded; a schema holding an unfinished or different corpus is rebuilt.
// Drop it with DROP SCHEMA wegwijs_bench_100k CASCADE.
func scaleCorpus(tb testing.TB) *scaleEnv {
	tb.Helper()
	if os.Getenv("WEGWIJS_BENCH_100K") != "1" {
		tb.Skip("100k-chunk benchmark skipped: set WEGWIJS_BENCH_100K=1 (and WEGWIJS_TEST_DATABASE_URL); it loads for minutes on first run")
	}
	pgtest.DSN(tb) // skips (or fails under WEGWIJS_REQUIRE_DB) without a database
	scaleOnce.Do(func() {
		scaleVal, scaleErr = loadScaleCorpus(tb, spec100k)
	})
	if scaleErr != nil {
		tb.Fatal(scaleErr)
	}
	return scaleVal
}

func loadScaleCorpus(tb testing.TB, spec corpusSpec) (*scaleEnv, error) {
	ctx := context.Background()
	base := os.Getenv("WEGWIJS_TEST_DATABASE_URL")
	schema := os.Getenv("WEGWIJS_BENCH_SCHEMA")
	if schema == "" {
		schema = benchSchemaDefault
	}
	if schema != strings.ToLower(schema) || strings.ContainsFunc(schema, func(r rune) bool {
		return !(r == '_' || unicode.IsDigit(r) || r >= 'a' && r <= 'z')
	}) {
		return nil, fmt.Errorf("WEGWIJS_BENCH_SCHEMA=%q: use lower-case letters, digits and _", schema)
	}
	voc, err := newVocabulary(spec)
	if err != nil {
		return nil, err
	}
	env := &scaleEnv{schema: schema}
	if env.questions, err = voc.questions(spec); err != nil {
		return nil, err
	}
	emb := offline.New(0)
	if env.vectors, err = emb.Embed(ctx, env.questions); err != nil {
		return nil, err
	}

	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	// One builder per schema at a time.
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(hashtext('wegwijs-bench:' || $1))`, schema); err != nil {
		return nil, err
	}
	defer admin.Exec(ctx, `SELECT pg_advisory_unlock(hashtext('wegwijs-bench:' || $1))`, schema)

	var have, built string
	var schemaExists, markerExists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
		to_regclass($1 || '.bench_corpus') IS NOT NULL`, schema).Scan(&schemaExists, &markerExists); err != nil {
		return nil, err
	}
	if markerExists {
		err := admin.QueryRow(ctx, `SELECT spec, built FROM `+schema+`.bench_corpus WHERE complete`).Scan(&have, &built)
		if err != nil && err != pgx.ErrNoRows {
			return nil, err
		}
	}
	dsn := pgtest.WithSearchPath(base, schema)
	if have == spec.String() {
		tb.Logf("reusing the corpus in schema %s", schema)
		if env.store, err = postgres.Open(ctx, dsn, nil); err != nil {
			return nil, err
		}
		env.built = built
	} else {
		if schemaExists && !markerExists {
			var n int
			if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = $1`, schema).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				return nil, fmt.Errorf("schema %s exists and holds no benchmark corpus; name another in WEGWIJS_BENCH_SCHEMA", schema)
			}
		}
		if _, err := admin.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE; CREATE SCHEMA `+schema); err != nil {
			return nil, err
		}
		if env.store, err = postgres.Open(ctx, dsn, nil); err != nil {
			return nil, err
		}
		if env.built, err = buildCorpus(ctx, tb, env.store, voc, spec, emb); err != nil {
			env.store.Close()
			return nil, err
		}
		if _, err := env.store.Pool().Exec(ctx, `CREATE TABLE bench_corpus (spec text NOT NULL, built text NOT NULL,
			complete boolean NOT NULL)`); err != nil {
			return nil, err
		}
		if _, err := env.store.Pool().Exec(ctx, `INSERT INTO bench_corpus VALUES ($1, $2, true)`, spec.String(), env.built); err != nil {
			return nil, err
		}
	}
	if err := env.store.Pool().QueryRow(ctx, `SELECT count(*) FROM chunks`).Scan(&env.chunks); err != nil {
		return nil, err
	}
	if want := spec.Docs * spec.ChunksPerDoc; env.chunks != want {
		return nil, fmt.Errorf("schema %s holds %d chunks, want %d", schema, env.chunks, want)
	}
	tb.Logf("corpus: %d chunks in schema %s; built: %s", env.chunks, schema, env.built)
	return env, nil
}

// buildCorpus loads the documents with Replace. The first Replace records
// the embedder and creates the HNSW index (setEmbedder); the chunk indexes
// are then dropped, the rest is loaded, and each index is rebuilt from its
// own stored definition (pg_get_indexdef), so the indexes are exactly the
// store's, built in bulk as a restore would.
func buildCorpus(ctx context.Context, tb testing.TB, s *postgres.Store, voc *vocabulary, spec corpusSpec, emb *offline.Embedder) (string, error) {
	type item struct {
		d       genDoc
		vectors [][]float32
	}
	// Generate and embed on all cores, in document order.
	out := make([]chan item, spec.Docs)
	for i := range out {
		out[i] = make(chan item, 1)
	}
	work := make(chan int)
	go func() {
		for i := range spec.Docs {
			work <- i
		}
		close(work)
	}()
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for i := range work {
				d := voc.document(spec, i)
				texts := make([]string, len(d.chunks))
				for j, c := range d.chunks {
					texts[j] = knowledge.EmbedText(c)
				}
				vs, _ := emb.Embed(ctx, texts)
				out[i] <- item{d, vs}
			}
		}()
	}
	start := time.Now()
	first := <-out[0]
	if _, err := s.Replace(ctx, first.d.rec, knowledge.Passages(first.d.chunks, first.vectors), emb.Name()); err != nil {
		return "", err
	}
	pool := s.Pool()
	rows, err := pool.Query(ctx, `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = 'chunks'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
		ORDER BY i.relname`)
	if err != nil {
		return "", err
	}
	type index struct{ name, def string }
	indexes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (index, error) {
		var ix index
		return ix, row.Scan(&ix.name, &ix.def)
	})
	if err != nil {
		return "", err
	}
	if !slices.ContainsFunc(indexes, func(ix index) bool { return ix.name == "chunks_embedding_hnsw" }) {
		return "", fmt.Errorf("the first Replace created no chunks_embedding_hnsw index (have %v)", indexes)
	}
	for _, ix := range indexes {
		if _, err := pool.Exec(ctx, `DROP INDEX `+ix.name); err != nil {
			return "", err
		}
	}
	for i := 1; i < spec.Docs; i++ {
		it := <-out[i]
		if _, err := s.Replace(ctx, it.d.rec, knowledge.Passages(it.d.chunks, it.vectors), emb.Name()); err != nil {
			return "", err
		}
		if i%100 == 0 {
			tb.Logf("loaded %d documents in %v", i, time.Since(start).Round(time.Second))
		}
	}
	load := time.Since(start)
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return "", err
	}
	var report []string
	report = append(report, fmt.Sprintf("load %d docs x %d chunks with Replace (secondary chunk indexes dropped) %v",
		spec.Docs, spec.ChunksPerDoc, load.Round(100*time.Millisecond)))
	for _, ix := range indexes {
		t := time.Now()
		if _, err := conn.Exec(ctx, ix.def); err != nil {
			return "", fmt.Errorf("rebuild %s: %w", ix.name, err)
		}
		report = append(report, fmt.Sprintf("index %s %v", ix.name, time.Since(t).Round(100*time.Millisecond)))
		tb.Log(report[len(report)-1])
	}
	if _, err := conn.Exec(ctx, `RESET maintenance_work_mem`); err != nil {
		return "", err
	}
	t := time.Now()
	if err := s.Refresh(ctx); err != nil {
		return "", err
	}
	report = append(report, fmt.Sprintf("refresh lexicon+stems %v", time.Since(t).Round(100*time.Millisecond)))
	t = time.Now()
	for _, sql := range []string{`VACUUM ANALYZE chunks`, `VACUUM ANALYZE documents`, `ANALYZE lexicon`, `ANALYZE stems`} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", err
		}
	}
	report = append(report, fmt.Sprintf("vacuum analyze %v", time.Since(t).Round(100*time.Millisecond)))
	var size string
	if err := conn.QueryRow(ctx, `SELECT format('chunks %s, hnsw %s, total %s',
		pg_size_pretty(pg_table_size('chunks')), pg_size_pretty(pg_relation_size('chunks_embedding_hnsw')),
		pg_size_pretty(pg_total_relation_size('chunks')))`).Scan(&size); err != nil {
		return "", err
	}
	report = append(report, size)
	return strings.Join(report, "; "), nil
}
