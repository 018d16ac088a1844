// Package devdb owns the private PostgreSQL cluster that wegwijs starts when
// DATABASE_URL is empty: its directory, initdb, starting, reusing and stopping
// the server on a Unix socket, and the database with the vector and pg_trgm
// extensions. It is for development and the first run, not for production,
// which points DATABASE_URL at a server of its own. It must not create tables
// or run migrations: retrieval/postgres owns the schema.
//
// A directory holds:
//
//	data/          the cluster (initdb -U wegwijs, trust on the local socket only)
//	run/           the Unix socket; no TCP listener at all
//	postgres.log   the server log
//	lock           an flock held while starting or stopping
//
// initdb and postgres refuse to run as root. When the caller is root, devdb
// runs them as the system user "postgres" (created with useradd --system if
// missing) and gives it the directory.
package devdb

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoPostgres reports that the PostgreSQL server binaries, or the pgvector
// extension, are not installed on this machine. scripts/setup-debian.sh
// installs both.
var ErrNoPostgres = errors.New("PostgreSQL with pgvector is not installed")

const (
	// port only names the socket file (.s.PGSQL.5433): there is no TCP
	// listener. It differs from 5432 so nothing is confused with a
	// system cluster's socket.
	port = 5433
	// superuser is the database role initdb creates; the DSN logs in as it.
	superuser = "wegwijs"
	// systemUser runs initdb and postgres when the caller is root.
	systemUser      = "postgres"
	defaultDatabase = "wegwijs"
	rootDefaultDir  = "/var/lib/wegwijs/postgres"

	startTimeout = 60 * time.Second // pg_ctl start/stop -t
	readyTimeout = 15 * time.Second // connecting after the server is up
	// maxSocketPath is sizeof(sun_path) less its terminating NUL on Linux.
	maxSocketPath = 107
	// maxLogSize is when postgres.log is moved aside to postgres.log.1 at start.
	maxLogSize = 16 << 20
)

// Config says where the private cluster lives. The zero value is usable.
type Config struct {
	// Dir is the directory root; DefaultDir(os.Getenv) when empty.
	Dir string
	// BinDir holds initdb and pg_ctl. When empty: /usr/lib/postgresql/<v>/bin
	// for the cluster's version if it exists, else for the highest version
	// installed, else the directory of initdb on PATH.
	BinDir string
	// Database is created if missing; "wegwijs" when empty.
	Database string
	// Logger gets what devdb does (ids, paths and durations); discarded when nil.
	Logger *slog.Logger
}

// State is what Status finds.
type State struct {
	Running bool   // a postmaster for this directory is alive
	PID     int    // its process id; 0 when not running
	Dir     string // the directory root, absolute
	Socket  string // the Unix socket file the server listens on
	DSN     string // connection string for Config.Database
	Version string // major version of the cluster ("15"); empty before initdb
}

// DefaultDir returns where the cluster lives when Config.Dir is empty.
//
// For root it is /var/lib/wegwijs/postgres: the files belong to the postgres
// system user, which cannot reach into root's home (mode 0700), and devdb
// does not loosen permissions it did not create. Anyone else gets
// $XDG_DATA_HOME/wegwijs/postgres, else ~/.local/share/wegwijs/postgres.
func DefaultDir(getenv func(string) string) string {
	return defaultDir(getenv, os.Geteuid() == 0)
}

func defaultDir(getenv func(string) string, root bool) string {
	if root {
		return rootDefaultDir
	}
	if x := getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "wegwijs", "postgres")
	}
	home := getenv("HOME")
	if home == "" {
		if u, err := user.Current(); err == nil {
			home = u.HomeDir
		}
	}
	return filepath.Join(home, ".local", "share", "wegwijs", "postgres")
}

// layout is the set of paths under one directory root.
type layout struct {
	root, data, run, log, lock string
}

func newLayout(dir string) (layout, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return layout{}, fmt.Errorf("devdb dir %s: %w", dir, err)
	}
	l := layout{
		root: abs,
		data: filepath.Join(abs, "data"),
		run:  filepath.Join(abs, "run"),
		log:  filepath.Join(abs, "postgres.log"),
		lock: filepath.Join(abs, "lock"),
	}
	if n := len(l.socket()); n > maxSocketPath {
		return layout{}, fmt.Errorf("devdb dir %s: socket path %s is %d bytes, the limit is %d; choose a shorter Dir", abs, l.socket(), n, maxSocketPath)
	}
	return l, nil
}

func (l layout) socket() string {
	return filepath.Join(l.run, ".s.PGSQL."+strconv.Itoa(port))
}

// dsn is a keyword/value connection string on the Unix socket.
func (l layout) dsn(database string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable",
		quoteDSN(l.run), port, superuser, quoteDSN(database))
}

func quoteDSN(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n'\\") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func resolve(cfg Config) (Config, layout, error) {
	if cfg.Dir == "" {
		cfg.Dir = DefaultDir(os.Getenv)
	}
	if cfg.Database == "" {
		cfg.Database = defaultDatabase
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	l, err := newLayout(cfg.Dir)
	return cfg, l, err
}

// Start makes sure the cluster in cfg.Dir exists and runs, and that the
// database exists with the vector and pg_trgm extensions. It runs initdb on
// first use, starts the server if it is not running (clearing a stale
// postmaster.pid) and reuses it if it is. Concurrent calls, also from other
// processes, are serialised by an flock on <Dir>/lock. It returns a DSN
// for pgx on the Unix socket.
func Start(ctx context.Context, cfg Config) (string, error) {
	cfg, l, err := resolve(cfg)
	if err != nil {
		return "", err
	}
	log := cfg.Logger
	acct, err := lookupAccount(ctx, log)
	if err != nil {
		return "", err
	}
	if err := prepareDir(l, acct); err != nil {
		return "", err
	}
	unlock, err := lockFile(ctx, l.lock, acct)
	if err != nil {
		return "", err
	}
	defer unlock()

	binDir := ""
	needBin := func() error {
		if binDir != "" {
			return nil
		}
		binDir, err = findBinDir(cfg.BinDir, l.data)
		return err
	}
	announced := false
	announce := func() {
		if acct.switchUser && !announced {
			log.Info("running PostgreSQL as system user because initdb and postgres refuse to run as root",
				"user", acct.name, "uid", acct.uid, "dir", l.root)
			announced = true
		}
	}

	initialized, err := hasCluster(l)
	if err != nil {
		return "", err
	}
	if !initialized {
		if err := needBin(); err != nil {
			return "", err
		}
		announce()
		if err := initCluster(ctx, l, acct, binDir, log); err != nil {
			return "", err
		}
	}

	pid, err := runningPID(l, log)
	if err != nil {
		return "", err
	}
	if pid == 0 {
		if err := needBin(); err != nil {
			return "", err
		}
		announce()
		if err := startServer(ctx, l, acct, binDir, log); err != nil {
			return "", err
		}
	} else {
		log.Debug("reusing running private PostgreSQL", "pid", pid, "dir", l.root)
	}

	conn, err := connectWait(ctx, l.dsn("postgres"), readyTimeout)
	if err != nil {
		return "", fmt.Errorf("connect to private PostgreSQL in %s (log: %s): %w", l.root, l.log, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := ensureDatabase(ctx, conn, l, cfg.Database, log); err != nil {
		return "", err
	}
	return l.dsn(cfg.Database), nil
}

// Status reports whether the cluster in cfg.Dir runs. It starts nothing and
// needs no PostgreSQL binaries.
func Status(ctx context.Context, cfg Config) (State, error) {
	cfg, l, err := resolve(cfg)
	if err != nil {
		return State{}, err
	}
	st := State{
		Dir:    l.root,
		Socket: l.socket(),
		DSN:    l.dsn(cfg.Database),
	}
	v, err := os.ReadFile(filepath.Join(l.data, "PG_VERSION"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return State{}, fmt.Errorf("devdb status %s: %w", l.root, err)
	}
	st.Version = strings.TrimSpace(string(v))
	pid, err := livePID(l)
	if err != nil {
		return State{}, fmt.Errorf("devdb status %s: %w", l.root, err)
	}
	st.PID, st.Running = pid, pid != 0
	return st, nil
}

// Stop shuts the server in cfg.Dir down (fast mode: open sessions are ended)
// and waits until it is gone. Stopping a server that is not running is not
// an error.
func Stop(ctx context.Context, cfg Config) error {
	cfg, l, err := resolve(cfg)
	if err != nil {
		return err
	}
	log := cfg.Logger
	if _, err := os.Stat(l.data); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	acct, err := lookupAccount(ctx, log)
	if err != nil {
		return err
	}
	unlock, err := lockFile(ctx, l.lock, acct)
	if err != nil {
		return err
	}
	defer unlock()
	pid, err := runningPID(l, log)
	if err != nil || pid == 0 {
		return err
	}
	binDir, err := findBinDir(cfg.BinDir, l.data)
	if err != nil {
		return err
	}
	begin := time.Now()
	if err := acct.run(ctx, l.root, filepath.Join(binDir, "pg_ctl"),
		"stop", "-D", l.data, "-m", "fast", "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)), "-s"); err != nil {
		return fmt.Errorf("stop private PostgreSQL in %s: %w", l.root, err)
	}
	log.Info("stopped private PostgreSQL", "pid", pid, "dir", l.root, "duration", time.Since(begin))
	return nil
}

// hasCluster reports whether initdb has completed in l.data.
func hasCluster(l layout) (bool, error) {
	_, err := os.Stat(filepath.Join(l.data, "PG_VERSION"))
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return false, fmt.Errorf("devdb %s: %w", l.data, err)
	}
	if _, err := os.Stat(l.data); err == nil {
		return false, fmt.Errorf("devdb: %s exists but holds no PostgreSQL cluster (no PG_VERSION); move it away and start again", l.data)
	}
	return false, nil
}

// initCluster runs initdb into a scratch directory and renames it into
// place, so an interrupted initdb never leaves a half-made data directory.
func initCluster(ctx context.Context, l layout, acct account, binDir string, log *slog.Logger) error {
	begin := time.Now()
	scratch := l.data + ".init"
	if err := os.RemoveAll(scratch); err != nil {
		return fmt.Errorf("initdb: remove leftover %s: %w", scratch, err)
	}
	err := acct.run(ctx, l.root, filepath.Join(binDir, "initdb"),
		"-D", scratch,
		"-U", superuser,
		"--auth-local=trust", // only reachable through the 0700 socket directory
		"--auth-host=reject", // and there is no TCP listener anyway
		"--encoding=UTF8",
		"--locale=C.UTF-8", // character classes for Dutch text, independent of the host's locale
		"--no-instructions",
	)
	if err != nil {
		return fmt.Errorf("initdb in %s: %w", l.root, err)
	}
	conf, err := os.OpenFile(filepath.Join(scratch, "postgresql.conf"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	_, err = io.WriteString(conf, "\n# Added by wegwijs: its settings, rewritten at every start.\ninclude_if_exists = 'wegwijs.conf'\n")
	if cerr := conf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	if err := os.Rename(scratch, l.data); err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	log.Info("created private PostgreSQL cluster", "dir", l.data, "duration", time.Since(begin))
	return nil
}

// sharedBuffersMB sizes PostgreSQL's buffer cache: an eighth of the
// machine's memory, between 128 MB and 1 GB. pgvector's HNSW index is
// fast only when it fits (100k chunks: 156 MB).
func sharedBuffersMB() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 128
	}
	var kb int
	for _, line := range strings.Split(string(b), "\n") {
		if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &kb); err == nil {
			break
		}
	}
	return min(1024, max(128, kb/1024/8))
}

// startServer writes the settings that depend on the directory and runs
// pg_ctl start, which waits until the server accepts connections.
func startServer(ctx context.Context, l layout, acct account, binDir string, log *slog.Logger) error {
	begin := time.Now()
	conf := fmt.Sprintf(`# Rewritten by wegwijs at every start; put your own settings in postgresql.conf.
listen_addresses = ''
port = %d
unix_socket_directories = '%s'
unix_socket_permissions = 0700
max_connections = 50
shared_buffers = '%dMB'
`, port, strings.ReplaceAll(l.run, "'", "''"), sharedBuffersMB())
	if err := acct.writeFile(filepath.Join(l.data, "wegwijs.conf"), []byte(conf)); err != nil {
		return fmt.Errorf("start private PostgreSQL: %w", err)
	}
	if fi, err := os.Stat(l.log); err == nil && fi.Size() > maxLogSize {
		if err := os.Rename(l.log, l.log+".1"); err != nil {
			return fmt.Errorf("start private PostgreSQL: rotate log: %w", err)
		}
	}
	err := acct.run(ctx, l.root, filepath.Join(binDir, "pg_ctl"),
		"start", "-D", l.data, "-l", l.log, "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)), "-s")
	if err != nil {
		return fmt.Errorf("start private PostgreSQL in %s: %w\nlast lines of %s:\n%s", l.root, err, l.log, logTail(l.log, 10))
	}
	pid, _ := livePID(l)
	log.Info("started private PostgreSQL", "pid", pid, "socket", l.socket(), "duration", time.Since(begin))
	return nil
}

// logTail returns the last n lines of the file at path, for error messages.
func logTail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > 64<<10 {
		_, _ = f.Seek(-64<<10, io.SeekEnd)
	}
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// connectWait connects to dsn, retrying until it works or timeout passes.
func connectWait(ctx context.Context, dsn string, timeout time.Duration) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, dsn)
		cancelAttempt()
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ensureDatabase creates the database if missing, then the extensions in it.
func ensureDatabase(ctx context.Context, conn *pgx.Conn, l layout, database string, log *slog.Logger) error {
	var exists bool
	err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", database).Scan(&exists)
	if err != nil {
		return fmt.Errorf("look up database %s: %w", database, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{database}.Sanitize()); err != nil {
			return fmt.Errorf("create database %s: %w", database, err)
		}
		log.Info("created database", "database", database)
	}
	db, err := pgx.Connect(ctx, l.dsn(database))
	if err != nil {
		return fmt.Errorf("connect to database %s: %w", database, err)
	}
	defer db.Close(context.WithoutCancel(ctx))
	for _, ext := range []string{"vector", "pg_trgm"} {
		_, err := db.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS "+ext)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "58P01" { // undefined_file: no control file
			return fmt.Errorf("create extension %s in %s: %w (run scripts/setup-debian.sh): %w", ext, database, ErrNoPostgres, err)
		}
		if err != nil {
			return fmt.Errorf("create extension %s in %s: %w", ext, database, err)
		}
	}
	return nil
}

// findBinDir returns the directory holding initdb and pg_ctl.
func findBinDir(configured, dataDir string) (string, error) {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
				return false
			}
		}
		return true
	}
	if configured != "" {
		if has(configured) {
			return configured, nil
		}
		return "", fmt.Errorf("%w: no initdb, pg_ctl and postgres in %s; run scripts/setup-debian.sh", ErrNoPostgres, configured)
	}
	const debian = "/usr/lib/postgresql"
	if v, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION")); err == nil {
		if dir := filepath.Join(debian, strings.TrimSpace(string(v)), "bin"); has(dir) {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob(filepath.Join(debian, "*", "bin", "initdb"))
	best, bestVersion := "", []int(nil)
	for _, m := range matches {
		dir := filepath.Dir(m)
		v, ok := parseVersion(filepath.Base(filepath.Dir(dir)))
		if ok && has(dir) && (best == "" || versionLess(bestVersion, v)) {
			best, bestVersion = dir, v
		}
	}
	if best != "" {
		return best, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("%w: initdb not found in %s/<version>/bin or on PATH; run scripts/setup-debian.sh", ErrNoPostgres, debian)
}

func parseVersion(s string) ([]int, bool) {
	var v []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// runningPID returns the pid of the live postmaster of l, or 0. The lock
// files of a crashed postmaster are removed once none of its processes is
// left: postgres itself would refuse to start over a pid that is a zombie
// or reused by another program.
func runningPID(l layout, log *slog.Logger) (int, error) {
	pid, state, err := readPID(l)
	if err != nil || pid == 0 {
		return 0, err
	}
	if state == procAlive {
		return pid, nil
	}
	// The postmaster died without cleaning up (kill -9): it is gone, or a
	// zombie nobody reaps, or its pid now belongs to another program. Its
	// children may still be finishing: removing the lock files while they
	// run would let a new postmaster share the data directory with them.
	if left := waitDataProcesses(l.data, 10*time.Second); len(left) > 0 {
		return 0, fmt.Errorf("devdb: postmaster %d is gone but processes %v still use %s; stop them first", pid, left, l.data)
	}
	log.Info("removing stale lock files of a crashed server", "pid", pid, "dir", l.data)
	for _, lock := range []string{filepath.Join(l.data, "postmaster.pid"), l.socket() + ".lock"} {
		b, err := os.ReadFile(lock)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if first, _, _ := bytes.Cut(b, []byte("\n")); strings.TrimSpace(string(first)) != strconv.Itoa(pid) {
			continue // not the dead server's
		}
		if err := os.Remove(lock); err != nil && !errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("remove stale %s: %w", lock, err)
		}
	}
	return 0, nil
}

// waitDataProcesses waits until no live process has dataDir as its working
// directory (every postgres process does) and returns those left when
// timeout passes. Without /proc it returns nil at once.
func waitDataProcesses(dataDir string, timeout time.Duration) []int {
	real, err := filepath.EvalSymlinks(dataDir)
	if err != nil {
		real = dataDir
	}
	deadline := time.Now().Add(timeout)
	for {
		var left []int
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err != nil || (cwd != real && cwd != dataDir) {
				continue
			}
			if _, state, ok := procStat(pid); ok && state != 'Z' && state != 'X' {
				left = append(left, pid)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// livePID is runningPID without the cleaning up.
func livePID(l layout) (int, error) {
	pid, state, err := readPID(l)
	if state != procAlive {
		return 0, err
	}
	return pid, err
}

// readPID reads the pid in postmaster.pid and what became of its process.
// It returns pid 0 and procGone when there is no such file.
func readPID(l layout) (int, procState, error) {
	b, err := os.ReadFile(filepath.Join(l.data, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, procGone, nil
	}
	if err != nil {
		return 0, procGone, fmt.Errorf("read postmaster.pid: %w", err)
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(strings.TrimSpace(string(first)))
	if err != nil || pid <= 0 {
		// Being written this very moment, or garbage: postgres decides.
		return 0, procGone, nil
	}
	return pid, processState(pid), nil
}
