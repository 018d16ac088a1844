package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/wegwijs/wegwijs/bot/privacy"
)

// env is what every subcommand gets: configuration and the standard streams.
type env struct {
	cfg    Config
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

const usage = `Wegwijs: antwoorden over verzuim en thuiszitters, met bronnen.

Gebruik:
  wegwijs ask "vraag"                een vraag stellen; antwoord met citaten en bronnen (--json voor scripts)
  wegwijs chat                       een gesprek in de terminal
  wegwijs serve                      de chatbot in Mattermost (zie docs/installatie.md)
  wegwijs kb add BESTAND|URL [...]   een document toevoegen of bijwerken
  wegwijs kb sync MAP                een map gelijk trekken met de kennisbank
  wegwijs kb list                    alle documenten in de kennisbank
  wegwijs kb show DOCUMENT           de passages van een document
  wegwijs kb remove DOCUMENT         een document weghalen
  wegwijs kb reembed                 alle passages opnieuw omzetten met het ingestelde embeddingmodel
  wegwijs db status|start|stop|migrate   de database
  wegwijs eval run --set VRAGEN.yaml [--report MAP]   antwoordkwaliteit meten (zie docs/evaluatie.md)
  wegwijs eval compare OUD.json NIEUW.json            twee metingen vergelijken
  wegwijs redact < tekst.txt         laat per regel zien wat de privacycontrole weghaalt (slaat niets op)

Instellingen (omgevingsvariabelen):
  DATABASE_URL         PostgreSQL met pgvector; leeg = een eigen database die wegwijs zelf start
  WEGWIJS_DB_DIR       map van die eigen database
  WEGWIJS_MAX_FILE_MB  grootste bestand dat u kunt toevoegen (standaard 50)
  WEGWIJS_TOOL_TIMEOUT, WEGWIJS_TOOL_MEMORY_MB
                       hoe lang en met hoeveel geheugen het lezen van één PDF mag (standaard 2m, 1024)
  WEGWIJS_LOG_LEVEL    debug, info, warn (standaard) of error
  WEGWIJS_LLM_BASE_URL, WEGWIJS_LLM_MODEL, WEGWIJS_LLM_API_KEY
                       een taalmodel via een OpenAI-compatibele API (OpenAI, Azure, Ollama, vLLM);
                       zonder model antwoordt wegwijs met letterlijke citaten
  WEGWIJS_EMBED_MODEL  een embeddingmodel via dezelfde API; zonder: het ingebouwde offline model
`

// usageError is a mistake in the command line; its text is Dutch.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	e := &env{cfg: cfg, getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(stderr, cfg)}
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	err = e.command(ctx, args)
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		// Interrupted (Ctrl-C, SIGTERM): what failed after that failed
		// because of it, such as a connection closed in the middle of a
		// query, which would otherwise read as a database gone away.
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	if err != nil {
		// The user reads the Dutch message (main); the detail is logged.
		e.log.Info("command failed", "command", args[0], "err", err)
	}
	return err
}

func (e *env) command(ctx context.Context, args []string) error {
	switch args[0] {
	case "kb":
		return e.kb(ctx, args[1:])
	case "db":
		return e.db(ctx, args[1:])
	case "ask", "vraag":
		return e.ask(ctx, args[1:])
	case "chat":
		return e.chat(ctx)
	case "redact":
		return e.redact(ctx)
	case "eval":
		return e.evalCmd(ctx, args[1:])
	case "serve":
		return e.serve(ctx, args[1:])
	case "help", "-h", "--help", "hulp":
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	return usagef("Onbekende opdracht %q. Typ 'wegwijs help' voor de mogelijkheden.", args[0])
}

func newLogger(w io.Writer, cfg Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: maskIdentifiers}
	if strings.EqualFold(cfg.LogFormat, "text") {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// maskIdentifiers is the logger's last line of defence: logs carry ids and
// counts, never text, but an id can be made of text (a document's slug is
// its file name), so a valid BSN or onderwijsnummer in any logged string or
// error is masked.
func maskIdentifiers(_ []string, a slog.Attr) slog.Attr {
	var s string
	switch a.Value.Kind() {
	case slog.KindString:
		s = a.Value.String()
	case slog.KindAny:
		err, ok := a.Value.Any().(error)
		if !ok {
			return a
		}
		s = err.Error()
	default:
		return a
	}
	if m := privacy.MaskIdentifiers(s); m != s {
		a.Value = slog.StringValue(m)
	}
	return a
}

func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
