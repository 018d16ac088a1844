package postgres_test

// HNSW build parameters on the 100k corpus (scale_corpus_test.go): for
// each (m, ef_construction) the index chunks_embedding_hnsw is rebuilt in
// the benchmark schema, and recall@10 against exact search and the latency
// of the bare ANN query (annSQL in its own read-only transaction, as
// nearest runs it) are measured over the benchmark's 200 questions at
// several ef_search values. The index is left as the store builds it
// (m = 32, ef_construction = 800, see useEmbedder) at the end.
//
//	export WEGWIJS_TEST_DATABASE_URL='host=/tmp/wgtest port=5499 user=wegwijs dbname=wegwijs_test'
//	WEGWIJS_BENCH_100K=1 go test ./retrieval/postgres/ -run HNSWParams100k -timeout 60m -v

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// hnswBuild is one set of build parameters and the ef_search settings
// measured on it; each entry of searches is a list of SET LOCAL settings.
type hnswBuild struct {
	m, efConstruction int
	timeout           time.Duration // the build is abandoned after this long
	searches          [][]string
}

const hnswIndexDef = `CREATE INDEX %s ON chunks USING hnsw ((embedding::halfvec(512)) halfvec_cosine_ops)
	WITH (m = %d, ef_construction = %d) WHERE vector_dims(embedding) = 512`

// The store's own build parameters (hnswM, hnswEfConstruction in
// documents.go).
const storeM, storeEfConstruction = 32, 800

// rebuildHNSW builds a new index with the given parameters next to the
// current one (which stays usable meanwhile) and then swaps it in under
// the name chunks_embedding_hnsw. It returns the build time and size.
func rebuildHNSW(ctx context.Context, dsn string, m, efc int, timeout time.Duration) (time.Duration, int64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close(ctx)
	for _, s := range []string{`SET maintenance_work_mem = '1GB'`, `SET max_parallel_maintenance_workers = 2`,
		fmt.Sprintf(`SET statement_timeout = %d`, timeout.Milliseconds()), `DROP INDEX IF EXISTS chunks_embedding_hnsw_new`} {
		if _, err := conn.Exec(ctx, s); err != nil {
			return 0, 0, err
		}
	}
	start := time.Now()
	if _, err := conn.Exec(ctx, fmt.Sprintf(hnswIndexDef, "chunks_embedding_hnsw_new", m, efc)); err != nil {
		return time.Since(start), 0, err
	}
	took := time.Since(start)
	if _, err := conn.Exec(ctx, `SET statement_timeout = 0`); err != nil {
		return took, 0, err
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DROP INDEX IF EXISTS chunks_embedding_hnsw`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `ALTER INDEX chunks_embedding_hnsw_new RENAME TO chunks_embedding_hnsw`)
		return err
	})
	if err != nil {
		return took, 0, err
	}
	var size int64
	if err := conn.QueryRow(ctx, `SELECT pg_relation_size('chunks_embedding_hnsw')`).Scan(&size); err != nil {
		return took, 0, err
	}
	return took, size, nil
}

// TestHNSWParams100k rebuilds the HNSW index with several (m,
// ef_construction) and reports, per ef_search, recall@10 against exact
// search and the p50/p95 latency of the ANN query.
func TestHNSWParams100k(t *testing.T) {
	env := scaleCorpus(t)
	ctx := context.Background()
	dsn := pgtest.WithSearchPath(os.Getenv("WEGWIJS_TEST_DATABASE_URL"), env.schema)
	const k = 10
	exactSet := []string{"enable_indexscan = off"}

	var origDef string
	if err := env.store.Pool().QueryRow(ctx, `SELECT pg_get_indexdef('chunks_embedding_hnsw'::regclass)`).Scan(&origDef); err != nil {
		t.Fatal(err)
	}
	t.Logf("index at the start: %s", origDef)
	// Whatever happens, leave the index as the store builds it.
	restored := false
	t.Cleanup(func() {
		if restored {
			return
		}
		if _, _, err := rebuildHNSW(ctx, dsn, storeM, storeEfConstruction, 0); err != nil {
			t.Errorf("restore chunks_embedding_hnsw (m=%d, ef_construction=%d): %v", storeM, storeEfConstruction, err)
		}
	})

	exactPlan, err := explain(ctx, env.store, env.vectors[0], exactSet...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(exactPlan, "chunks_embedding_hnsw") || !strings.Contains(exactPlan, "Seq Scan on chunks") {
		t.Fatalf("the exact query is not a sequential scan:\n%s", exactPlan)
	}
	t.Logf("exact plan:\n%s", exactPlan)
	exact := exactNeighbours(t, env, k, exactSet)

	var table []string
	row := func(setting, build, size string, recall, p50, p95 float64) {
		table = append(table, fmt.Sprintf("| %-52s | %9s | %7s | %6.4f | %6.2f | %6.2f |", setting, build, size, recall, p50, p95))
	}
	// measure runs the questions under the settings: one untimed pass to
	// warm the cache, then one timed pass.
	measure := func(label, build, size string, settings []string) {
		plan, err := explain(ctx, env.store, env.vectors[0], settings...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "Index Scan using chunks_embedding_hnsw") {
			t.Fatalf("%s: the ANN query does not use the HNSW index:\n%s", label, plan)
		}
		for _, v := range env.vectors {
			if _, err := nearest(ctx, env.store.Pool(), v, k, settings...); err != nil {
				t.Fatal(err)
			}
		}
		var sum float64
		lat := make([]time.Duration, 0, len(env.vectors))
		for i, v := range env.vectors {
			t0 := time.Now()
			got, err := nearest(ctx, env.store.Pool(), v, k, settings...)
			lat = append(lat, time.Since(t0))
			if err != nil {
				t.Fatal(err)
			}
			sum += recallAt(got, exact[i], k)
		}
		slices.Sort(lat)
		recall := sum / float64(len(env.vectors))
		row(label+" "+strings.Join(settings, ", "), build, size, recall, percentile(lat, 0.5), percentile(lat, 0.95))
		t.Logf("%s %v: recall@%d %.4f, p50 %.2f ms, p95 %.2f ms", label, settings, k, recall, percentile(lat, 0.5), percentile(lat, 0.95))
	}

	base := [][]string{{"hnsw.ef_search = 400"}, {"hnsw.ef_search = 450"}, {"hnsw.ef_search = 500"}, {"hnsw.ef_search = 650"}}
	var size int64
	if err := env.store.Pool().QueryRow(ctx, `SELECT pg_relation_size('chunks_embedding_hnsw')`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	for _, s := range base {
		measure("existing", "(corpus)", fmt.Sprintf("%dMB", size>>20), s)
	}

	builds := []hnswBuild{
		{32, 200, 20 * time.Minute, base},
		{48, 300, 20 * time.Minute, base},
		{32, 400, 20 * time.Minute, base},
		{storeM, storeEfConstruction, 20 * time.Minute, base}, // last: the store's own parameters stay
	}
	for _, b := range builds {
		label := fmt.Sprintf("m=%d efc=%d", b.m, b.efConstruction)
		took, size, err := rebuildHNSW(ctx, dsn, b.m, b.efConstruction, b.timeout)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "57014" { // query_canceled: the statement timeout
			t.Logf("%s: build abandoned after %v (timeout %v)", label, took.Round(time.Second), b.timeout)
			table = append(table, fmt.Sprintf("| %-52s | >%8s | %7s | %6s | %6s | %6s |", label, took.Round(time.Second), "-", "-", "-", "-"))
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if b.m == storeM && b.efConstruction == storeEfConstruction {
			restored = true
		}
		t.Logf("%s: built in %v, %d MB", label, took.Round(100*time.Millisecond), size>>20)
		for _, s := range b.searches {
			measure(label, took.Round(100*time.Millisecond).String(), fmt.Sprintf("%dMB", size>>20), s)
		}
	}
	var def string
	if err := env.store.Pool().QueryRow(ctx, `SELECT pg_get_indexdef('chunks_embedding_hnsw'::regclass)`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	t.Logf("index at the end: %s", def)
	t.Logf("build: maintenance_work_mem 1GB, max_parallel_maintenance_workers 2; latency: annSQL LIMIT %d in a read-only transaction with SET LOCAL, client-side\n"+
		"| %-52s | %9s | %7s | %6s | %6s | %6s |\n%s", k, "setting", "build", "size", "R@10", "p50 ms", "p95 ms", strings.Join(table, "\n"))
}
