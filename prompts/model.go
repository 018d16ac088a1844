// Package prompts composes answers from retrieved passages: the extractive
// answer that needs no model, the Dutch prompt templates for a language
// model, and the checks that every claim of a model's answer is cited and
// every quote really is in the passage it cites. It treats passages and
// questions as data: an instruction inside them changes nothing.
package prompts

import "context"

// Message is one chat message for a language model.
type Message struct {
	Role    string // "system", "user" or "assistant"
	Content string
}

// ChatModel is a language model behind an OpenAI-compatible chat API.
// Stream calls onDelta with each piece of text as it arrives and returns
// the whole answer. Name identifies the model in reports and logs.
type ChatModel interface {
	Name() string
	Stream(ctx context.Context, msgs []Message, onDelta func(string)) (string, error)
}
