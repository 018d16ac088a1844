package main

import (
	"strconv"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/prompts"
	"github.com/wegwijs/wegwijs/prompts/openai"
	"github.com/wegwijs/wegwijs/retrieval/offline"
)

// LLMConfig says which OpenAI-compatible endpoints to use. Empty model
// names mean: no language model (extractive answers) and the offline
// embedder.
type LLMConfig struct {
	BaseURL    string
	APIKey     string // secret: from the environment only
	Azure      bool
	Deployment string
	APIVersion string
	ChatModel  string
	Timeout    time.Duration

	EmbedBaseURL    string
	EmbedAPIKey     string
	EmbedModel      string
	EmbedDimensions int
}

func loadLLMConfig(getenv func(string) string) (LLMConfig, error) {
	c := LLMConfig{
		BaseURL:      first(getenv("WEGWIJS_LLM_BASE_URL"), getenv("OPENAI_BASE_URL")),
		APIKey:       first(getenv("WEGWIJS_LLM_API_KEY"), getenv("OPENAI_API_KEY")),
		Azure:        getenv("WEGWIJS_LLM_AZURE") == "1" || getenv("WEGWIJS_LLM_AZURE") == "true",
		Deployment:   getenv("WEGWIJS_LLM_AZURE_DEPLOYMENT"),
		APIVersion:   getenv("WEGWIJS_LLM_AZURE_API_VERSION"),
		ChatModel:    getenv("WEGWIJS_LLM_MODEL"),
		EmbedBaseURL: getenv("WEGWIJS_EMBED_BASE_URL"),
		EmbedAPIKey:  getenv("WEGWIJS_EMBED_API_KEY"),
		EmbedModel:   getenv("WEGWIJS_EMBED_MODEL"),
	}
	if c.Azure && c.ChatModel == "" {
		c.ChatModel = c.Deployment
	}
	if v := getenv("WEGWIJS_LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, usagef("WEGWIJS_LLM_TIMEOUT moet een duur zijn, bijvoorbeeld 30s (nu %q).", v)
		}
		c.Timeout = d
	}
	if v := getenv("WEGWIJS_EMBED_DIMENSIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return c, usagef("WEGWIJS_EMBED_DIMENSIONS moet een positief geheel getal zijn (nu %q).", v)
		}
		c.EmbedDimensions = n
	}
	return c, nil
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// chatModel returns the configured language model, or nil for extractive
// answers only.
func (e *env) chatModel() (prompts.ChatModel, error) {
	c := e.cfg.LLM
	if c.ChatModel == "" {
		return nil, nil
	}
	return openai.NewChat(openai.Config{BaseURL: c.BaseURL, APIKey: c.APIKey, Azure: c.Azure, Deployment: c.Deployment,
		APIVersion: c.APIVersion, ChatModel: c.ChatModel, Timeout: c.Timeout, Logger: e.log})
}

// embedder returns the configured embedder: an OpenAI-compatible one when
// WEGWIJS_EMBED_MODEL is set, else the offline one.
func (e *env) embedder() (knowledge.Embedder, error) {
	c := e.cfg.LLM
	if c.EmbedModel == "" {
		return offline.New(0), nil
	}
	return openai.NewEmbedder(openai.Config{BaseURL: first(c.EmbedBaseURL, c.BaseURL), APIKey: first(c.EmbedAPIKey, c.APIKey),
		Azure: c.Azure, Deployment: c.Deployment, APIVersion: c.APIVersion, EmbedModel: c.EmbedModel,
		EmbedDimensions: c.EmbedDimensions, Logger: e.log})
}
