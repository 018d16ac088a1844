package openai_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/prompts/openai"
	"github.com/wegwijs/wegwijs/prompts/openai/openaitest"
)

const secretQuestion = "Mag Jantje uit groep 7 thuisblijven?"

var question = []prompts.Message{
	{Role: "system", Content: "Antwoord in het Nederlands."},
	{Role: "user", Content: secretQuestion},
}

// testConfig points at srv with retries fast enough for tests.
func testConfig(srv *openaitest.Server) openai.Config {
	return openai.Config{
		BaseURL:        srv.URL(),
		APIKey:         "sk-test",
		ChatModel:      "llama3.1",
		EmbedModel:     "bge-m3",
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  50 * time.Millisecond,
		Timeout:        5 * time.Second,
	}
}

func newChat(t *testing.T, cfg openai.Config) *openai.Chat {
	t.Helper()
	c, err := openai.NewChat(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStreamDeltasInOrder(t *testing.T) {
	parts := []string{"Ja, ", "dat ", "mag ", "met ", "toestemming."}
	srv := openaitest.New(t, openaitest.Reply(parts...))
	c := newChat(t, testConfig(srv))
	if got, want := c.Name(), "openai:llama3.1"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}

	var deltas []string
	answer, err := c.Stream(t.Context(), question, func(d string) { deltas = append(deltas, d) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(deltas, "|") != strings.Join(parts, "|") {
		t.Errorf("deltas = %q, want %q", deltas, parts)
	}
	if want := strings.Join(parts, ""); answer != want {
		t.Errorf("answer = %q, want %q", answer, want)
	}

	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/v1/chat/completions" {
		t.Errorf("path = %q", r.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q", got)
	}
	if r.Body["model"] != "llama3.1" || r.Body["stream"] != true {
		t.Errorf("model, stream = %v, %v", r.Body["model"], r.Body["stream"])
	}
	if so, _ := r.Body["stream_options"].(map[string]any); so["include_usage"] != true {
		t.Errorf("stream_options = %v, want include_usage", r.Body["stream_options"])
	}
	if temp, ok := r.Body["temperature"].(float64); !ok || temp > 1e-6 {
		t.Errorf("temperature = %v, want (nearly) 0 and present", r.Body["temperature"])
	}
	msgs, _ := r.Body["messages"].([]any)
	if len(msgs) != 2 {
		t.Fatalf("messages = %v", r.Body["messages"])
	}
	if m, _ := msgs[1].(map[string]any); m["role"] != "user" || m["content"] != secretQuestion {
		t.Errorf("messages[1] = %v", m)
	}
}

func TestStreamNilOnDelta(t *testing.T) {
	srv := openaitest.New(t, openaitest.Reply("a", "b"))
	answer, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, nil)
	if err != nil || answer != "ab" {
		t.Fatalf("Stream = %q, %v", answer, err)
	}
}

func TestReasoningModelGetsNoTemperature(t *testing.T) {
	srv := openaitest.New(t)
	cfg := testConfig(srv)
	cfg.ChatModel = "o3-mini"
	if _, err := newChat(t, cfg).Stream(t.Context(), question, nil); err != nil {
		t.Fatal(err)
	}
	if temp, ok := srv.Requests()[0].Body["temperature"]; ok {
		t.Errorf("temperature = %v sent to a reasoning model", temp)
	}
}

func TestStreamRetriesRateLimitHonouringRetryAfter(t *testing.T) {
	const wait = 150 * time.Millisecond
	srv := openaitest.New(t, openaitest.Fail(2, http.StatusTooManyRequests), openaitest.RetryAfter(wait))
	cfg := testConfig(srv)
	cfg.RetryMaxDelay = time.Second
	answer, err := newChat(t, cfg).Stream(t.Context(), question, nil)
	if err != nil {
		t.Fatal(err)
	}
	if answer == "" {
		t.Error("empty answer")
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i := 1; i < len(reqs); i++ {
		// The backoff alone would wait about a millisecond.
		if gap := reqs[i].Time.Sub(reqs[i-1].Time); gap < wait {
			t.Errorf("retry %d after %v, want at least Retry-After %v", i, gap, wait)
		}
	}
}

func TestStreamRetriesServerErrors(t *testing.T) {
	srv := openaitest.New(t,
		openaitest.Fail(1, http.StatusInternalServerError),
		openaitest.Fail(1, http.StatusBadGateway), // HTML body
		openaitest.Fail(1, http.StatusServiceUnavailable))
	answer, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, nil)
	if err != nil {
		t.Fatal(err)
	}
	if answer == "" {
		t.Error("empty answer")
	}
	if n := len(srv.Requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
}

func TestStreamGivesUpAfterMaxRetries(t *testing.T) {
	srv := openaitest.New(t, openaitest.Fail(10, http.StatusBadGateway))
	cfg := testConfig(srv)
	cfg.MaxRetries = 2
	_, err := newChat(t, cfg).Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	var reqErr *goopenai.RequestError
	if !errors.As(err, &reqErr) || reqErr.HTTPStatusCode != http.StatusBadGateway {
		t.Errorf("err = %#v, want a wrapped RequestError with status 502", err)
	}
	if !strings.Contains(err.Error(), "502") || strings.Contains(err.Error(), "<html>") {
		t.Errorf("message %q: want the status, not the body", err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestStreamNoRetry(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := openaitest.New(t, openaitest.Fail(1, status))
			_, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, nil)
			if !errors.Is(err, openai.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			var apiErr *goopenai.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != status {
				t.Errorf("err = %v, want a wrapped APIError with status %d", err, status)
			}
			var e *openai.Error
			if !errors.As(err, &e) || e.Status != status || e.RequestID == "" {
				t.Errorf("err = %#v, want *Error with status and request id", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, strconv.Itoa(status)) {
				t.Errorf("message %q lacks the status", msg)
			}
			if strings.Contains(msg, "Jantje") {
				t.Errorf("message %q quotes the prompt", msg)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestStreamTimeout(t *testing.T) {
	srv := openaitest.New(t, openaitest.Delay(10*time.Second))
	cfg := testConfig(srv)
	cfg.Timeout = 100 * time.Millisecond
	cfg.MaxRetries = 1
	start := time.Now()
	_, err := newChat(t, cfg).Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (timeouts are retried)", n)
	}
}

func TestStreamContextDeadline(t *testing.T) {
	srv := openaitest.New(t, openaitest.Delay(10*time.Second))
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newChat(t, testConfig(srv)).Stream(ctx, question, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestStreamStallAfterFirstDeltaIsNotRetried(t *testing.T) {
	srv := openaitest.New(t, openaitest.StallAfter(1))
	cfg := testConfig(srv)
	cfg.Timeout = 100 * time.Millisecond
	var deltas []string
	_, err := newChat(t, cfg).Stream(t.Context(), question, func(d string) { deltas = append(deltas, d) })
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if len(deltas) != 1 {
		t.Errorf("deltas = %q, want 1", deltas)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: text was shown", n)
	}
}

func TestStreamGarbage(t *testing.T) {
	srv := openaitest.New(t, openaitest.Garbage())
	_, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestStreamErrorEvent(t *testing.T) {
	srv := openaitest.New(t, openaitest.ErrorAfter(2))
	var deltas []string
	_, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, func(d string) { deltas = append(deltas, d) })
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.Type != "server_error" {
		t.Errorf("err = %v, want the server's APIError", err)
	}
	if len(deltas) != 2 {
		t.Errorf("deltas = %q, want 2", deltas)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestStreamErrorEventBeforeTextIsRetried(t *testing.T) {
	srv := openaitest.New(t, openaitest.ErrorAfter(0))
	cfg := testConfig(srv)
	cfg.MaxRetries = 2
	_, err := newChat(t, cfg).Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), "server_error") {
		t.Errorf("message %q lacks the error type", err)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestStreamConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newChat(t, openai.Config{
		BaseURL: "http://" + addr + "/v1", ChatModel: "llama3.1",
		RetryBaseDelay: time.Millisecond, MaxRetries: 2,
	})
	_, err = c.Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	var e *openai.Error
	if !errors.As(err, &e) || e.Attempts != 3 {
		t.Errorf("err = %#v, want 3 attempts", err)
	}
}

func TestRetryAfterBeyondMaxDelayGivesUp(t *testing.T) {
	srv := openaitest.New(t, openaitest.Fail(1, http.StatusTooManyRequests), openaitest.RetryAfter(time.Minute))
	start := time.Now()
	_, err := newChat(t, testConfig(srv)).Stream(t.Context(), question, nil)
	if !errors.Is(err, openai.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestLogsHoldNoText(t *testing.T) {
	var buf bytes.Buffer
	srv := openaitest.New(t, openaitest.Reply("Geheim ", "antwoord."), openaitest.Fail(1, 500))
	cfg := testConfig(srv)
	cfg.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newChat(t, cfg)
	if _, err := c.Stream(t.Context(), question, nil); err != nil {
		t.Fatal(err)
	}
	srv.Apply(openaitest.Fail(1, 401))
	if _, err := c.Stream(t.Context(), question, nil); err == nil {
		t.Fatal("no error")
	}
	e, err := openai.NewEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(t.Context(), []string{"Geheim document"}); err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	if !strings.Contains(logs, `"status":500`) || !strings.Contains(logs, `"texts":1`) {
		t.Errorf("logs lack status or counts:\n%s", logs)
	}
	for _, text := range []string{"Jantje", "Nederlands", "Geheim", "antwoord"} {
		if strings.Contains(logs, text) {
			t.Errorf("logs contain %q:\n%s", text, logs)
		}
	}
}

func TestAzure(t *testing.T) {
	srv := openaitest.New(t)
	cfg := openai.Config{
		Azure:          true,
		BaseURL:        srv.AzureEndpoint(),
		APIKey:         "azure-key",
		Deployment:     "wegwijs-gpt4o",
		ChatModel:      "gpt-4o-mini",
		EmbedModel:     "text-embedding-3-small",
		RetryBaseDelay: time.Millisecond,
	}
	if _, err := newChat(t, cfg).Stream(t.Context(), question, nil); err != nil {
		t.Fatal(err)
	}
	cfg.Deployment = "wegwijs-embed"
	e, err := openai.NewEmbedder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(t.Context(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, want := range []string{
		"/openai/deployments/wegwijs-gpt4o/chat/completions",
		"/openai/deployments/wegwijs-embed/embeddings",
	} {
		r := reqs[i]
		if r.Path != want {
			t.Errorf("path = %q, want %q", r.Path, want)
		}
		if got := r.Query.Get("api-version"); got != openai.DefaultAPIVersion {
			t.Errorf("api-version = %q, want %q", got, openai.DefaultAPIVersion)
		}
		if got := r.Header.Get("api-key"); got != "azure-key" {
			t.Errorf("api-key = %q", got)
		}
		if got := r.Header.Get("Authorization"); got != "" {
			t.Errorf("Authorization = %q, want none", got)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]openai.Config{
		"no model":         {BaseURL: "http://127.0.0.1:1/v1"},
		"openai no key":    {ChatModel: "gpt-4o-mini", EmbedModel: "text-embedding-3-small"},
		"azure no dep":     {Azure: true, BaseURL: "https://x.openai.azure.com", APIKey: "k", ChatModel: "m", EmbedModel: "m"},
		"azure no key":     {Azure: true, BaseURL: "https://x.openai.azure.com", Deployment: "d"},
		"negative dims":    {BaseURL: "http://127.0.0.1:1/v1", ChatModel: "m", EmbedModel: "m", EmbedDimensions: -1},
		"negative timeout": {BaseURL: "http://127.0.0.1:1/v1", ChatModel: "m", EmbedModel: "m", Timeout: -time.Second},
	} {
		if _, err := openai.NewChat(cfg); err == nil {
			t.Errorf("%s: NewChat: no error", name)
		}
		if _, err := openai.NewEmbedder(cfg); err == nil {
			t.Errorf("%s: NewEmbedder: no error", name)
		}
	}
}
