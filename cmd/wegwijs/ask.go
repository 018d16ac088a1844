package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// newBot wires the one path from question to reply that the command line,
// the evaluation and (later) the chat adapters share.
func (e *env) newBot(ctx context.Context, s *postgres.Store) (*bot.Bot, error) {
	guard, err := privacy.New()
	if err != nil {
		return nil, err
	}
	emb, err := e.embedder()
	if err != nil {
		return nil, err
	}
	r := &retrieval.Retriever{Store: s, Embedder: emb, Glossary: s}
	b := &bot.Bot{Guard: guard, Search: r, Catalogue: s, Stem: nl.Stem, Log: e.log}
	model, err := e.chatModel()
	if err != nil {
		return nil, err
	}
	if model != nil {
		b.Model = model
	}
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("bot settings: %w", err)
	}
	return b, nil
}

// openBot opens the store and builds the bot on it.
func (e *env) openBot(ctx context.Context) (*postgres.Store, *bot.Bot, error) {
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	b, err := e.newBot(ctx, s)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, b, nil
}

const askUsage = `Gebruik:
  wegwijs ask "vraag"          een vraag, antwoord met citaten en bronnen
  wegwijs ask --uitleg "vraag" ook waarom: gewicht van de woorden, dekking, gevonden passages
  wegwijs ask --json "vraag"   hetzelfde als één JSON-object (zie docs/json.md)
  wegwijs ask --json < vragen.txt   één vraag per regel, één JSON-object per regel
  wegwijs chat                 een gesprek in de terminal
`

func (e *env) ask(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "JSON-uitvoer")
	explain := fs.Bool("uitleg", false, "ook uitleg: waarom dit antwoord")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%v\n\n%s", err, askUsage)
	}
	if len(rest) == 0 && !*asJSON {
		return usagef("Welke vraag wilt u stellen?\n\n%s", askUsage)
	}
	s, b, err := e.openBot(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(rest) > 0 {
		return e.answerOne(ctx, b, strings.Join(rest, " "), *asJSON, *explain)
	}
	// --json without a question: one question per line from stdin.
	sc := newLines(e.stdin)
	// Every line is answered, even after one failed: its reply says so.
	var failed error
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := e.answerOne(ctx, b, sc.Text(), true, false); err != nil {
			failed = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return failed
}

// answerOne answers one question: Markdown (with --uitleg also why) or
// one JSON object. A reply that could not be given (the database is down,
// the guard failed) is still printed in full, for the asker; the error
// then also ends the program with code 1 and its Dutch message for the
// operator on stderr.
func (e *env) answerOne(ctx context.Context, b *bot.Bot, question string, asJSON, explain bool) error {
	var tr bot.Trace
	reply, err := b.Answer(ctx, bot.Question{Text: question, Trace: &tr})
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		if jerr := enc.Encode(jsonReply(reply, &tr)); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprint(e.stdout, bot.Markdown(reply, bot.MarkdownOptions{}))
		if explain {
			if x := bot.Explain(reply, &tr); x != "" {
				fmt.Fprint(e.stdout, "\n"+x)
			}
		}
	}
	return err
}

func (e *env) chat(ctx context.Context) error {
	s, b, err := e.openBot(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(e.stdout, "Wegwijs — stel je vraag over verzuim of thuiszitters. Typ 'stop' om te stoppen,")
	fmt.Fprintln(e.stdout, "of 'uitleg' om te zien waarom je het laatste antwoord kreeg.")
	fmt.Fprintln(e.stdout, "Typ geen namen of andere gegevens van leerlingen.")
	sc := newLines(e.stdin)
	var last bot.Reply
	var lastTrace *bot.Trace
	for {
		fmt.Fprint(e.stdout, "\n> ")
		if !sc.Scan() {
			fmt.Fprintln(e.stdout)
			return sc.Err()
		}
		q := strings.TrimSpace(sc.Text())
		switch strings.ToLower(q) {
		case "stop", "exit", "quit", "doei":
			return nil
		case "":
			continue
		case "uitleg", "waarom", "waarom?":
			if x := bot.Explain(last, lastTrace); x != "" {
				fmt.Fprint(e.stdout, "\n"+x)
			} else {
				fmt.Fprintln(e.stdout, "Stel eerst een vraag; daarna kan ik uitleggen waarom je dat antwoord kreeg.")
			}
			continue
		}
		lastTrace = &bot.Trace{}
		last, _ = b.Answer(ctx, bot.Question{Text: q, Trace: lastTrace}) // the reply says what failed
		fmt.Fprint(e.stdout, "\n"+bot.Markdown(last, bot.MarkdownOptions{}))
	}
}
