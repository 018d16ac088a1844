package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// privateDB is an environment with its own PostgreSQL (wegwijs's private
// database in a temporary directory), which a test may kill without
// touching the server the other tests share.
func privateDevDB(t *testing.T) map[string]string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a PostgreSQL of its own")
	}
	dir, err := os.MkdirTemp("/tmp", "wwf-")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"WEGWIJS_DB_DIR": dir, "HOME": t.TempDir()}
	t.Cleanup(func() {
		cliRun(t, env, "", "db", "stop")
		exec.Command("rm", "-rf", dir).Run()
	})
	if out, stderr, err := cliRun(t, env, "", "db", "start"); err != nil {
		t.Skipf("no private PostgreSQL here: %v %s %s", err, out, stderr)
	}
	return env
}

// The database killed while a batch of questions is answered: every line
// still gets a reply, in Dutch; the exit code says something failed; no
// English internal error reaches the user; afterwards everything works
// again and nothing is lost.
func TestDatabaseKilledMidQuestion(t *testing.T) {
	env := privateDevDB(t)
	if out, stderr, err := cliRun(t, env, "", "kb", "sync", sampleDir); err != nil {
		t.Fatalf("sync: %v\n%s%s", err, out, stderr)
	}
	var questions strings.Builder
	for i := 0; i < 400; i++ {
		questions.WriteString("wie is aan zet bij absoluut verzuim?\n")
	}
	var wg sync.WaitGroup
	var out, stderr string
	var err error
	wg.Add(1)
	started := time.Now()
	go func() {
		defer wg.Done()
		out, stderr, err = cliRun(t, env, questions.String(), "ask", "--json")
	}()
	time.Sleep(1500 * time.Millisecond) // some questions answered, the rest to come
	if _, _, err := cliRun(t, env, "", "db", "stop"); err != nil {
		t.Fatalf("stop the database: %v", err)
	}
	wg.Wait()
	t.Logf("batch took %s", time.Since(started))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 400 {
		t.Fatalf("%d replies to 400 questions", len(lines))
	}
	answered, down := 0, 0
	for _, l := range lines {
		var r JSONReply
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		switch r.Outcome {
		case "answer":
			answered++
		case "unavailable":
			down++
			if !strings.Contains(r.Answer, "Ik kan nu even niet zoeken") && !strings.Contains(r.Answer, "Er ging bij mij iets mis") {
				t.Errorf("failure reply: %q", r.Answer)
			}
		}
	}
	if answered == 0 || down == 0 {
		t.Errorf("answered %d, failed %d: the kill did not fall inside the batch", answered, down)
	}
	if err == nil || exitCode(err) != 1 || !strings.Contains(userMessage(err), "database") {
		t.Errorf("exit: %v %q", err, userMessage(err))
	}
	for _, english := range []string{"FATAL", "terminating connection", "search:", "dial ", "connection refused", "context "} {
		if strings.Contains(out+userMessage(err), english) {
			t.Errorf("the user sees %q", english)
		}
	}
	_ = stderr // the log (JSON on stderr) carries the technical detail
	// the private database starts again by itself: nothing lost
	if out, _, err := cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?"); err != nil || !strings.Contains(out, `"outcome":"answer"`) {
		t.Errorf("after the restart: %v %s", err, out)
	}
	if out, _, _ := cliRun(t, env, "", "kb", "list"); strings.Count(out, "\n") < 6 {
		t.Errorf("kb list after the restart:\n%s", out)
	}
}
