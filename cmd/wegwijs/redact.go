package main

import (
	"context"
	"encoding/json"

	"github.com/wegwijs/wegwijs/bot/privacy"
)

// redactLine is one line of `wegwijs redact` output.
type redactLine struct {
	Redacted string         `json:"redacted"`
	Found    map[string]int `json:"found"`
	Special  []string       `json:"special,omitempty"`
}

// redact reads text lines from stdin and prints, per line, what the privacy
// guard would remove. Nothing is stored or logged.
func (e *env) redact(ctx context.Context) error {
	g, err := privacy.New()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	sc := newLines(e.stdin)
	for sc.Scan() {
		r, err := g.Redact(ctx, sc.Text())
		if err != nil {
			return err
		}
		out := redactLine{Redacted: r.Redacted, Found: map[string]int{}}
		for c, n := range r.Found {
			out.Found[string(c)] = n
		}
		for _, c := range r.Special {
			out.Special = append(out.Special, string(c))
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return sc.Err()
}
