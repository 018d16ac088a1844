package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
)

// TextSearchConfig is the store's Dutch text-search configuration
// (migration 005): PostgreSQL's 'dutch' with its stemmer pinned to the
// classic Snowball Dutch algorithm, the one nl.Stem runs,
// whatever a newer server's 'dutch' does. Chunks' tsv column and the
// question's stems both use it.
const TextSearchConfig = "wegwijs_dutch"

const passageColumns = `c.id, d.slug, d.title, d.publisher, d.region, d.url, d.published, c.heading, c.page_from, c.page_to, c.text, c.context`

func scanPassage(row pgx.CollectableRow, extra ...any) (retrieval.Candidate, error) {
	var c retrieval.Candidate
	var published *time.Time
	dest := []any{&c.ChunkID, &c.Slug, &c.Title, &c.Publisher, &c.Region, &c.URL, &published, &c.Heading, &c.PageFrom, &c.PageTo, &c.Text, &c.Context}
	err := row.Scan(append(dest, extra...)...)
	if published != nil {
		c.Date = *published
	}
	return c, err
}

// SearchTuning holds the knobs of the three lists.
type SearchTuning struct {
	EfSearch         int     // hnsw.ef_search: candidates the HNSW scan keeps (450: recall@10 0.958 on 100k chunks)
	WordSimilarity   float64 // pg_trgm word similarity threshold for fuzzy terms
	FuzzyPerWord     int     // lexicon words per question word
	CommonStemShare  float64 // stems in more than this share of chunks are left out of full text
	MinFuzzyWordSize int     // question words shorter than this get no fuzzy lookup
	// MaxCandidateDocs: a stem or fuzzy word found in more chunks than
	// this does not bring candidates of its own (it still adds to the score
	// of candidates that rarer words found); it keeps a search on a large
	// knowledge base from reading most of the table for a word like
	// "verzuim".
	MaxCandidateDocs float64
	// HeadingBoost multiplies the weight of a word found in the passage's
	// headings ("Rol leerplichtambtenaar/RMC"): such a passage is about it.
	HeadingBoost float64
	// SplitCompounds splits a question word the knowledge base lacks into
	// two words it has ("verzuimaanpak" → "verzuim" + "aanpak").
	SplitCompounds bool
}

// DefaultTuning was chosen on the project's question set.
var DefaultTuning = SearchTuning{EfSearch: 450, WordSimilarity: 0.5, FuzzyPerWord: 8, CommonStemShare: 0.5,
	MinFuzzyWordSize: 4, SplitCompounds: true, MaxCandidateDocs: 500, HeadingBoost: 2}

// Candidates runs the lists the query asks for and returns their ranked
// candidates with the question's term weights. All lists read one snapshot.
func (s *Store) Candidates(ctx context.Context, q retrieval.Query) (retrieval.Candidates, error) {
	return s.CandidatesTuned(ctx, q, DefaultTuning)
}

// CandidatesTuned is Candidates with explicit tuning.
func (s *Store) CandidatesTuned(ctx context.Context, q retrieval.Query, tune SearchTuning) (retrieval.Candidates, error) {
	out := retrieval.Candidates{Lists: map[retrieval.List][]retrieval.Candidate{}}
	limit := q.Limit
	if limit <= 0 {
		limit = 30
	}
	select {
	case s.searches <- struct{}{}:
		defer func() { <-s.searches }()
	case <-ctx.Done():
		return out, fmt.Errorf("search: wait for a connection: %w", ctx.Err())
	}
	ro := pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}
	err := pgx.BeginTxFunc(ctx, s.pool, ro, func(tx pgx.Tx) error {
		var total float64
		var snapshot string
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT chunks FROM corpus_stats), 0), pg_export_snapshot(),
				(SELECT version FROM kb_state)`).Scan(&total, &snapshot, &out.Version); err != nil {
			return err
		}
		out.Chunks = total
		// The vector list runs on its own connection in the snapshot this
		// transaction exported (both see the same version of every
		// document), starting first: it needs no question terms, and this
		// transaction works them out and runs the text lists meanwhile.
		var vec []retrieval.Candidate
		var vecErr error
		done := make(chan struct{})
		wantVector := q.Wants(retrieval.Vector) && q.Vector != nil
		if wantVector {
			go func() {
				defer close(done)
				vecErr = pgx.BeginTxFunc(ctx, s.pool, ro, func(vtx pgx.Tx) error {
					if _, err := vtx.Exec(ctx, "SET TRANSACTION SNAPSHOT "+quoteSnapshot(snapshot)); err != nil {
						return err
					}
					var err error
					vec, err = vector(ctx, vtx, q, limit, tune)
					return err
				})
			}()
		} else {
			close(done)
		}
		textErr := textLists(ctx, tx, q, total, limit, tune, &out)
		<-done // the snapshot must stay exported until the vector list has it
		if textErr != nil {
			return textErr
		}
		if vecErr != nil {
			return fmt.Errorf("%s: %w", retrieval.Vector, vecErr)
		}
		if wantVector {
			out.Lists[retrieval.Vector] = vec
		}
		return nil
	})
	if err != nil {
		if IsUnavailable(err) {
			return out, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return out, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// textLists works out the question's terms and runs the full-text and
// trigram lists the query asks for, one after the other: they are short,
// and so the vector list, the long one, keeps a core of its own on a small
// machine (100k chunks, 2 cores, four paired runs: p95 50-54 ms against
// 59-61 with all three at once).
func textLists(ctx context.Context, tx pgx.Tx, q retrieval.Query, total float64, limit int, tune SearchTuning, out *retrieval.Candidates) error {
	if !q.Wants(retrieval.FullText) && !q.Wants(retrieval.Trigram) {
		return nil
	}
	words, err := questionWords(ctx, tx, q)
	if err != nil {
		return fmt.Errorf("terms: %w", err)
	}
	// The lists need the question's terms and weights, which retrieval
	// works out of the stems (retrieval.Weigh); Search does the same with
	// what this returns.
	terms := retrieval.Weigh(words, total)
	if tune.SplitCompounds {
		if words, err = splitCompounds(ctx, tx, words, terms); err != nil {
			return fmt.Errorf("compounds: %w", err)
		}
		terms = retrieval.Weigh(words, total)
	}
	out.Words = words
	if q.Wants(retrieval.FullText) {
		if out.Lists[retrieval.FullText], err = fullText(ctx, tx, terms, q.Concepts, total, limit, tune); err != nil {
			return fmt.Errorf("%s: %w", retrieval.FullText, err)
		}
	}
	if q.Wants(retrieval.Trigram) {
		if out.Lists[retrieval.Trigram], err = fuzzy(ctx, tx, q, total, limit, tune); err != nil {
			return fmt.Errorf("%s: %w", retrieval.Trigram, err)
		}
	}
	return nil
}

var snapshotID = regexp.MustCompile(`^[0-9A-Fa-f-]+$`)

// quoteSnapshot quotes an exported snapshot id for SET TRANSACTION
// SNAPSHOT, which takes no parameters.
func quoteSnapshot(id string) string {
	if !snapshotID.MatchString(id) {
		return "''"
	}
	return "'" + id + "'"
}

// questionWords stems the question (and the glossary's extra terms) with
// the store's Dutch configuration and looks up each stem's document
// frequency: every word the configuration keeps, in order, stop words and
// repeats included (retrieval.Weigh leaves them out).
func questionWords(ctx context.Context, tx pgx.Tx, q retrieval.Query) ([]retrieval.Stemmed, error) {
	var words []retrieval.Stemmed
	for i, text := range []string{q.Text, strings.Join(q.Extra, " , ")} {
		if strings.TrimSpace(text) == "" {
			continue
		}
		stems, err := stemsOf(ctx, tx, text)
		if err != nil {
			return nil, err
		}
		for _, st := range stems {
			words = append(words, retrieval.Stemmed{Word: st.token, Stem: st.lex, Docs: st.ndoc, Extra: i == 1})
		}
	}
	return words, nil
}

// stemmed is one word of a text as the store's Dutch configuration reads
// it, with the number of chunks holding its stem.
type stemmed struct {
	token string // lower case
	lex   string
	ndoc  float64
}

// stemsOf stems text with the store's configuration, TextSearchConfig
// (stop words dropped), and looks up each stem's document frequency.
func stemsOf(ctx context.Context, tx pgx.Tx, text string) ([]stemmed, error) {
	// What ts_debug('wegwijs_dutch', $1) does (parse, then the
	// configuration's dictionary for each kind of token) without its cost:
	// ts_debug takes about 9 ms a question, this 0.2 ms.
	rows, err := tx.Query(ctx, `SELECT p.token, x.lex[1], coalesce(s.ndoc, 0)
		FROM ts_parse('default', $1) WITH ORDINALITY AS p(tokid, token, ordinality)
		JOIN pg_ts_config_map m ON m.mapcfg = '`+TextSearchConfig+`'::regconfig AND m.maptokentype = p.tokid AND m.mapseqno = 1
		CROSS JOIN LATERAL (SELECT ts_lexize(m.mapdict::regdictionary, p.token) AS lex) x
		LEFT JOIN stems s ON s.word = x.lex[1]
		WHERE array_length(x.lex, 1) > 0
		ORDER BY p.ordinality`, text)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (stemmed, error) {
		var st stemmed
		err := row.Scan(&st.token, &st.lex, &st.ndoc)
		st.token = strings.ToLower(st.token)
		return st, err
	})
}

// splitCompounds finds, for each question term of eight letters or more
// that the knowledge base lacks, the two words of the knowledge base it is
// made of (with an optional linking s or e between them), and adds them to
// words as the parts of its word, right after the word's first entry:
// "verzuimaanpak" also searches "verzuim" and "aanpak". retrieval.Weigh
// then lets the word give way to its parts.
func splitCompounds(ctx context.Context, tx pgx.Tx, words []retrieval.Stemmed, terms []retrieval.Term) ([]retrieval.Stemmed, error) {
	parts := map[string][]retrieval.Stemmed{}
	for _, t := range terms {
		w := t.Word
		if t.InBase || t.IsPart() || len([]rune(w)) < 8 {
			continue
		}
		var left, right string
		err := tx.QueryRow(ctx, `SELECT l1.word, l2.word
			FROM generate_series(3, char_length($1) - 3) AS i
			CROSS JOIN (VALUES (0), (1)) AS link(n)
			JOIN lexicon l1 ON l1.word = left($1, i)
			JOIN lexicon l2 ON l2.word = substr($1, i + 1 + link.n)
			WHERE link.n = 0 OR substr($1, i + 1, 1) IN ('s', 'e')
			ORDER BY least(char_length(l1.word), char_length(l2.word)) DESC, link.n
			LIMIT 1`, w).Scan(&left, &right)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for i, part := range []string{left, right} {
			stems, err := stemsOf(ctx, tx, part)
			if err != nil {
				return nil, err
			}
			p := retrieval.Stemmed{Word: w, Part: i + 1, Extra: t.Extra}
			if len(stems) > 0 { // else a stop word, which Weigh leaves out
				p.Stem, p.Docs = stems[0].lex, stems[0].ndoc
			}
			parts[w] = append(parts[w], p)
		}
	}
	if len(parts) == 0 {
		return words, nil
	}
	out := make([]retrieval.Stemmed, 0, len(words)+2*len(parts))
	for _, w := range words {
		out = append(out, w)
		if p, ok := parts[w.Word]; ok && w.Part == 0 {
			out = append(out, p...)
			delete(parts, w.Word) // after the first entry only
		}
	}
	return out, nil
}

// fullText ranks chunks by the summed weight of the question's stems they
// contain (a BM25-like score without term frequency). Very common stems
// are left out: they match most chunks and tell nothing.
func fullText(ctx context.Context, tx pgx.Tx, terms []retrieval.Term, concepts map[string]string, total float64, limit int, tune SearchTuning) ([]retrieval.Candidate, error) {
	var lex, groups []string
	var weights []float64
	minIDF := retrieval.IDF(total, total*tune.CommonStemShare)
	for _, t := range terms {
		if t.InBase && t.IDF >= minIDF {
			lex = append(lex, t.Text)
			weights = append(weights, t.IDF)
			groups = append(groups, termGroup(t, concepts))
		}
	}
	if len(lex) == 0 {
		return nil, nil
	}
	// Candidates come from the rarer stems (every stem when the knowledge
	// base is small); all stems then score them.
	cands, err := fullTextQuery(ctx, tx, lex, weights, groups, limit, tune,
		seedQuery(terms, candidateMaxDocs(total, tune), total))
	if err != nil || len(cands) > 0 {
		return cands, err
	}
	// No word is rare: take the chunks holding the two rarest words
	// together, or else the rarest word alone.
	for _, n := range []int{2, 1} {
		cands, err = fullTextQuery(ctx, tx, lex, weights, groups, limit, tune, rarest(terms, n))
		if err != nil || len(cands) > 0 {
			return cands, err
		}
	}
	return nil, nil
}

// seedQuery is the tsquery of the stems found in at most maxDocs chunks,
// joined with " | ".
func seedQuery(terms []retrieval.Term, maxDocs, total float64) string {
	var seeds []retrieval.Term
	for _, t := range terms {
		if t.InBase && ndocOf(t.IDF, total) <= maxDocs {
			seeds = append(seeds, t)
		}
	}
	return tsquery(seeds, " | ")
}

// rarest is the tsquery of the n rarest stems, joined with " & ".
func rarest(terms []retrieval.Term, n int) string {
	var seeds []retrieval.Term
	for _, t := range terms {
		if t.InBase {
			seeds = append(seeds, t)
		}
	}
	sort.SliceStable(seeds, func(i, j int) bool { return seeds[i].IDF > seeds[j].IDF })
	return tsquery(seeds[:min(n, len(seeds))], " & ")
}

func tsquery(terms []retrieval.Term, op string) string {
	parts := make([]string, 0, len(terms))
	for _, t := range terms {
		parts = append(parts, "'"+strings.ReplaceAll(t.Text, "'", "''")+"'")
	}
	return strings.Join(parts, op)
}

// ndocOf inverts retrieval.IDF: the number of chunks a term with this
// weight is in.
func ndocOf(w, total float64) float64 {
	return (total + 0.5 - 0.5*(math.Exp(w)-1)) / math.Exp(w)
}

// fullTextQuery scores the chunks seed finds with all stems. Words of one
// glossary concept count once per chunk, with the weight of the rarest
// one; a word in the chunk's headings weighs HeadingBoost times more.
func fullTextQuery(ctx context.Context, tx pgx.Tx, lex []string, weights []float64, groups []string, limit int,
	tune SearchTuning, seed string) ([]retrieval.Candidate, error) {
	if seed == "" {
		return nil, nil
	}
	// "(c.tsv @@ t.q) IS TRUE" keeps the planner from reading every chunk
	// holding a term through the index and joining them to the candidates
	// (100k chunks: 335 ms instead of 85 for a question of common words).
	rows, err := tx.Query(ctx, `WITH t AS (SELECT lex, w, grp, quote_literal(lex)::tsquery AS q, (quote_literal(lex) || ':B')::tsquery AS qb
		             FROM unnest($1::text[], $2::float8[], $4::text[]) AS t(lex, w, grp)),
		cand AS (SELECT id FROM chunks WHERE tsv @@ $5::tsquery LIMIT $7),
		g AS (SELECT c.id, t.grp,
		             max(t.w * CASE WHEN c.tsv @@ t.qb THEN $6 ELSE 1 END) AS w,
		             array_agg(t.lex) AS lexes
		      FROM cand JOIN chunks c ON c.id = cand.id CROSS JOIN t
		      WHERE (c.tsv @@ t.q) IS TRUE
		      GROUP BY c.id, t.grp),
		m AS (SELECT g.id, sum(g.w) AS score, string_agg(array_to_string(g.lexes, ' '), ' ') AS matched
		      FROM g GROUP BY g.id ORDER BY score DESC, g.id LIMIT $3)
		SELECT `+passageColumns+`, m.score, m.matched
		FROM m JOIN chunks c ON c.id = m.id JOIN documents d ON d.id = c.document_id
		ORDER BY m.score DESC, c.id`, lex, weights, limit, groups, seed, tune.HeadingBoost, maxCandidates)
	if err != nil {
		return nil, err
	}
	return collectScored(rows)
}

// collectScored reads candidates with a score and the matched terms as
// one space-separated string (a term is one word).
func collectScored(rows pgx.Rows) ([]retrieval.Candidate, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (retrieval.Candidate, error) {
		var score float64
		var matched string
		c, err := scanPassage(row, &score, &matched)
		c.Score, c.Matched = score, uniqueFields(matched)
		return c, err
	})
}

func uniqueFields(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(s) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// termGroup is what a term counts as: its glossary concept, or its word
// (each part of a split compound apart, as Term.Group).
func termGroup(t retrieval.Term, concepts map[string]string) string {
	if c, ok := concepts[t.Word]; ok {
		return "concept:" + c
	}
	return t.Group()
}

// fuzzyWords are the question's words worth a fuzzy lookup.
func fuzzyWords(q retrieval.Query, minSize int) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range nl.Words(q.Text + " " + strings.Join(q.Extra, " ")) {
		if len([]rune(w)) < minSize || seen[w] || nl.IsStopword(w) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// fuzzy finds, for each question word, words of the knowledge base that
// contain it or nearly match it (trigram word similarity on the lexicon:
// "leerplicht" finds "leerplichtambtenaar", "cerste" finds "eerste"), and
// ranks chunks by the similarity-weighted rarity of the words they hold.
func fuzzy(ctx context.Context, tx pgx.Tx, q retrieval.Query, total float64, limit int, tune SearchTuning) ([]retrieval.Candidate, error) {
	words := fuzzyWords(q, tune.MinFuzzyWordSize)
	if len(words) == 0 {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL pg_trgm.word_similarity_threshold = %g`, tune.WordSimilarity)); err != nil {
		return nil, err
	}
	groups := make([]string, len(words))
	for i, w := range words {
		groups[i] = termGroup(retrieval.Term{Word: w}, q.Concepts)
	}
	// e is computed once (MATERIALIZED): inlined, word_similarity would
	// run again for every chunk of every matched word. The chunks come from
	// postings, not from reading each chunk that holds the word.
	rows, err := tx.Query(ctx, `WITH q AS (SELECT * FROM unnest($1::text[], $6::text[]) AS q(w, grp)),
		e AS MATERIALIZED (SELECT q.w, q.grp, l.word,
		             word_similarity(q.w, l.word) * ln(1 + ($2 - l.ndoc + 0.5) / (l.ndoc + 0.5))::float8 AS s
		      FROM q CROSS JOIN LATERAL (SELECT word, ndoc FROM lexicon WHERE q.w <% word
		                                 ORDER BY q.w <<-> word LIMIT $4) l
		      WHERE l.ndoc <= $5),
		p AS (SELECT id, e.grp, e.w, e.s FROM e JOIN postings po ON po.word = e.word CROSS JOIN LATERAL unnest(po.ids) AS id),
		g AS (SELECT id, grp, max(s) AS s FROM p GROUP BY id, grp),
		m AS (SELECT id, sum(s) AS score FROM g GROUP BY id ORDER BY score DESC, id LIMIT $3),
		mw AS (SELECT m.id, m.score, string_agg(DISTINCT p.w, ' ') AS matched FROM m JOIN p USING (id) GROUP BY m.id, m.score)
		SELECT `+passageColumns+`, mw.score, mw.matched
		FROM mw JOIN chunks c ON c.id = mw.id JOIN documents d ON d.id = c.document_id
		ORDER BY mw.score DESC, c.id`, words, total, limit, tune.FuzzyPerWord, fuzzyMaxDocs(total, tune), groups)
	if err != nil {
		return nil, err
	}
	return collectScored(rows)
}

// maxCandidates bounds the chunks one search scores with every stem. Only
// a question of common words alone reaches it on a large knowledge base;
// which 500 of the chunks holding its two rarest words are scored is then
// arbitrary (100k chunks: 1500 made the full-text p95 30 ms, 500 14 ms).
const maxCandidates = 500

// candidateMaxDocs is how common a word may be and still bring candidates:
// half the knowledge base when it is small, at most MaxCandidateDocs (or
// 0.5% of the chunks, when that is more) when it is large. For fuzzy matches
// it is a hard cap: fuzzy matching is for rare and misspelt words, common
// ones are full text's job.
func candidateMaxDocs(total float64, tune SearchTuning) float64 {
	m := total * tune.CommonStemShare
	if tune.MaxCandidateDocs > 0 {
		m = min(m, max(tune.MaxCandidateDocs, total*0.005))
	}
	return m
}

// postingsMinCap and postingsShare bound the words the postings view
// lists: those in at most max(500, 0.5% of the chunks) chunks. Migration
// 004 holds the same numbers.
const postingsMinCap, postingsShare = 500, 0.005

// fuzzyMaxDocs is candidateMaxDocs within what postings lists.
func fuzzyMaxDocs(total float64, tune SearchTuning) float64 {
	return min(candidateMaxDocs(total, tune), max(postingsMinCap, total*postingsShare))
}

// vector ranks chunks by cosine similarity with the HNSW index.
func vector(ctx context.Context, tx pgx.Tx, q retrieval.Query, limit int, tune SearchTuning) ([]retrieval.Candidate, error) {
	v := q.Vector
	var dims int
	var name string
	err := tx.QueryRow(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = 'embedder'), ''),
		coalesce((SELECT value::int FROM settings WHERE key = 'embedding_dims'), 0)`).Scan(&name, &dims)
	if err != nil {
		return nil, err
	}
	if dims == 0 {
		return nil, nil // empty knowledge base
	}
	if (q.Embedder != "" && q.Embedder != name) || dims != len(v) {
		return nil, fmt.Errorf("%w: the knowledge base has %d-dimensional vectors of %q, the question %d of %q",
			knowledge.ErrEmbedderMismatch, dims, name, len(v), q.Embedder)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`SET LOCAL hnsw.ef_search = %d`, max(tune.EfSearch, limit))); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, fmt.Sprintf(`WITH n AS (SELECT id, embedding::halfvec(%[1]d) <=> $1 AS dist FROM chunks
		WHERE vector_dims(embedding) = %[1]d
		ORDER BY embedding::halfvec(%[1]d) <=> $1 LIMIT $2)
		SELECT `+passageColumns+`, 1 - n.dist
		FROM n JOIN chunks c ON c.id = n.id JOIN documents d ON d.id = c.document_id
		ORDER BY n.dist, c.id`, dims), pgvector.NewHalfVector(v), limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (retrieval.Candidate, error) {
		var sim float64
		c, err := scanPassage(row, &sim)
		c.Score = sim
		return c, err
	})
}
