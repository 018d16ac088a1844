package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/pdf"
)

// Config is read once, from the environment.
type Config struct {
	DatabaseURL string // empty: the private database
	DBDir       string // where the private database lives
	MaxFileMB   int64
	// ToolTimeout and ToolMemoryMB bound every run of an outside program
	// that reads input (pdftotext, pdfinfo).
	ToolTimeout  time.Duration
	ToolMemoryMB int64
	LogLevel     string
	LogFormat    string // json (default) or text
	LLM          LLMConfig
	// Fetch says which addresses inside the own network documents may be
	// fetched from (WEGWIJS_FETCH_ALLOW); none by default.
	Fetch knowledge.FetchPolicy
}

func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:  getenv("DATABASE_URL"),
		DBDir:        getenv("WEGWIJS_DB_DIR"),
		MaxFileMB:    50,
		ToolTimeout:  pdf.DefaultTimeout,
		ToolMemoryMB: pdf.DefaultMaxMemory >> 20,
		LogLevel:     getenv("WEGWIJS_LOG_LEVEL"),
		LogFormat:    getenv("WEGWIJS_LOG_FORMAT"),
	}
	if v := getenv("WEGWIJS_MAX_FILE_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, usagef("WEGWIJS_MAX_FILE_MB moet een positief geheel getal zijn (nu %q).", v)
		}
		c.MaxFileMB = n
	}
	if v := getenv("WEGWIJS_FETCH_ALLOW"); v != "" {
		p, err := knowledge.ParseFetchAllow(v)
		if err != nil {
			return c, usagef("WEGWIJS_FETCH_ALLOW moet netwerken of adressen zijn, met komma's, bijvoorbeeld 10.1.0.0/16,192.168.5.7 (nu %q).", v)
		}
		c.Fetch = p
	}
	if v := getenv("WEGWIJS_TOOL_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, usagef("WEGWIJS_TOOL_TIMEOUT moet een duur zijn, bijvoorbeeld 2m of 90s (nu %q).", v)
		}
		c.ToolTimeout = d
	}
	if v := getenv("WEGWIJS_TOOL_MEMORY_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, usagef("WEGWIJS_TOOL_MEMORY_MB moet een positief geheel getal zijn (nu %q).", v)
		}
		c.ToolMemoryMB = n
	}
	llm, err := loadLLMConfig(getenv)
	if err != nil {
		return c, err
	}
	c.LLM = llm
	if c.LogLevel == "" {
		c.LogLevel = "warn"
	}
	switch c.LogFormat {
	case "", "json", "text":
	default:
		return c, fmt.Errorf("WEGWIJS_LOG_FORMAT must be json or text, not %q", c.LogFormat)
	}
	return c, nil
}
