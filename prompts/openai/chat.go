package openai

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/wegwijs/wegwijs/prompts"
)

// errNoData is a stream that ended before its first event: usually a body
// that is not server-sent events at all, which go-openai reads as an
// empty stream.
var errNoData = errors.New("stream ended without data")

// errTruncated is a stream that ended without a finish reason: the
// connection was closed before the answer was complete.
var errTruncated = errors.New("stream ended before the answer was complete")

// Chat is a chat model behind an OpenAI-compatible API. It is safe for
// concurrent use.
type Chat struct {
	s           *settings
	model       string
	temperature float32
}

var _ prompts.ChatModel = (*Chat)(nil)

// NewChat returns a chat model for cfg.ChatModel.
func NewChat(cfg Config) (*Chat, error) {
	model := cfg.ChatModel
	if cfg.Azure && model == "" {
		model = cfg.Deployment
	}
	s, err := newSettings(cfg, model, "ChatModel")
	if err != nil {
		return nil, err
	}
	return &Chat{s: s, model: model, temperature: temperature(model)}, nil
}

// temperature is the value that asks the model for temperature 0.
// go-openai drops a zero temperature from the request (omitempty), which
// leaves the server's default (1 at OpenAI, 0.8 in Ollama); the smallest
// positive float32 is sent instead, which servers treat as 0. Reasoning
// models (o1, o3, gpt-5, ...) take no temperature at all: for them it is
// left out.
func temperature(model string) float32 {
	t := float32(math.SmallestNonzeroFloat32)
	req := goopenai.ChatCompletionRequest{Model: model, Temperature: t}
	if goopenai.NewReasoningValidator().Validate(req) != nil {
		return 0
	}
	return t
}

// Name identifies the model: "openai:" and the model name.
func (c *Chat) Name() string { return "openai:" + c.model }

// Stream asks the model to answer msgs at temperature 0, calls onDelta
// with each piece of text as it arrives and returns the whole answer.
// A failure before the first piece is retried; once text has been passed
// to onDelta it is not, as the caller has already shown it. Errors are
// *Error values matching ErrUnavailable, ErrRejected or ErrMalformed, or
// wrap the context's error when ctx ends.
func (c *Chat) Stream(ctx context.Context, msgs []prompts.Message, onDelta func(string)) (string, error) {
	req := goopenai.ChatCompletionRequest{
		Model:         c.model,
		Messages:      make([]goopenai.ChatCompletionMessage, len(msgs)),
		Temperature:   c.temperature,
		Stream:        true,
		StreamOptions: &goopenai.StreamOptions{IncludeUsage: true},
	}
	for i, m := range msgs {
		req.Messages[i] = goopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content}
	}
	start := time.Now()
	var (
		answer strings.Builder
		st     streamStats
	)
	err := c.s.do(ctx, "chat", c.model, func(ctx context.Context, a *attempt) (bool, error) {
		answer.Reset()
		st = streamStats{attempt: a.n}
		return c.stream(ctx, a, req, &answer, &st, onDelta)
	})
	if err != nil {
		return "", err
	}
	c.s.log.Info("openai chat",
		"model", c.model, "request_id", st.requestID, "response_id", st.responseID,
		"attempts", st.attempt, "chunks", st.chunks, "finish_reason", st.finish,
		"prompt_tokens", st.usage.PromptTokens, "completion_tokens", st.usage.CompletionTokens,
		"first_delta", st.firstDelta, "duration", time.Since(start))
	return answer.String(), nil
}

type streamStats struct {
	attempt    int
	requestID  string
	responseID string
	chunks     int
	finish     goopenai.FinishReason
	usage      goopenai.Usage
	firstDelta time.Duration
}

// stream runs one attempt; it reports whether text reached onDelta.
func (c *Chat) stream(ctx context.Context, a *attempt, req goopenai.ChatCompletionRequest, answer *strings.Builder, st *streamStats, onDelta func(string)) (delivered bool, err error) {
	start := time.Now()
	s, err := c.s.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return false, err
	}
	defer s.Close()
	st.requestID = a.requestID
	for {
		a.touch()
		r, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return delivered, err
		}
		st.chunks++
		if r.ID != "" {
			st.responseID = r.ID
		}
		if r.Usage != nil {
			st.usage = *r.Usage
		}
		if len(r.Choices) == 0 { // the usage chunk has none
			continue
		}
		ch := r.Choices[0]
		if ch.FinishReason != "" {
			st.finish = ch.FinishReason
		}
		if d := ch.Delta.Content; d != "" {
			if !delivered {
				st.firstDelta = time.Since(start)
			}
			delivered = true
			answer.WriteString(d)
			if onDelta != nil {
				a.timer.Stop() // time spent by the caller is not the server's
				onDelta(d)
			}
		}
	}
	switch {
	case st.chunks == 0:
		return delivered, errNoData
	case st.finish == "":
		return delivered, errTruncated
	}
	return delivered, nil
}
