package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/wegwijs/wegwijs/bot/mattermost/mmtest"
	"github.com/wegwijs/wegwijs/eval"
)

// TestMattermostLoad is a measurement, not a timed test: 50 questions from
// 10 users arriving at once through the real Mattermost server, answered
// by `wegwijs serve` as its own process (offline mode). It checks that
// every question gets exactly one answer and reports the time from post to
// the first sign of work (typing) and to the answer, and the peak memory of
// serve. Run it with WEGWIJS_BENCH_MATTERMOST=1 (see README, "Measured").
func TestMattermostLoad(t *testing.T) {
	if os.Getenv("WEGWIJS_BENCH_MATTERMOST") != "1" {
		t.Skip("a measurement: set WEGWIJS_BENCH_MATTERMOST=1")
	}
	users, perUser := 10, 5
	fmt.Sscanf(os.Getenv("WEGWIJS_BENCH_USERS"), "%d", &users)
	fmt.Sscanf(os.Getenv("WEGWIJS_BENCH_PER_USER"), "%d", &perUser)
	m := setupMattermost(t)
	ctx, f := m.ctx, m.f
	us, clients, err := f.MoreUsers(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	set, err := eval.LoadSet(filepath.Join("..", "..", "eval", "testdata", "questions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	for _, q := range set.Questions {
		if q.Kind == eval.Answerable && len(questions) < users*perUser {
			questions = append(questions, q.Question)
		}
	}

	// serve as its own process, for its memory
	bin := filepath.Join(t.TempDir(), "wegwijs")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	env := mapsClone(m.env)
	env["WEGWIJS_HTTP_ADDR"], env["WEGWIJS_LOG_LEVEL"] = addr, first(os.Getenv("WEGWIJS_BENCH_LOG_LEVEL"), "warn")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "PATH="+os.Getenv("PATH"))
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log(sc.Text())
		}
	}()
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	waitFor(t, 60*time.Second, "serve to be ready", func() bool { return ready(addr) })
	rssStart := vmKB(t, cmd.Process.Pid, "VmRSS")

	type result struct{ typing, answer time.Duration }
	var mu sync.Mutex
	var results []result
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range clients {
		dm, err := f.DirectChannel(ctx, c, us[i].Id)
		if err != nil {
			t.Fatal(err)
		}
		ws, err := mmtest.Listen(ctx, f.URL, c.AuthToken)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.Close()
		for j := 0; j < perUser; j++ {
			q := questions[i*perUser+j]
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				sent := time.Now()
				p, _, err := c.CreatePost(ctx, &model.Post{ChannelId: dm.Id, Message: q})
				if err != nil {
					t.Error(err)
					return
				}
				wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				defer cancel()
				typing, err := ws.Wait(wctx, func(ev *model.WebSocketEvent) bool {
					parent, _ := ev.GetData()["parent_id"].(string)
					return ev.EventType() == model.WebsocketEventTyping && parent == p.Id
				})
				tt := time.Duration(0)
				if err == nil && typing != nil {
					tt = time.Since(sent) // upper bound: Wait returns at once when it came earlier
				}
				if _, err := ws.Wait(wctx, func(ev *model.WebSocketEvent) bool {
					rp, err := mmtest.EventPost(ev)
					return ev.EventType() == model.WebsocketEventPosted && err == nil && rp.RootId == p.Id && rp.UserId == f.BotUser.Id
				}); err != nil {
					t.Errorf("%q: no answer: %v", q, err)
					return
				}
				mu.Lock()
				results = append(results, result{tt, time.Since(sent)})
				mu.Unlock()
			}()
		}
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	time.Sleep(2 * time.Second)
	// exactly one answer each
	for i, c := range clients {
		dm, _ := f.DirectChannel(ctx, c, us[i].Id)
		list, _, err := c.GetPostsForChannel(ctx, dm.Id, 0, 200, "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		replies := map[string]int{}
		for _, p := range list.Posts {
			if p.UserId == f.BotUser.Id {
				replies[p.RootId]++
			}
		}
		for root, n := range replies {
			if n != 1 && time.Since(time.UnixMilli(list.Posts[root].CreateAt)) < 10*time.Minute {
				t.Errorf("question %s got %d answers", root, n)
			}
		}
	}
	var typing, answer []float64
	for _, r := range results {
		typing = append(typing, float64(r.typing.Milliseconds()))
		answer = append(answer, float64(r.answer.Milliseconds()))
	}
	sort.Float64s(typing)
	sort.Float64s(answer)
	pct := func(xs []float64, p float64) float64 { return eval.Percentile(xs, p) }
	t.Logf("LOAD %d questions from %d users at once: all answered in %.1f s; post→typing p50 %.0f ms p95 %.0f ms; post→answer p50 %.0f ms p95 %.0f ms max %.0f ms",
		len(results), users, took.Seconds(), pct(typing, 50), pct(typing, 95), pct(answer, 50), pct(answer, 95), answer[len(answer)-1])
	metrics := get(t, "http://"+addr+"/metrics")
	for _, stage := range []string{"guard", "retrieval", "compose", "total"} {
		sum := countMetric(metrics, `wegwijs_stage_seconds_sum{stage="`+stage+`"}`)
		n := countMetric(metrics, `wegwijs_stage_seconds_count{stage="`+stage+`"}`)
		if n > 0 {
			t.Logf("LOAD stage %s: mean %.0f ms over %.0f questions", stage, 1000*sum/n, n)
		}
	}
	t.Logf("LOAD serve memory: RSS at start %d MB, peak (VmHWM) %d MB", rssStart/1024, vmKB(t, cmd.Process.Pid, "VmHWM")/1024)
	if len(results) != users*perUser {
		t.Errorf("%d of %d answered", len(results), users*perUser)
	}
}

func vmKB(t *testing.T, pid int, field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}

// TestSlackLoad is a measurement like TestMattermostLoad: 50 questions
// from 10 users arriving at once through slacktest, answered by `wegwijs
// serve` as its own process with both adapters (Slack and the real
// Mattermost server) running; it reports the time from envelope to
// answer and serve's peak memory. Run with WEGWIJS_BENCH_SLACK=1.
func TestSlackLoad(t *testing.T) {
	if os.Getenv("WEGWIJS_BENCH_SLACK") != "1" {
		t.Skip("a measurement: set WEGWIJS_BENCH_SLACK=1")
	}
	const users, perUser = 10, 5
	m := setupMattermost(t)
	set, err := eval.LoadSet(filepath.Join("..", "..", "eval", "testdata", "questions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	for _, q := range set.Questions {
		if q.Kind == eval.Answerable && len(questions) < users*perUser {
			questions = append(questions, q.Question)
		}
	}
	f := newSlackFake(t)
	bin := filepath.Join(t.TempDir(), "wegwijs")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	env := mapsClone(m.env)
	env["WEGWIJS_HTTP_ADDR"], env["WEGWIJS_LOG_LEVEL"] = addr, "warn"
	env["SLACK_BOT_TOKEN"], env["SLACK_APP_TOKEN"], env["SLACK_API_URL"], env["SLACK_PING_TIMEOUT"] = "xoxb-test", "xapp-test", f.srv.GetAPIURL(), "10m"
	cmd := exec.Command(bin, "serve")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "PATH="+os.Getenv("PATH"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	waitFor(t, 60*time.Second, "serve to be ready", func() bool { return ready(addr) })
	f.send(`{"type":"hello","num_connections":1}`)

	sent := map[string]time.Time{}
	began := time.Now()
	for i, q := range questions {
		ts := fmt.Sprintf("1700001000.%06d", i)
		sent[ts] = time.Now()
		f.srv.SendToWebsocket(eventEnvelope(fmt.Sprintf("env-l%d", i), fmt.Sprintf("EvL%03d", i), 0,
			mention(fmt.Sprintf("U%02d", i%users), "C1", ts, q)))
	}
	answered := map[string]time.Duration{}
	deadline := time.Now().Add(2 * time.Minute)
	for len(answered) < len(questions) && time.Now().Before(deadline) {
		for _, c := range f.callsOf("chat.postMessage") {
			ts := c.Form.Get("thread_ts")
			if _, done := answered[ts]; !done && !sent[ts].IsZero() {
				answered[ts] = time.Since(sent[ts])
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(began)
	time.Sleep(time.Second)
	if n := len(f.callsOf("chat.postMessage")); n != len(questions) {
		t.Errorf("%d answers to %d questions", n, len(questions))
	}
	var ms []float64
	for _, d := range answered {
		ms = append(ms, float64(d.Milliseconds()))
	}
	sort.Float64s(ms)
	if len(ms) == 0 {
		t.Fatal("nothing answered")
	}
	t.Logf("LOAD slack: %d of %d questions from %d users answered in %.1f s; envelope→answer p50 %.0f ms p95 %.0f ms max %.0f ms",
		len(ms), len(questions), users, took.Seconds(), eval.Percentile(ms, 50), eval.Percentile(ms, 95), ms[len(ms)-1])
	t.Logf("LOAD slack: serve with both adapters: RSS %d MB, peak (VmHWM) %d MB", vmKB(t, cmd.Process.Pid, "VmRSS")/1024, vmKB(t, cmd.Process.Pid, "VmHWM")/1024)
}
