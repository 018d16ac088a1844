package main

import (
	"github.com/wegwijs/wegwijs/prompts"
)

// chatModel returns the configured language model, or nil for extractive
// answers only.
func (e *env) chatModel() (prompts.ChatModel, error) {
	return nil, nil
}
