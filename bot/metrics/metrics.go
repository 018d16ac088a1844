// Package metrics measures the bot for Prometheus (the official client
// library): questions, replies per outcome, abstentions per reason,
// redactions per category, feedback, latency per stage, platform
// connections and reconnects. It counts and times only: no text, no user,
// channel or thread ids ever become a label.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wegwijs/wegwijs/bot"
)

// Metrics is a bot.Observer that keeps Prometheus metrics in its own
// registry.
type Metrics struct {
	reg         *prometheus.Registry
	questions   *prometheus.CounterVec
	replies     *prometheus.CounterVec
	abstentions *prometheus.CounterVec
	failures    *prometheus.CounterVec
	redactions  *prometheus.CounterVec
	notices     *prometheus.CounterVec
	events      *prometheus.CounterVec
	feedback    *prometheus.CounterVec
	reconnects  *prometheus.CounterVec
	connected   *prometheus.GaugeVec
	stages      *prometheus.HistogramVec
}

// New registers the metrics, with the Go runtime's and the process's.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	f := func(name, help string, labels ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "wegwijs", Name: name, Help: help}, labels)
		reg.MustRegister(c)
		return c
	}
	m := &Metrics{reg: reg,
		questions:   f("questions_total", "Questions handled, per platform.", "platform"),
		replies:     f("replies_total", "Replies, per platform and outcome (answered, abstained, refused, unavailable, empty).", "platform", "outcome"),
		abstentions: f("abstentions_total", "Abstentions, per reason (nothing_found, too_little, scattered, wrong_type, only_purpose, model_declined).", "reason"),
		failures:    f("failures_total", "Questions that could not be answered, per failure (database_down, out_of_time, rate_limited, ...).", "failure"),
		redactions:  f("redactions_total", "Personal data removed from questions, per category (never the values).", "category"),
		notices:     f("notices_total", "Notices given with replies, per kind.", "kind"),
		events:      f("events_total", "Chat events, per platform and kind (duplicate, rate_limited, caught_up, ...).", "platform", "event"),
		feedback:    f("feedback_total", "Feedback on answers (up, down).", "vote"),
		reconnects:  f("reconnects_total", "Reconnections to a chat platform.", "platform"),
	}
	m.connected = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "wegwijs", Name: "platform_connected",
		Help: "1 when the connection to the chat platform is up."}, []string{"platform"})
	m.stages = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "wegwijs", Name: "stage_seconds",
		Help:    "Time per stage of a question (guard, retrieval, compose, total).",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}}, []string{"stage"})
	reg.MustRegister(m.connected, m.stages)
	return m
}

// Handler serves the metrics (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Replied counts a reply and its parts and times its stages.
func (m *Metrics) Replied(platform string, r bot.Reply, tr *bot.Trace) {
	m.questions.WithLabelValues(platform).Inc()
	m.replies.WithLabelValues(platform, r.Outcome.String()).Inc()
	if r.Outcome == bot.Abstained {
		m.abstentions.WithLabelValues(r.Reason.String()).Inc()
	}
	if r.Failure != bot.NoFailure {
		m.failures.WithLabelValues(r.Failure.String()).Inc()
	}
	for c, n := range r.Redactions() {
		m.redactions.WithLabelValues(c).Add(float64(n))
	}
	for _, n := range r.Notices {
		m.notices.WithLabelValues(n.Kind.String()).Inc()
	}
	if tr != nil {
		for stage, d := range tr.Timings {
			m.stages.WithLabelValues(stage).Observe(d.Seconds())
		}
	}
}

// Counted counts one chat event.
func (m *Metrics) Counted(platform, event string) {
	m.events.WithLabelValues(platform, event).Inc()
	switch event {
	case bot.EventReconnect:
		m.reconnects.WithLabelValues(platform).Inc()
	case bot.EventFeedbackUp:
		m.feedback.WithLabelValues("up").Inc()
	case bot.EventFeedbackDown:
		m.feedback.WithLabelValues("down").Inc()
	}
}

// Connected sets a platform's connection state.
func (m *Metrics) Connected(platform string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.connected.WithLabelValues(platform).Set(v)
}
