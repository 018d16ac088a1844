package devdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// account is the OS user that runs initdb, pg_ctl and postgres: the caller
// itself, or the postgres system user when the caller is root.
type account struct {
	name       string
	uid, gid   int
	home       string
	switchUser bool // the caller is root: run commands as uid/gid
}

// lookupAccount picks the account, creating the system user if root has none.
func lookupAccount(ctx context.Context, log *slog.Logger) (account, error) {
	if os.Geteuid() != 0 {
		return account{uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup(systemUser)
	if errors.As(err, new(user.UnknownUserError)) {
		out, cerr := exec.CommandContext(ctx, "useradd", "--system", "--user-group",
			"--no-create-home", "--home-dir", "/var/lib/postgresql", "--shell", "/usr/sbin/nologin",
			"--comment", "PostgreSQL administrator", systemUser).CombinedOutput()
		// Another process may have created it meanwhile: look again either way.
		if u, err = user.Lookup(systemUser); err != nil {
			return account{}, fmt.Errorf("create system user %s: %v: %s", systemUser, cerr, bytes.TrimSpace(out))
		}
		log.Info("created system user to run PostgreSQL", "user", systemUser, "uid", u.Uid)
	}
	if err != nil {
		return account{}, fmt.Errorf("look up system user %s: %w", systemUser, err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return account{}, fmt.Errorf("system user %s: %w", systemUser, err)
	}
	if uid == 0 {
		return account{}, fmt.Errorf("system user %s has uid 0; PostgreSQL needs an unprivileged user", systemUser)
	}
	return account{name: u.Username, uid: uid, gid: gid, home: u.HomeDir, switchUser: true}, nil
}

// env is the environment for PostgreSQL commands: the caller's, less
// anything that would steer them elsewhere (PG*, locale, the user's home).
func (a account) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "PG"), strings.HasPrefix(k, "LC_"), k == "LANG", k == "LANGUAGE":
			continue
		case a.switchUser && (k == "HOME" || k == "USER" || k == "LOGNAME" || k == "MAIL" || k == "XDG_RUNTIME_DIR"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "LC_ALL=C.UTF-8") // English messages, whatever the host says
	if a.switchUser {
		env = append(env, "HOME="+a.home, "USER="+a.name, "LOGNAME="+a.name)
	}
	return env
}

// run runs a PostgreSQL command as the account, in dir, and returns its
// output in the error when it fails.
func (a account) run(ctx context.Context, dir, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = a.env()
	// Its own process group, so a Ctrl-C meant for wegwijs does not reach pg_ctl mid-start.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if a.switchUser {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid), Groups: []uint32{}}
	}
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", filepath.Base(bin), args[0], err, bytes.TrimSpace(out))
	}
	return nil
}

// writeFile writes a private file that the account owns.
func (a account) writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return err
	}
	return a.chown(path)
}

func (a account) chown(path string) error {
	if !a.switchUser {
		return nil
	}
	return os.Chown(path, a.uid, a.gid)
}

// prepareDir creates the directory root and the socket directory, owned by
// the account, and checks that the account can reach them.
func prepareDir(l layout, a account) error {
	if err := os.MkdirAll(filepath.Dir(l.root), 0o755); err != nil {
		return fmt.Errorf("devdb dir: %w", err)
	}
	for _, dir := range []string{l.root, l.run} {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("devdb dir: %w", err)
		}
		if err := a.chown(dir); err != nil {
			return fmt.Errorf("devdb dir: %w", err)
		}
	}
	if !a.switchUser {
		return nil
	}
	return checkReachable(l.root, a)
}

// checkReachable reports an error when a directory above dir is not
// searchable for the account. devdb does not loosen such permissions itself:
// it says which directory is in the way. ACLs are not consulted.
func checkReachable(dir string, a account) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("devdb dir: %w", err)
	}
	for p := filepath.Dir(real); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("devdb dir: %w", err)
		}
		var bit fs.FileMode = 0o001
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			switch {
			case int(st.Uid) == a.uid:
				bit = 0o100
			case int(st.Gid) == a.gid:
				bit = 0o010
			}
		}
		if fi.Mode().Perm()&bit == 0 {
			return fmt.Errorf("devdb dir %s: user %s cannot reach it because %s (mode %s) is closed to it; choose a Dir elsewhere (as root the default is %s) or run chmod o+x %s",
				dir, a.name, p, fi.Mode().Perm(), rootDefaultDir, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// lockFile takes an exclusive flock on path, waiting until ctx ends. The
// returned func releases it. The descriptor is close-on-exec, so the
// postgres processes started meanwhile do not inherit the lock.
func lockFile(ctx context.Context, path string, a account) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("devdb lock: %w", err)
	}
	if err := a.chown(path); err != nil {
		f.Close()
		return nil, fmt.Errorf("devdb lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("devdb lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("devdb lock %s: another wegwijs is starting or stopping the server: %w", path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type procState int

const (
	procAlive procState = iota // alive, and as far as we can tell a postgres
	procGone                   // no such process
	procStale                  // exists, but is a zombie or not a postgres
)

// processState tells what became of the process a postmaster.pid names. On
// Linux it also reads /proc, to tell a reused pid or a zombie (after kill -9
// where nobody reaps) from a live postmaster.
func processState(pid int) procState {
	switch err := syscall.Kill(pid, 0); {
	case errors.Is(err, syscall.ESRCH):
		return procGone
	case errors.Is(err, syscall.EPERM):
		// Ours runs as the same user as we (or we are root): this is someone else's.
		return procStale
	}
	comm, state, ok := procStat(pid)
	if !ok {
		return procAlive
	}
	if state == 'Z' || state == 'X' || !(strings.HasPrefix(comm, "postgres") || strings.HasPrefix(comm, "postmaster")) {
		return procStale
	}
	return procAlive
}

// procStat reads the command name and state letter from /proc/<pid>/stat.
func procStat(pid int) (comm string, state byte, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, false
	}
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open || end+2 >= len(b) {
		return "", 0, false
	}
	return string(b[open+1 : end]), b[end+2], true
}
