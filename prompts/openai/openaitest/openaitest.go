// Package openaitest is a fake OpenAI-compatible server for tests: it
// streams a scripted chat reply in server-sent events, answers embeddings
// requests with deterministic vectors, and fails on demand (status codes,
// delays, garbage bodies, an error in the middle of a stream). It records
// every request so that tests can assert on paths, headers and bodies. It
// listens on loopback only and needs no other network.
package openaitest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// defaultReply is the chat reply when no Reply option is given, streamed
// one word per chunk.
var defaultReply = []string{"Volgens ", "het ", "protocol ", "meldt ", "u ", "dit ", "bij ", "de ", "leerplichtambtenaar."}

// DefaultDimensions is the vector size when neither the Dimensions option
// nor the request's "dimensions" field sets one.
const DefaultDimensions = 8

// Request is one request as the server received it.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   map[string]any // the decoded JSON body; nil if it was not JSON
	Raw    []byte
	Time   time.Time
}

// Server is a fake OpenAI-compatible API. Its methods are safe for
// concurrent use.
type Server struct {
	srv *httptest.Server

	mu         sync.Mutex
	reply      []string
	dims       int
	failures   []int // status codes of the next requests to fail
	retryAfter time.Duration
	delay      time.Duration
	stallAfter int // chunks sent before the stream stalls; <0: never
	chunkDelay time.Duration
	garbage    bool
	errAfter   int // chunks sent before an in-stream error; <0: never
	reverse    bool
	requests   []Request
}

// Option scripts the server's behaviour.
type Option func(*Server)

// Reply sets the chat reply: each part is sent as one chunk.
func Reply(parts ...string) Option {
	return func(s *Server) { s.reply = append([]string(nil), parts...) }
}

// Dimensions forces the size of the embedding vectors, whatever the request
// asks for.
func Dimensions(n int) Option { return func(s *Server) { s.dims = n } }

// Fail makes the next n requests fail with status. A 429 carries the
// RetryAfter headers when set, a 502, 503 or 504 an HTML body as a proxy
// would send it, any other status an OpenAI-style JSON error. Calls add up:
// Fail(1, 429), Fail(1, 500) fails the first request with 429, the second
// with 500.
func Fail(n, status int) Option {
	return func(s *Server) {
		for range n {
			s.failures = append(s.failures, status)
		}
	}
}

// RetryAfter sets the wait that 429 responses ask for, in both the
// Retry-After header (whole seconds, rounded up) and OpenAI's
// retry-after-ms header.
func RetryAfter(d time.Duration) Option { return func(s *Server) { s.retryAfter = d } }

// Delay holds every response back by d, or until the client gives up.
func Delay(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// ChunkDelay waits d between the chunks of a chat stream, as a model that
// writes at a human pace.
func ChunkDelay(d time.Duration) Option { return func(s *Server) { s.chunkDelay = d } }

// StallAfter makes chat streams stop sending after n content chunks,
// keeping the connection open until the client gives up.
func StallAfter(n int) Option { return func(s *Server) { s.stallAfter = n } }

// Garbage makes every response a 200 with an HTML body: neither JSON nor
// server-sent events.
func Garbage() Option { return func(s *Server) { s.garbage = true } }

// ErrorAfter makes chat streams send an in-stream error event
// (data: {"error": ...}) after n content chunks and then end.
func ErrorAfter(n int) Option { return func(s *Server) { s.errAfter = n } }

// ReverseEmbeddings returns the embeddings' data in reverse order, each
// with its correct index, as the API allows.
func ReverseEmbeddings() Option { return func(s *Server) { s.reverse = true } }

// New starts a server that t closes at cleanup.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{reply: defaultReply, stallAfter: -1, errAfter: -1}
	s.Apply(opts...)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// Apply changes the server's behaviour for the requests that follow.
func (s *Server) Apply(opts ...Option) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range opts {
		o(s)
	}
}

// URL is the API base, ending in /v1, as Config.BaseURL takes it for
// OpenAI, Ollama or vLLM.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// AzureEndpoint is the server's root, as an Azure OpenAI resource endpoint:
// the client adds /openai/deployments/<deployment>/...
func (s *Server) AzureEndpoint() string { return s.srv.URL }

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Vector is the embedding the server returns for text: deterministic,
// unit length, dims values.
func Vector(text string, dims int) []float32 {
	v := make([]float32, dims)
	var sum float64
	for i := range v {
		h := fnv.New64a()
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(i))
		h.Write(b[:])
		io.WriteString(h, text)
		x := float64(int64(h.Sum64()>>11))/float64(1<<52) - 1 // in [-1, 1)
		v[i] = float32(x)
		sum += x * x
	}
	if n := math.Sqrt(sum); n > 0 {
		for i := range v {
			v[i] = float32(float64(v[i]) / n)
		}
	}
	return v
}

// behaviour is what the server does for one request, decided under the
// lock when it arrives.
type behaviour struct {
	fail       int
	retryAfter time.Duration
	delay      time.Duration
	garbage    bool
	reply      []string
	stallAfter int
	chunkDelay time.Duration
	errAfter   int
	dims       int
	reverse    bool
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if json.Unmarshal(raw, &body) != nil {
		body = nil
	}

	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		Raw:    raw,
		Time:   time.Now(),
	})
	b := behaviour{
		retryAfter: s.retryAfter,
		delay:      s.delay,
		garbage:    s.garbage,
		reply:      s.reply,
		stallAfter: s.stallAfter,
		chunkDelay: s.chunkDelay,
		errAfter:   s.errAfter,
		dims:       s.dims,
		reverse:    s.reverse,
	}
	if len(s.failures) > 0 {
		b.fail, s.failures = s.failures[0], s.failures[1:]
	}
	s.mu.Unlock()

	if b.delay > 0 {
		select {
		case <-time.After(b.delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case b.fail != 0:
		fail(w, b.fail, b.retryAfter)
	case b.garbage:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Welkom bij de proxy</body></html>\n")
	case r.Method != http.MethodPost || body == nil:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "invalid_json", "the body must be a JSON object")
	case strings.HasSuffix(r.URL.Path, "/chat/completions"):
		s.chat(w, r, body, b)
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		embeddings(w, body, b)
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url", "unknown URL "+r.URL.Path)
	}
}

func fail(w http.ResponseWriter, status int, retryAfter time.Duration) {
	switch status {
	case http.StatusTooManyRequests:
		if retryAfter > 0 {
			secs := int((retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.Header().Set("retry-after-ms", strconv.FormatInt(retryAfter.Milliseconds(), 10))
		}
		writeError(w, status, "requests", "rate_limit_exceeded", "Rate limit reached, please try again later.")
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%[1]d %[2]s</h1></body></html>\n", status, http.StatusText(status))
	case http.StatusUnauthorized:
		writeError(w, status, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.")
	case http.StatusNotFound:
		writeError(w, status, "invalid_request_error", "model_not_found", "The model does not exist.")
	default:
		if status >= 500 {
			writeError(w, status, "server_error", "server_error", "The server had an error while processing your request.")
			return
		}
		writeError(w, status, "invalid_request_error", "", http.StatusText(status))
	}
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req_fake_"+strconv.Itoa(status))
	w.WriteHeader(status)
	e := map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}
	if code != "" {
		e["code"] = code
	}
	json.NewEncoder(w).Encode(map[string]any{"error": e})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request, body map[string]any, b behaviour) {
	model, _ := body["model"].(string)
	stream, _ := body["stream"].(bool)
	if !stream {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": strings.Join(b.reply, "")}}},
			"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": len(b.reply), "total_tokens": 10 + len(b.reply)},
		})
		return
	}
	includeUsage := false
	if so, ok := body["stream_options"].(map[string]any); ok {
		includeUsage, _ = so["include_usage"].(bool)
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("x-request-id", "req_fake_stream")
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		data, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		c := map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
		if includeUsage {
			c["usage"] = nil
		}
		return c
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for i, part := range b.reply {
		if i == b.errAfter {
			break
		}
		if i == b.stallAfter {
			<-r.Context().Done()
			return
		}
		if i > 0 && b.chunkDelay > 0 {
			select {
			case <-time.After(b.chunkDelay):
			case <-r.Context().Done():
				return
			}
		}
		send(chunk(map[string]any{"content": part}, nil))
	}
	if b.errAfter >= 0 && b.errAfter <= len(b.reply) {
		fmt.Fprint(w, `data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`+"\n\n")
		return
	}
	if b.stallAfter >= len(b.reply) {
		<-r.Context().Done()
		return
	}
	send(chunk(map[string]any{}, "stop"))
	if includeUsage {
		send(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": model,
			"choices": []any{},
			"usage":   map[string]any{"prompt_tokens": 10, "completion_tokens": len(b.reply), "total_tokens": 10 + len(b.reply)},
		})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func embeddings(w http.ResponseWriter, body map[string]any, b behaviour) {
	model, _ := body["model"].(string)
	var inputs []string
	switch in := body["input"].(type) {
	case string:
		inputs = []string{in}
	case []any:
		for _, x := range in {
			s, ok := x.(string)
			if !ok {
				writeError(w, http.StatusBadRequest, "invalid_request_error", "", "input must be strings")
				return
			}
			inputs = append(inputs, s)
		}
	default:
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "input is missing")
		return
	}
	dims := b.dims
	if dims == 0 {
		if d, ok := body["dimensions"].(float64); ok && d > 0 {
			dims = int(d)
		} else {
			dims = DefaultDimensions
		}
	}
	data := make([]any, len(inputs))
	for i, text := range inputs {
		j := i
		if b.reverse {
			j = len(inputs) - 1 - i
		}
		data[j] = map[string]any{"object": "embedding", "index": i, "embedding": Vector(text, dims)}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req_fake_embed")
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": model,
		"usage": map[string]any{"prompt_tokens": len(inputs), "total_tokens": len(inputs)},
	})
}
