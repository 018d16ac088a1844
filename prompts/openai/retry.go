package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	goopenai "github.com/sashabaranov/go-openai"
)

// attempt is one try of a request. The observer transport fills in what
// go-openai's errors leave out: the status, Retry-After and request id.
type attempt struct {
	n          int
	sent       bool // the request reached the transport
	status     int
	retryAfter time.Duration
	requestID  string

	timeout time.Duration
	timer   *time.Timer
}

// touch restarts the attempt's timeout: a stream calls it for every chunk.
func (a *attempt) touch() { a.timer.Reset(a.timeout) }

type attemptKey struct{}

// errTimeout is the cause of an attempt's context when its timeout fired.
var errTimeout = errors.New("request timed out")

// observer is an http.RoundTripper that records each response's status and
// headers in the attempt carried by the request's context.
type observer struct {
	base http.RoundTripper
}

func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	a, _ := req.Context().Value(attemptKey{}).(*attempt)
	if a != nil {
		a.sent = true
	}
	resp, err := o.base.RoundTrip(req)
	if err == nil && resp.StatusCode >= 400 {
		// go-openai reads the body of a failed stream request but never
		// closes it: hand it a copy and close the original here.
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		if rerr != nil {
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	if a != nil && resp != nil {
		a.status = resp.StatusCode
		a.retryAfter = retryAfter(resp.Header, time.Now())
		a.requestID = resp.Header.Get("x-request-id")
		if a.requestID == "" {
			a.requestID = resp.Header.Get("apim-request-id") // Azure
		}
	}
	return resp, err
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// retryAfter reads how long the server asks the client to wait: OpenAI's
// retry-after-ms, or Retry-After in seconds or as an HTTP date. Zero means
// no (usable) answer.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s > 0 {
			return time.Duration(s * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// do runs fn until it succeeds, fails in a way retrying cannot help, has
// delivered part of its result (a stream that has shown text), or has used
// up its retries. fn reports whether it delivered anything.
func (s *settings) do(ctx context.Context, op, model string, fn func(ctx context.Context, a *attempt) (delivered bool, err error)) error {
	for n := 1; ; n++ {
		a := &attempt{n: n, timeout: s.Timeout}
		actx, cancel := context.WithCancelCause(context.WithValue(ctx, attemptKey{}, a))
		a.timer = time.AfterFunc(s.Timeout, func() { cancel(errTimeout) })
		start := time.Now()
		delivered, err := fn(actx, a)
		timedOut := context.Cause(actx) == errTimeout
		a.timer.Stop()
		cancel(nil)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("openai %s %s: %w", op, model, ctx.Err())
		}
		e, retry := classify(op, model, err, a, timedOut)
		log := s.log.With("op", op, "model", model, "attempt", n, "status", e.Status,
			"code", e.Code, "request_id", e.RequestID, "duration", time.Since(start))
		if !retry || delivered || n > s.MaxRetries {
			// The caller gets the error and logs it; this only adds detail.
			log.Debug("openai request failed", "kind", e.Kind.Error(), "retryable", retry, "delivered", delivered)
			return e
		}
		wait := s.backoff(n)
		if a.retryAfter > 0 {
			if a.retryAfter > s.RetryMaxDelay {
				log.Debug("openai request failed; Retry-After too long", "retry_after", a.retryAfter)
				return e
			}
			wait = a.retryAfter
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			log.Debug("openai request failed; no time left to retry", "wait", wait)
			return e
		}
		log.Info("openai request failed; retrying", "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("openai %s %s: %w", op, model, ctx.Err())
		}
	}
}

// backoff is the wait before retry n (1-based): "equal jitter", a random
// time between half and all of base·2^(n-1), capped at RetryMaxDelay. The
// lower half keeps a retry from following a failure at once.
func (s *settings) backoff(n int) time.Duration {
	d := s.RetryBaseDelay
	for i := 1; i < n && d < s.RetryMaxDelay; i++ {
		d *= 2
	}
	d = min(d, s.RetryMaxDelay)
	return d/2 + rand.N(d/2+1)
}

// classify turns err into an *Error and says whether retrying may help.
func classify(op, model string, err error, a *attempt, timedOut bool) (*Error, bool) {
	e := &Error{Op: op, Model: model, Attempts: a.n, Err: err, Status: a.status, RequestID: a.requestID}
	if timedOut {
		e.Kind, e.Status, e.Err = ErrUnavailable, 0, errTimeout
		return e, true
	}
	var (
		apiErr *goopenai.APIError
		reqErr *goopenai.RequestError
	)
	switch {
	case errors.As(err, &apiErr):
		e.Code = apiCode(apiErr)
		if apiErr.HTTPStatusCode != 0 {
			e.Status = apiErr.HTTPStatusCode
		} else {
			// An error event inside a 200 stream: the status is the
			// stream's, not the error's. A server error or a code that
			// is a retryable status is worth another try.
			e.Status = 0
			e.Kind = ErrUnavailable
			code, _ := apiErr.Code.(int)
			return e, apiErr.Type == "server_error" || retryableStatus(code)
		}
		if e.Status == http.StatusTooManyRequests && e.Code == "insufficient_quota" {
			e.Kind = ErrRejected // out of credit: waiting does not help
			return e, false
		}
	case errors.As(err, &reqErr):
		e.Status = reqErr.HTTPStatusCode
	default:
		e.Status = 0
		var retry bool
		e.Kind, retry = transportKind(err, a)
		return e, retry
	}
	switch {
	case retryableStatus(e.Status):
		e.Kind = ErrUnavailable
		return e, true
	case e.Status >= 400:
		e.Kind = ErrRejected
		return e, false
	default:
		e.Kind = ErrMalformed
		return e, false
	}
}

// retryableStatus says whether a response with status may succeed when
// sent again: a timeout, a rate limit, a server or gateway error.
func retryableStatus(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// transportKind sorts errors that carry no status. A request that never
// reached the transport was refused by go-openai itself (a parameter the
// model does not take): ErrRejected. A failure to connect or to read the
// body is ErrUnavailable and worth a retry; a body that does not decode is
// ErrMalformed.
func transportKind(err error, a *attempt) (kind error, retry bool) {
	var (
		urlErr    *url.Error
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &urlErr):
		return ErrUnavailable, true
	case !a.sent:
		return ErrRejected, false
	case errors.As(err, &syntaxErr), errors.As(err, &typeErr),
		errors.Is(err, goopenai.ErrTooManyEmptyStreamMessages), errors.Is(err, errNoData):
		return ErrMalformed, false
	default: // a connection lost while reading, a stream cut short
		return ErrUnavailable, true
	}
}
