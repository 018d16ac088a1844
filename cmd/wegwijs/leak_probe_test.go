package main

import (
	"context"
	"testing"

	"github.com/wegwijs/wegwijs/bot/privacy"
)

func TestLeakProbe(t *testing.T) {
	g, _ := privacy.New()
	for _, q := range canaryQuestions {
		r, _ := g.Redact(context.Background(), q)
		t.Logf("%s\n   %v %v", r.Redacted, r.Found, r.Special)
	}
}
