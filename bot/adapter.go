package bot

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Connect holds a chat platform's connection until ctx ends: it calls
// connect again after every drop, waiting with backoff and jitter (1 s,
// doubling up to maxBackoff, each ±25% so replicas spread out; back to 1 s
// after a connection that had been up). connect reports whether the
// connection was up before it ended, and why it ended.
func Connect(ctx context.Context, log *slog.Logger, maxBackoff time.Duration, connect func(ctx context.Context, first bool) (wasUp bool, err error)) {
	backoff := time.Second
	first := true
	for ctx.Err() == nil {
		wasUp, err := connect(ctx, first)
		if ctx.Err() != nil {
			return
		}
		if wasUp {
			first, backoff = false, time.Second // a drop after a good while: retry soon
		}
		log.Warn("connection closed, reconnecting", "err", err, "retry_in_ms", backoff.Milliseconds())
		select {
		case <-ctx.Done():
		case <-time.After(jitter(backoff)):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

func jitter(d time.Duration) time.Duration {
	return d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
}

// Work is a chat adapter's work under way (answers, votes), so a shutdown
// takes no new work and waits for what runs.
type Work struct {
	wg       sync.WaitGroup
	stopping atomic.Bool
}

// Go runs fn unless the adapter is stopping; it reports whether it did.
func (w *Work) Go(fn func()) bool {
	if w.stopping.Load() {
		return false
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		fn()
	}()
	return true
}

// Stop takes no new work from now on.
func (w *Work) Stop() { w.stopping.Store(true) }

// Wait waits for the work under way, until ctx ends.
func (w *Work) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pages is the source's pages as Dutch text ("pagina 3", "pagina 3-4"),
// or "" when its format has none.
func (s Source) Pages() string {
	switch {
	case s.PageFrom <= 0:
		return ""
	case s.PageTo > s.PageFrom:
		return fmt.Sprintf("pagina %d-%d", s.PageFrom, s.PageTo)
	}
	return fmt.Sprintf("pagina %d", s.PageFrom)
}
