// Package openai connects Wegwijs to a language model and an embedding
// model behind an OpenAI-compatible API: OpenAI itself, Azure OpenAI,
// Ollama or vLLM. It owns the client settings, the retry policy (backoff
// with jitter, Retry-After, per-request timeouts) and the translation of
// the API's failures into errors a caller can test: ErrUnavailable,
// ErrRejected and ErrMalformed. Chat satisfies prompts.ChatModel, Embedder
// satisfies knowledge.Embedder.
//
// It never logs or puts into an error message the text of a prompt, a
// passage or an answer: logs and errors carry model names, request ids,
// status codes, counts and durations only.
package openai

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// Defaults for the zero values of Config.
const (
	DefaultAPIVersion     = "2024-10-21"
	DefaultTimeout        = 60 * time.Second
	DefaultMaxRetries     = 4
	DefaultBatchSize      = 32
	DefaultRetryBaseDelay = 500 * time.Millisecond
	DefaultRetryMaxDelay  = 30 * time.Second
)

// Config says which endpoint and models to use. The zero value of every
// optional field means its default.
type Config struct {
	// BaseURL is the API root, for example http://127.0.0.1:11434/v1
	// (Ollama) or http://host:8000/v1 (vLLM); empty means OpenAI's. For
	// Azure it is the resource endpoint, https://<resource>.openai.azure.com.
	BaseURL string
	// APIKey is sent as a bearer token, or as the api-key header for Azure.
	// Ollama and vLLM accept any value, or none.
	APIKey string
	// Azure selects Azure OpenAI's deployment URLs: every request goes to
	// Deployment, whatever the model name.
	Azure      bool
	APIVersion string // Azure api-version; default DefaultAPIVersion
	Deployment string // Azure deployment; required with Azure

	ChatModel  string // e.g. gpt-4o-mini, llama3.1; for Azure defaults to Deployment
	EmbedModel string // e.g. text-embedding-3-small, bge-m3; for Azure defaults to Deployment
	// EmbedDimensions is the vector size the embedder must return. It is
	// sent as the request's "dimensions" only for text-embedding-3 models,
	// which can shorten their vectors. Zero means the model's own size,
	// learned from the first response.
	EmbedDimensions int

	// Timeout bounds each attempt. For an embeddings request it covers the
	// whole request; for a chat stream it covers the wait for the response
	// and then each wait for the next chunk, so that a long answer from a
	// slow local model is not cut off while it keeps arriving. Default
	// DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how often a failed attempt is repeated; 0 means
	// DefaultMaxRetries, a negative value none.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay shape the backoff: the n-th retry
	// waits a random time between half and all of RetryBaseDelay·2^(n-1),
	// at most RetryMaxDelay. A Retry-After from the server replaces that
	// wait; one longer than RetryMaxDelay ends the retries. Defaults
	// DefaultRetryBaseDelay and DefaultRetryMaxDelay.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// BatchSize is the number of texts per embeddings request; default
	// DefaultBatchSize.
	BatchSize int

	// HTTPClient is used for all requests, with its transport wrapped to
	// read Retry-After; it is not modified. Default: a new http.Client.
	HTTPClient *http.Client
	// Logger receives ids, status codes, counts and durations, never text.
	// Default: discard.
	Logger *slog.Logger
}

// ErrUnavailable means the endpoint could not answer: it is down or
// unreachable, timed out, rate-limited or failed with a 5xx, after
// retries. Trying again later may help.
var ErrUnavailable = errors.New("language model unavailable")

// ErrRejected means the endpoint refused the request with a 4xx status:
// a wrong API key, an unknown model or deployment, a request too large.
// Trying again will not help; the configuration or the request must change.
var ErrRejected = errors.New("language model rejected the request")

// ErrMalformed means the endpoint answered, but not as the API describes:
// a body that is neither JSON nor server-sent events (often a BaseURL
// pointing at a web page), a stream without data, or vectors of the wrong
// number or size.
var ErrMalformed = errors.New("language model answered in an unexpected form")

// Error describes a failed call. It matches ErrUnavailable, ErrRejected or
// ErrMalformed with errors.Is, and the underlying error (for example a
// *goopenai.APIError or *goopenai.RequestError) with errors.As. Its message
// never includes the underlying error's text when that came from the
// server, because servers may quote the request in it.
type Error struct {
	Op        string // "chat" or "embed"
	Model     string
	Status    int    // HTTP status; 0 when none was received
	Code      string // the API's error code or type, when it sent one
	RequestID string // the server's x-request-id, when it sent one
	Attempts  int
	Kind      error // ErrUnavailable, ErrRejected or ErrMalformed
	Err       error // the last underlying error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "openai %s %s: %v", e.Op, e.Model, e.Kind)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(safeText(e.Err))
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request %s", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ", after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the kind and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// safeText is an error's text if it cannot quote the request: errors from
// the server (which may echo the prompt) give only their code or type.
func safeText(err error) string {
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) {
		if c := apiCode(apiErr); c != "" {
			return "error event from server (" + c + ")"
		}
		return "error event from server"
	}
	var reqErr *goopenai.RequestError
	if errors.As(err, &reqErr) {
		return "unexpected response from server"
	}
	return err.Error()
}

// apiCode is an APIError's code, or its type when it has no code.
func apiCode(e *goopenai.APIError) string {
	switch c := e.Code.(type) {
	case string:
		if c != "" {
			return c
		}
	case int:
		if c != 0 { // "code": null decodes as 0
			return fmt.Sprint(c)
		}
	}
	return e.Type
}

// settings are a Config with its defaults filled in.
type settings struct {
	Config
	client *goopenai.Client
	log    *slog.Logger
}

func newSettings(cfg Config, model string, what string) (*settings, error) {
	if cfg.Azure {
		if cfg.BaseURL == "" {
			return nil, errors.New("openai: Azure needs BaseURL, the resource endpoint")
		}
		if cfg.Deployment == "" {
			return nil, errors.New("openai: Azure needs Deployment")
		}
		if cfg.APIKey == "" {
			return nil, errors.New("openai: Azure needs APIKey")
		}
	} else if model == "" {
		return nil, fmt.Errorf("openai: set %s", what)
	}
	if cfg.BaseURL == "" && cfg.APIKey == "" {
		return nil, errors.New("openai: set APIKey for OpenAI, or BaseURL for a local server")
	}
	if cfg.EmbedDimensions < 0 || cfg.BatchSize < 0 || cfg.Timeout < 0 || cfg.RetryBaseDelay < 0 || cfg.RetryMaxDelay < 0 {
		return nil, errors.New("openai: EmbedDimensions, BatchSize, Timeout and retry delays must not be negative")
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if cfg.RetryMaxDelay == 0 {
		cfg.RetryMaxDelay = DefaultRetryMaxDelay
	}
	if cfg.RetryMaxDelay < cfg.RetryBaseDelay {
		cfg.RetryMaxDelay = cfg.RetryBaseDelay
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	var cc goopenai.ClientConfig
	if cfg.Azure {
		cc = goopenai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
		cc.APIVersion = cfg.APIVersion
		dep := cfg.Deployment
		cc.AzureModelMapperFunc = func(string) string { return dep }
	} else {
		cc = goopenai.DefaultConfig(cfg.APIKey)
		if cfg.BaseURL != "" {
			cc.BaseURL = cfg.BaseURL
		}
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		hc = &c
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &observer{base: base}
	cc.HTTPClient = hc
	return &settings{Config: cfg, client: goopenai.NewClientWithConfig(cc), log: log}, nil
}
