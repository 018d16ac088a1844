package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/wegwijs/wegwijs/prompts/openai/openaitest"
)

// leakPlace is one thing a run wrote, stored or sent out, to be searched for
// canaries.
type leakPlace struct {
	name string // where it came from; printed in failures
	data []byte
}

// leakMatcher finds one canary in any spelling: case-insensitive, with or
// without separators (spaces, dots, hyphens, slashes) between its
// characters, and not as part of a longer word or number, so that "77120"
// does not hit inside an embedding's "0.0771203".
type leakMatcher struct {
	index int
	kind  string
	re    *regexp.Regexp
}

var leakMatchers = compileLeakMatchers(leakCanaries)

func compileLeakMatchers(cs []leakCanary) []leakMatcher {
	ms := make([]leakMatcher, len(cs))
	for i, c := range cs {
		ms[i] = leakMatcher{index: i, kind: c.kind, re: leakPattern(c.value)}
	}
	return ms
}

const leakSeparators = " .-/"

func leakPattern(value string) *regexp.Regexp {
	var parts []string
	for _, r := range strings.ToLower(value) {
		if strings.ContainsRune(leakSeparators, r) || unicode.IsSpace(r) {
			continue
		}
		parts = append(parts, regexp.QuoteMeta(string(r)))
	}
	const edge = `[^\p{L}\p{N}]`
	return regexp.MustCompile(`(?i)(?:^|` + edge + `)` + strings.Join(parts, `[\s.\-/]*`) + `(?:` + edge + `|$)`)
}

// leakHit is a canary found somewhere. It never holds the value.
type leakHit struct {
	index int
	kind  string
	where string
}

func (h leakHit) String() string {
	return fmt.Sprintf("canary %d (%s) found in %s", h.index, h.kind, h.where)
}

// leakScan searches every place for every canary.
func leakScan(places []leakPlace) []leakHit {
	var hits []leakHit
	for _, p := range places {
		for _, m := range leakMatchers {
			if m.re.Match(p.data) {
				hits = append(hits, leakHit{m.index, m.kind, p.name})
			}
		}
	}
	return hits
}

// leakScrub replaces every canary in s by its index and kind, so that error
// text can go into a failure message without printing a value.
func leakScrub(s string) string {
	for _, m := range leakMatchers {
		s = m.re.ReplaceAllString(s, fmt.Sprintf(" <canary %d: %s> ", m.index, m.kind))
	}
	return s
}

// requireNoLeak fails the test for every canary found.
func requireNoLeak(t *testing.T, places []leakPlace) {
	t.Helper()
	var size int
	for _, p := range places {
		size += len(p.data)
	}
	hits := leakScan(places)
	for _, h := range hits {
		t.Errorf("leak: %s", h)
	}
	t.Logf("searched %d places (%d bytes) for %d canaries: %d hits", len(places), size, len(leakCanaries), len(hits))
}

// leakServerPlaces returns every request the fake LLM server received: what
// Wegwijs sent out.
func leakServerPlaces(prefix string, srv *openaitest.Server) []leakPlace {
	var out []leakPlace
	for i, r := range srv.Requests() {
		name := fmt.Sprintf("%s: request %d to the LLM server (%s %s)", prefix, i, r.Method, r.Path)
		var head bytes.Buffer
		head.WriteString(r.Path + "?" + r.Query.Encode() + "\n")
		r.Header.Write(&head)
		out = append(out, leakPlace{name + " body", r.Raw}, leakPlace{name + " URL and headers", head.Bytes()})
	}
	return out
}

// leakFilePlaces returns every file under the roots, and the file names
// themselves.
func leakFilePlaces(t *testing.T, prefix string, roots map[string]string) []leakPlace {
	t.Helper()
	var out []leakPlace
	files := 0
	defer func() { t.Logf("%d files written under %d directories", files, len(roots)) }()
	for label, root := range roots {
		var names []string
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			names = append(names, rel)
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			out = append(out, leakPlace{fmt.Sprintf("%s: file %s/%s", prefix, label, rel), data})
			return nil
		})
		if err != nil {
			t.Fatalf("walk %s: %v", label, err)
		}
		sort.Strings(names)
		out = append(out, leakPlace{fmt.Sprintf("%s: file names under %s", prefix, label), []byte(strings.Join(names, "\n"))})
	}
	return out
}

// leakMetricsPlaces returns what a metrics endpoint exposes. Wegwijs has no
// /metrics yet (it comes with the chat adapters), so there is nothing to
// scan; when it lands, fetch it here and every leak test searches it too.
func leakMetricsPlaces(t *testing.T, prefix string) []leakPlace {
	t.Helper()
	return nil
}

// leakPgDumpPath finds pg_dump: the PostgreSQL 15 client the project's setup
// installs, else the newest installed one, else the one on PATH.
func leakPgDumpPath(t *testing.T) string {
	t.Helper()
	if p := "/usr/lib/postgresql/15/bin/pg_dump"; leakFileExists(p) {
		return p
	}
	if ms, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump"); len(ms) > 0 {
		sort.Strings(ms)
		return ms[len(ms)-1]
	}
	p, err := exec.LookPath("pg_dump")
	if err != nil {
		t.Fatal("pg_dump not found: install the PostgreSQL client (scripts/setup-debian.sh)")
	}
	return p
}

func leakFileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// leakSchemas returns the schemas in the test database, other than
// PostgreSQL's own.
func leakSchemas(t *testing.T, ctx context.Context) map[string]bool {
	t.Helper()
	conn, err := pgx.Connect(ctx, os.Getenv("WEGWIJS_TEST_DATABASE_URL"))
	if err != nil {
		t.Fatalf("connect to test database: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace
		WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'`)
	if err != nil {
		t.Fatalf("list schemas: %v", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("list schemas: %v", err)
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// leakDumpPlaces dumps the data of the test database and returns it per
// table. It covers this test's schema, public, and every schema created
// while the test ran, so a write outside the search_path is caught too. The
// test database is shared, so two kinds of schema are left out: other
// tests' own schemas (t_..., made by pgtest for tests running at the same
// time) and schemas that already existed before this test (fixtures such as
// a benchmark's corpus, which no run of this test can have written to
// without also touching public or its own schema). In CI the database is
// fresh, so this is the whole database but for concurrent tests' schemas.
func leakDumpPlaces(t *testing.T, ctx context.Context, prefix, dsn string, before map[string]bool) []leakPlace {
	t.Helper()
	mine := leakSchemaOf(dsn)
	if mine == "" {
		t.Fatalf("no schema in the test DSN")
	}
	args := []string{"--data-only", "--no-owner", "--no-privileges", "--dbname", os.Getenv("WEGWIJS_TEST_DATABASE_URL")}
	var left []string
	for s := range leakSchemas(t, ctx) {
		switch {
		case s == mine || s == "public" || (!before[s] && !strings.HasPrefix(s, "t_")):
			args = append(args, "--schema", s)
		default:
			left = append(left, s)
		}
	}
	cmd := exec.CommandContext(ctx, leakPgDumpPath(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderr.Bytes())
	}
	sections := map[string]*bytes.Buffer{}
	var order []string
	section := "(outside COPY)"
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "COPY ") {
			section = strings.Fields(line)[1]
		}
		b := sections[section]
		if b == nil {
			b = &bytes.Buffer{}
			sections[section] = b
			order = append(order, section)
		}
		b.WriteString(line + "\n")
		if line == `\.` {
			section = "(outside COPY)"
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read pg_dump output: %v", err)
	}
	var places []leakPlace
	mineSeen := false
	for _, s := range order {
		if strings.HasPrefix(s, mine+".") {
			mineSeen = true
		}
		places = append(places, leakPlace{fmt.Sprintf("%s: pg_dump of %s", prefix, s), sections[s].Bytes()})
	}
	if !mineSeen {
		t.Fatalf("pg_dump holds no table of schema %s: the dump does not cover this run", mine)
	}
	t.Logf("pg_dump: %d bytes in %d sections; left out %d schemas of other tests or fixtures", len(out), len(places), len(left))
	return places
}

var leakSearchPathRe = regexp.MustCompile(`search_path=([A-Za-z0-9_]+)`)

// leakSchemaOf returns the first schema of the search_path in a pgtest DSN.
func leakSchemaOf(dsn string) string {
	m := leakSearchPathRe.FindStringSubmatch(dsn)
	if m == nil {
		return ""
	}
	return m[1]
}
