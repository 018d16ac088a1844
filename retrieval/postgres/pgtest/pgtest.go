// Package pgtest gives tests a real PostgreSQL: a fresh schema of their own
// in the database named by WEGWIJS_TEST_DATABASE_URL, dropped when the test
// ends. Without that variable tests skip, unless WEGWIJS_REQUIRE_DB is set
// (as CI does), in which case they fail: in CI a database test never
// silently skips.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSN returns a connection string whose search_path is a new, empty
// schema (with the extensions in public still visible).
func DSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("WEGWIJS_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("WEGWIJS_REQUIRE_DB") != "" {
			tb.Fatal("WEGWIJS_REQUIRE_DB is set but WEGWIJS_TEST_DATABASE_URL is empty; run scripts/test.sh")
		}
		tb.Skip("no test database: set WEGWIJS_TEST_DATABASE_URL (scripts/test.sh does)")
	}
	if testing.Short() {
		tb.Skip("database test skipped with -short")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to test database: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;
		CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`); err != nil {
		tb.Fatalf("extensions: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	return WithSearchPath(base, schema)
}

// WithSearchPath adds search_path=schema,public to a connection string in
// URL or keyword/value form.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + schema + ",public"
	}
	return dsn + " search_path=" + schema + ",public"
}
