package postgres_test

// Retrieval at scale: 100,000 generated chunks (scale_corpus_test.go), 200
// questions (the evaluation set plus generated ones), the offline 512-dim
// embedder. Targets: p95 < 50 ms for Store.Candidates (all three lists)
// and for the vector list alone; HNSW recall@10 >= 0.95 against exact
// search at the store's default ef_search.
//
// These skip unless WEGWIJS_BENCH_100K=1 and need the test database:
//
//	export WEGWIJS_TEST_DATABASE_URL='host=/tmp/wgtest port=5499 user=wegwijs dbname=wegwijs_test'
//	WEGWIJS_BENCH_100K=1 go test ./retrieval/postgres/ -run 100k -bench 100k -benchtime 200x -timeout 60m -v
//
// The first run builds the corpus (minutes) in schema WEGWIJS_BENCH_SCHEMA
// (default wegwijs_bench_100k) and keeps it; later runs reuse it.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// perList is what the retriever asks of each list (Retriever.PerList's default).
const perList = 30

// percentile of sorted durations, in milliseconds (nearest rank).
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	return float64(sorted[max(0, min(i, len(sorted)-1))]) / float64(time.Millisecond)
}

// benchCandidates times Store.Candidates over the questions, one question
// per iteration, and reports the p50 and p95 latency. One untimed pass over
// all questions first warms the cache.
func benchCandidates(b *testing.B, lists []retrieval.List) {
	env := scaleCorpus(b)
	ctx := context.Background()
	query := func(i int) retrieval.Query {
		i %= len(env.questions)
		return retrieval.Query{Text: env.questions[i], Vector: env.vectors[i], Limit: perList, Lists: lists}
	}
	for i := range env.questions {
		if _, err := env.store.Candidates(ctx, query(i)); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		c, err := env.store.Candidates(ctx, query(i))
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
		if slices.Contains(lists, retrieval.Vector) && len(c.Lists[retrieval.Vector]) != perList {
			b.Fatalf("question %d: vector list has %d candidates, want %d", i, len(c.Lists[retrieval.Vector]), perList)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(percentile(lat, 0.50), "p50-ms")
	b.ReportMetric(percentile(lat, 0.95), "p95-ms")
	b.ReportMetric(percentile(lat, 1), "max-ms")
}

// BenchmarkCandidates100k times the full Store.Candidates call: full
// text, trigram and vector lists in one read-only transaction.
func BenchmarkCandidates100k(b *testing.B) { benchCandidates(b, nil) }

// BenchmarkVector100k times Store.Candidates asking for the vector list
// alone.
func BenchmarkVector100k(b *testing.B) { benchCandidates(b, []retrieval.List{retrieval.Vector}) }

// BenchmarkLists100k times each list on its own, and a query that runs no
// list (the fixed cost: transaction, count(*), question terms, compound
// splitting), to tell which part of Candidates is slow.
func BenchmarkLists100k(b *testing.B) {
	for _, l := range []retrieval.List{"none", retrieval.FullText, retrieval.Trigram, retrieval.Vector} {
		b.Run(string(l), func(b *testing.B) { benchCandidates(b, []retrieval.List{l}) })
	}
}

// annSQL is the nearest-neighbour part of the store's vector list (see
// vector in search.go): ORDER BY the cast the HNSW index is built on.
const annSQL = `SELECT id, embedding::halfvec(512) <=> $1 AS dist FROM chunks
	WHERE vector_dims(embedding) = 512
	ORDER BY embedding::halfvec(512) <=> $1 LIMIT $2`

type neighbour struct {
	id   int64
	dist float64
}

// nearest runs annSQL in a read-only transaction after the given SET
// LOCAL statements.
func nearest(ctx context.Context, pool interface {
	BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
}, v []float32, k int, settings ...string) ([]neighbour, error) {
	var out []neighbour
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		for _, s := range settings {
			if _, err := tx.Exec(ctx, "SET LOCAL "+s); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, annSQL, pgvector.NewHalfVector(v), k)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (neighbour, error) {
			var n neighbour
			return n, row.Scan(&n.id, &n.dist)
		})
		return err
	})
	return out, err
}

// explain returns the plan of annSQL under the given settings.
func explain(ctx context.Context, s *postgres.Store, v []float32, settings ...string) (string, error) {
	var plan []string
	err := pgx.BeginTxFunc(ctx, s.Pool(), pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		for _, s := range settings {
			if _, err := tx.Exec(ctx, "SET LOCAL "+s); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+annSQL, pgvector.NewHalfVector(v), 10)
		if err != nil {
			return err
		}
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return strings.Join(plan, "\n"), err
}

// recallAt is the share of the exact k nearest that ann found; a result as
// close as the exact k-th (a tie) counts as found.
func recallAt(ann, exact []neighbour, k int) float64 {
	exact = exact[:min(k, len(exact))]
	if len(exact) == 0 {
		return 1
	}
	in := map[int64]bool{}
	for _, n := range exact {
		in[n.id] = true
	}
	kth := exact[len(exact)-1].dist
	found := 0
	for _, n := range ann[:min(k, len(ann))] {
		if in[n.id] || n.dist <= kth+1e-6 {
			found++
		}
	}
	return float64(found) / float64(len(exact))
}

// TestHNSWRecall100k measures recall@10 of the HNSW index against exact
// search (the same ORDER BY with index scans disabled) over the questions:
// through Store.Candidates with the store's default tuning (which must
// reach 0.95), and at ef_search 40, 100 and 200.
func TestHNSWRecall100k(t *testing.T) {
	env := scaleCorpus(t)
	ctx := context.Background()
	const k = 10
	exactSet := []string{"enable_indexscan = off"}

	// The plans: the index for the ANN query, a sequential scan for exact.
	annPlan, err := explain(ctx, env.store, env.vectors[0], fmt.Sprintf("hnsw.ef_search = %d", postgres.DefaultTuning.EfSearch))
	if err != nil {
		t.Fatal(err)
	}
	exactPlan, err := explain(ctx, env.store, env.vectors[0], exactSet...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HNSW plan:\n%s\nexact plan:\n%s", annPlan, exactPlan)
	if !strings.Contains(annPlan, "Index Scan using chunks_embedding_hnsw") {
		t.Fatalf("the ANN query does not use the HNSW index:\n%s", annPlan)
	}
	if strings.Contains(exactPlan, "chunks_embedding_hnsw") || !strings.Contains(exactPlan, "Seq Scan on chunks") {
		t.Fatalf("the exact query is not a sequential scan:\n%s", exactPlan)
	}

	exact := exactNeighbours(t, env, k, exactSet)

	// The store's own vector list, default tuning, as the retriever asks it.
	var sum float64
	for i, v := range env.vectors {
		c, err := env.store.Candidates(ctx, retrieval.Query{Vector: v, Limit: perList, Lists: []retrieval.List{retrieval.Vector}})
		if err != nil {
			t.Fatal(err)
		}
		var got []neighbour
		for _, p := range c.Lists[retrieval.Vector] {
			got = append(got, neighbour{p.ChunkID, 1 - p.Score})
		}
		sum += recallAt(got, exact[i], k)
	}
	def := sum / float64(len(env.vectors))
	t.Logf("recall@%d Store.Candidates (ef_search %d, limit %d): %.4f", k, max(postgres.DefaultTuning.EfSearch, perList), perList, def)

	for _, ef := range []int{40, 100, 200, 300, 400, 500} {
		var sum float64
		lat := make([]time.Duration, 0, len(env.vectors))
		for i, v := range env.vectors {
			t0 := time.Now()
			got, err := nearest(ctx, env.store.Pool(), v, k, fmt.Sprintf("hnsw.ef_search = %d", ef))
			lat = append(lat, time.Since(t0))
			if err != nil {
				t.Fatal(err)
			}
			sum += recallAt(got, exact[i], k)
		}
		slices.Sort(lat)
		t.Logf("recall@%d ef_search %3d: %.4f (ANN query p50 %.1f ms, p95 %.1f ms)", k, ef, sum/float64(len(env.vectors)),
			percentile(lat, 0.5), percentile(lat, 0.95))
	}
	if def < 0.95 {
		t.Errorf("recall@%d with the default tuning is %.4f, want >= 0.95", k, def)
	}
}

// exactNeighbours finds every question's k nearest chunks by exact search
// (the settings turn the index off) and logs the time per question.
func exactNeighbours(t *testing.T, env *scaleEnv, k int, exactSet []string) [][]neighbour {
	t.Helper()
	exact := make([][]neighbour, len(env.vectors))
	start := time.Now()
	for i, v := range env.vectors {
		var err error
		if exact[i], err = nearest(context.Background(), env.store.Pool(), v, k, exactSet...); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("exact search: %v per question", (time.Since(start) / time.Duration(len(env.vectors))).Round(100*time.Microsecond))
	return exact
}
