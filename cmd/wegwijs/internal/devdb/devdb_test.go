package devdb

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestDefaultDir(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name string
		env  map[string]string
		root bool
		want string
	}{
		{"xdg", map[string]string{"XDG_DATA_HOME": "/x/data", "HOME": "/home/a"}, false, "/x/data/wegwijs/postgres"},
		{"relative xdg is ignored", map[string]string{"XDG_DATA_HOME": "data", "HOME": "/home/a"}, false, "/home/a/.local/share/wegwijs/postgres"},
		{"home", map[string]string{"HOME": "/home/a"}, false, "/home/a/.local/share/wegwijs/postgres"},
		{"root ignores its home", map[string]string{"XDG_DATA_HOME": "/root/.local/share", "HOME": "/root"}, true, rootDefaultDir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := defaultDir(env(tt.env), tt.root); got != tt.want {
				t.Errorf("defaultDir = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDSN(t *testing.T) {
	l, err := newLayout("/tmp/a b/pg")
	if err != nil {
		t.Fatal(err)
	}
	want := `host='/tmp/a b/pg/run' port=5433 user=wegwijs dbname=wegwijs sslmode=disable`
	if got := l.dsn("wegwijs"); got != want {
		t.Errorf("dsn = %s, want %s", got, want)
	}
	cfg, err := pgx.ParseConfig(l.dsn("wegwijs"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "/tmp/a b/pg/run" || cfg.Port != port || cfg.User != superuser || cfg.Database != "wegwijs" {
		t.Errorf("pgx parsed %q %d %q %q", cfg.Host, cfg.Port, cfg.User, cfg.Database)
	}
}

func TestLongDirIsRefused(t *testing.T) {
	_, err := newLayout("/tmp/" + strings.Repeat("x", 100))
	if err == nil || !strings.Contains(err.Error(), "shorter Dir") {
		t.Errorf("newLayout with a long dir: %v", err)
	}
}

func TestMissingBinaries(t *testing.T) {
	_, err := findBinDir(t.TempDir(), t.TempDir())
	if !errors.Is(err, ErrNoPostgres) || !strings.Contains(err.Error(), "scripts/setup-debian.sh") {
		t.Errorf("findBinDir in an empty dir: %v", err)
	}
}

func TestUnreachableDirAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the directory to another user")
	}
	closed := t.TempDir()
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Config{Dir: filepath.Join(closed, "pg"), Logger: testLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "cannot reach") || !strings.Contains(err.Error(), closed) {
		t.Errorf("Start under a 0700 directory: %v", err)
	}
}

// testDir returns a fresh directory root that the postgres system user can
// reach when the test runs as root: t.TempDir makes its parent 0700.
func testDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{filepath.Dir(dir), dir} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(dir, "pg")
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// skipWithoutPostgres skips (or, with WEGWIJS_REQUIRE_DB=1, fails) when err
// says PostgreSQL or pgvector is not installed.
func skipWithoutPostgres(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, ErrNoPostgres) {
		if os.Getenv("WEGWIJS_REQUIRE_DB") == "1" {
			t.Fatalf("WEGWIJS_REQUIRE_DB=1 but: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server: a few seconds; skipped under -short")
	}
	ctx := context.Background()
	cfg := Config{Dir: testDir(t), Logger: testLogger(t)}
	t.Cleanup(func() {
		if err := Stop(context.Background(), cfg); err != nil {
			t.Errorf("Stop in cleanup: %v", err)
		}
	})

	// First start, twice at once: initdb runs once, both get the same DSN.
	begin := time.Now()
	var (
		wg   sync.WaitGroup
		dsns [2]string
		errs [2]error
	)
	for i := range 2 {
		wg.Go(func() { dsns[i], errs[i] = Start(ctx, cfg) })
	}
	wg.Wait()
	skipWithoutPostgres(t, errors.Join(errs[:]...))
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Start %d: %v", i, err)
		}
	}
	if dsns[0] != dsns[1] {
		t.Errorf("concurrent Starts returned %q and %q", dsns[0], dsns[1])
	}
	dsn := dsns[0]
	t.Logf("first start (initdb, start, create database): %v", time.Since(begin))

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	var version string
	if err := conn.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&version); err != nil {
		t.Fatalf("vector extension: %v", err)
	}
	var trgm float32
	if err := conn.QueryRow(ctx, "SELECT similarity('leerplicht', 'leerplichtambtenaar')").Scan(&trgm); err != nil || trgm <= 0 {
		t.Fatalf("pg_trgm similarity = %v, %v", trgm, err)
	}
	var tcp string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&tcp); err != nil || tcp != "" {
		t.Errorf("listen_addresses = %q, %v; want no TCP", tcp, err)
	}
	conn.Close(ctx)
	t.Logf("vector %s", version)

	st, err := Status(ctx, cfg)
	if err != nil || !st.Running || st.PID == 0 || st.DSN != dsn || st.Version == "" {
		t.Fatalf("Status after Start = %+v, %v", st, err)
	}
	if _, err := os.Stat(st.Socket); err != nil {
		t.Errorf("socket: %v", err)
	}

	begin = time.Now()
	again, err := Start(ctx, cfg)
	if err != nil || again != dsn {
		t.Fatalf("second Start = %q, %v", again, err)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("second Start took %v, want well under a second", d)
	} else {
		t.Logf("second start (reuse): %v", d)
	}
	if st2, _ := Status(ctx, cfg); st2.PID != st.PID {
		t.Errorf("second Start: PID %d, want the running %d", st2.PID, st.PID)
	}

	if err := Stop(ctx, cfg); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if st, err := Status(ctx, cfg); err != nil || st.Running || st.PID != 0 {
		t.Fatalf("Status after Stop = %+v, %v", st, err)
	}
	if err := Stop(ctx, cfg); err != nil {
		t.Errorf("Stop when stopped: %v", err)
	}

	// A crash: kill -9 the postmaster, leaving a stale postmaster.pid behind.
	if _, err := Start(ctx, cfg); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	st, _ = Status(ctx, cfg)
	if err := syscall.Kill(st.PID, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", st.PID, err)
	}
	for i := 0; i < 100 && processState(st.PID) == procAlive; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, "data", "postmaster.pid")); err != nil {
		t.Logf("no postmaster.pid after kill -9: %v", err)
	}
	begin = time.Now()
	dsn, err = Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start after kill -9: %v", err)
	}
	t.Logf("start after kill -9: %v", time.Since(begin))
	conn, err = pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect after kill -9: %v", err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&version); err != nil {
		t.Fatalf("vector after kill -9: %v", err)
	}
	if st2, _ := Status(ctx, cfg); !st2.Running || st2.PID == st.PID {
		t.Errorf("Status after restart = %+v; want running with a new PID", st2)
	}
}

func TestSharedBuffersWithinBounds(t *testing.T) {
	mb := sharedBuffersMB()
	if mb < 128 || mb > 1024 {
		t.Fatalf("shared_buffers %d MB, want 128..1024", mb)
	}
}
