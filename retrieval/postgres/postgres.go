// Package postgres is Wegwijs's one PostgreSQL adapter: embedded migrations,
// the store of documents and chunks (with pgvector embeddings, Dutch
// full-text and trigram indexes) and the searches over them. It holds no
// conversation data: question text never reaches these tables.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"

	"github.com/wegwijs/wegwijs/retrieval"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is the knowledge base in PostgreSQL.
type Store struct {
	pool     *pgxpool.Pool
	log      *slog.Logger
	cache    cache
	searches chan struct{} // a slot per search under way (see Open)
}

// ErrUnavailable wraps a failure to reach the database at all, so the edge
// can say so plainly.
var ErrUnavailable = retrieval.ErrUnavailable

// Open connects, makes sure the extensions exist, applies pending
// migrations and returns a ready store.
func Open(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// Extensions first, on a plain connection: the pool registers the
	// vector types when it connects.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	_, err = conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;
		CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`)
	conn.Close(ctx)
	if err != nil {
		return nil, fmt.Errorf("create extensions vector and pg_trgm: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error { return pgxvec.RegisterTypes(ctx, c) }
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		// JIT compilation costs tens of milliseconds and pays off only for
		// long analytical queries; a search's queries are short.
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// a search uses two connections at once (see Candidates)
		cfg.MaxConns = max(cfg.MaxConns, 16)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// A search holds one connection and then takes a second for the
	// vector list: with as many searches at once as connections, each
	// would hold one and wait for another forever. At most half the pool
	// (less one, for everything else) searches at a time.
	slots := max(1, int(cfg.MaxConns)/2-1)
	s := &Store{pool: pool, log: log, searches: make(chan struct{}, slots)}
	if _, _, err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the connections.
func (s *Store) Close() { s.pool.Close() }

// Pool gives the connection pool, for tests and benchmarks.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// LatestSchema is the schema version this binary brings.
func LatestSchema() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies the migrations not yet applied, each in its own
// transaction, under an advisory lock so two processes starting together do
// not race. It returns the schema version before and after.
func (s *Store) Migrate(ctx context.Context) (from, to int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer conn.Release()
	const lockID = 0x77656777 // "wegw"
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
		return 0, 0, fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&from); err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return 0, 0, fmt.Errorf("migrate: %w", err)
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	to = from
	for _, m := range ms {
		if done[m.version] {
			continue // every migration not yet applied runs, also one numbered below the newest
		}
		err := pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
			return err
		})
		if err != nil {
			return from, to, fmt.Errorf("migrate %s: %w", m.name, err)
		}
		s.log.Info("applied migration", "version", m.version)
		to = max(to, m.version)
	}
	return from, to, nil
}

// SchemaVersion is the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// IsUnavailable reports whether err means the database could not be
// reached or went away (as opposed to a query that failed): no connection,
// a connection the server ended (it shut down or restarted), or one lost
// on the way.
func IsUnavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the caller's time, not the database
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// class 08: connection exception; 57P01-57P03: the server is
		// shutting down, crashed or is starting
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.SafeToRetry(err)
}
