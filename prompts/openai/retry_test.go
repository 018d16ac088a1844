package openai

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{}, 0},
		{http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{http.Header{"Retry-After": {"0.5"}}, 500 * time.Millisecond},
		{http.Header{"Retry-After": {"0"}}, 0},
		{http.Header{"Retry-After": {"-3"}}, 0},
		{http.Header{"Retry-After": {"Sat, 01 Mar 2025 12:00:07 GMT"}}, 7 * time.Second},
		{http.Header{"Retry-After": {"Sat, 01 Mar 2025 11:59:00 GMT"}}, 0},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{"Retry-After-Ms": {"150"}, "Retry-After": {"1"}}, 150 * time.Millisecond},
	} {
		if got := retryAfter(tc.header, now); got != tc.want {
			t.Errorf("retryAfter(%v) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	s := &settings{Config: Config{RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: time.Second}}
	for n, limit := range map[int]time.Duration{
		1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 40: time.Second,
	} {
		for range 100 {
			if d := s.backoff(n); d < limit/2 || d > limit {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, limit/2, limit)
			}
		}
	}
	big := &settings{Config: Config{RetryBaseDelay: time.Minute, RetryMaxDelay: 10 * time.Minute}}
	if d := big.backoff(60); d < 5*time.Minute || d > 10*time.Minute {
		t.Errorf("backoff(60) = %v, want capped without overflow", d)
	}
}
