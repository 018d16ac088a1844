package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/docx"
	"github.com/wegwijs/wegwijs/knowledge/html"
	"github.com/wegwijs/wegwijs/knowledge/pdf"
	"github.com/wegwijs/wegwijs/knowledge/text"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

const kbUsage = `Gebruik:
  wegwijs kb add BESTAND|URL [...] [--title T] [--publisher P] [--region R] [--url U] [--date JJJJ-MM-DD]
  wegwijs kb sync MAP
  wegwijs kb list
  wegwijs kb show DOCUMENT
  wegwijs kb remove DOCUMENT [--wissen]   weghalen; terugzetten kan (met --wissen voorgoed)
  wegwijs kb restore DOCUMENT             de vorige versie terugzetten
  wegwijs kb log                          wie wat veranderde, ook vanuit de chat
  wegwijs kb reembed      alle passages opnieuw omzetten na het wisselen van embeddingmodel

Een DOCUMENT is de naam uit 'wegwijs kb list' (kolom Naam), bijvoorbeeld praktijkkaart-thuiszitters.
Bestandstypen: PDF, Word (.docx), HTML, Markdown (.md) en platte tekst (.txt).
`

func (e *env) kb(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, kbUsage)
		return nil
	}
	switch args[0] {
	case "add":
		return e.kbAdd(ctx, args[1:])
	case "sync":
		return e.kbSync(ctx, args[1:])
	case "list", "ls":
		return e.kbList(ctx)
	case "show":
		return e.kbShow(ctx, args[1:])
	case "remove", "rm":
		return e.kbRemove(ctx, args[1:])
	case "restore":
		return e.kbRestore(ctx, args[1:])
	case "log":
		return e.kbLog(ctx)
	case "reembed":
		return e.kbReembed(ctx)
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, kbUsage)
		return nil
	}
	return usagef("Onbekende opdracht 'kb %s'.\n\n%s", args[0], kbUsage)
}

// ingester wires the store, the configured embedder, every extractor and
// the privacy guard that refuses documents holding pupil data.
func (e *env) ingester(s *postgres.Store) (*knowledge.Ingester, error) {
	emb, err := e.embedder()
	if err != nil {
		return nil, err
	}
	guard, err := privacy.New()
	if err != nil {
		return nil, err
	}
	return &knowledge.Ingester{
		Store:      s,
		Embedder:   emb,
		Screen:     guard,
		Extractors: extractors(e.cfg),
		MaxBytes:   e.cfg.MaxFileMB << 20,
		HTTP:       knowledge.SafeHTTPClient(60*time.Second, e.cfg.Fetch),
		Log:        e.log,
		Notice:     func(msg string) { fmt.Fprintln(e.stderr, msg) },
	}, nil
}

// openIngester opens the store and wires an ingester to it.
func (e *env) openIngester(ctx context.Context) (*postgres.Store, *knowledge.Ingester, error) {
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	in, err := e.ingester(s)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, in, nil
}

func extractors(cfg Config) map[string]knowledge.Extractor {
	tx := text.New()
	p := pdf.New()
	p.Timeout, p.MaxMemory = cfg.ToolTimeout, cfg.ToolMemoryMB<<20
	return map[string]knowledge.Extractor{
		"txt":  tx,
		"md":   tx,
		"pdf":  p,
		"docx": docx.New(),
		"html": html.New(),
	}
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("kb add file.pdf --region Twente").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// flagError says in Dutch what the flag package found wrong; its own
// messages are English ("flag provided but not defined: -x").
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return usagef("Zo gebruik je deze opdracht:")
	}
	msg := err.Error()
	for _, m := range []struct{ prefix, dutch string }{
		{"flag provided but not defined: ", "Onbekende optie %s."},
		{"flag needs an argument: ", "De optie %s heeft een waarde nodig."},
	} {
		if rest, ok := strings.CutPrefix(msg, m.prefix); ok {
			return usagef(m.dutch, rest)
		}
	}
	if strings.HasPrefix(msg, "invalid ") {
		if i := strings.LastIndex(msg, " -"); i >= 0 {
			name, _, _ := strings.Cut(msg[i+1:], ":")
			return usagef("De waarde bij %s klopt niet.", name)
		}
	}
	return err
}

func (e *env) kbAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kb add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var meta knowledge.Meta
	var date string
	fs.StringVar(&meta.Title, "title", "", "titel")
	fs.StringVar(&meta.Publisher, "publisher", "", "uitgever")
	fs.StringVar(&meta.Region, "region", "", "regio (bijvoorbeeld Twente, Haaglanden, landelijk)")
	fs.StringVar(&meta.URL, "url", "", "adres van het origineel")
	fs.StringVar(&date, "date", "", "publicatiedatum JJJJ-MM-DD")
	targets, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%v\n\n%s", err, kbUsage)
	}
	if len(targets) == 0 {
		return usagef("Welk bestand of welke URL wilt u toevoegen?\n\n%s", kbUsage)
	}
	if date != "" {
		if meta.Date, err = knowledge.ParseDate(date); err != nil {
			return usagef("De datum %q begrijp ik niet. Gebruik JJJJ-MM-DD, bijvoorbeeld 2024-09-01.", date)
		}
	}
	s, in, err := e.openIngester(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if p := newProgress(e.stderr); p != nil {
		in.Progress = p // the passages of a long document
	}
	failed := 0
	for _, t := range targets {
		var res knowledge.Result
		if strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") {
			res, err = in.AddURL(ctx, t, meta)
		} else {
			res, err = in.AddFile(ctx, t, meta)
		}
		e.audit(ctx, s, "add", res, err)
		if err != nil {
			if _, bad := knowledge.AsInputError(err); !bad {
				return err
			}
			failed++
			fmt.Fprintln(e.stderr, userMessage(err))
			continue
		}
		fmt.Fprintln(e.stdout, res.Dutch())
	}
	if failed > 0 {
		return silentError{fmt.Errorf("%d of %d inputs failed", failed, len(targets))}
	}
	return nil
}

// silentError ends the program with a failure code after the Dutch
// messages were already printed.
type silentError struct{ error }

func (e *env) kbSync(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usagef("Welke map wilt u gelijk trekken? Gebruik: wegwijs kb sync MAP")
	}
	if fi, err := os.Stat(args[0]); err != nil || !fi.IsDir() {
		return usagef("De map %q bestaat niet of is geen map.", args[0])
	}
	s, in, err := e.openIngester(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if p := newProgress(e.stderr); p != nil {
		in.Progress = p
	}
	start := time.Now()
	rep, err := in.Sync(ctx, args[0])
	for _, r := range rep.Results {
		switch r.Action {
		case knowledge.Added, knowledge.Updated, knowledge.Removed, knowledge.Skipped:
			fmt.Fprintln(e.stdout, r.Dutch())
		}
		if r.Action != knowledge.Unchanged && r.Action != knowledge.Skipped {
			e.audit(ctx, s, "sync", r, r.Err)
		}
	}
	if err != nil {
		// What was done before it stays done; say so, then why it stopped.
		if n := rep.Count(knowledge.Added) + rep.Count(knowledge.Updated) + rep.Count(knowledge.Removed); n > 0 {
			fmt.Fprintf(e.stdout, "\nDe sync is afgebroken. Wat hierboven staat, is wel gedaan. Start 'wegwijs kb sync %s' opnieuw om de rest te doen.\n", args[0])
		}
		return err
	}
	fmt.Fprintln(e.stdout, "\n"+rep.Summary(time.Since(start)))
	if f := rep.Failures(); len(f) > 0 {
		fmt.Fprintln(e.stdout, "\nNiet gelukt:")
		for _, r := range f {
			fmt.Fprintln(e.stdout, "  - "+strings.TrimPrefix(userMessage(r.Err), "Fout: "))
		}
		return silentError{fmt.Errorf("%d documents failed", len(f))}
	}
	return nil
}

func (e *env) kbList(ctx context.Context) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	recs, err := s.List(ctx)
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		fmt.Fprintln(e.stdout, "De kennisbank is leeg. Voeg documenten toe met 'wegwijs kb sync MAP' of 'wegwijs kb add BESTAND'.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Naam\tTitel\tRegio\tVersie\tPagina's\tPassages\tBijgewerkt")
	for _, r := range recs {
		pages := "-"
		if r.Pages > 0 {
			pages = fmt.Sprint(r.Pages)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\n", r.Slug, shorten(r.Meta.Title, 50), orDash(r.Meta.Region),
			r.Version, pages, r.Chunks, r.Updated.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func (e *env) kbShow(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usagef("Welk document? Gebruik: wegwijs kb show DOCUMENT (de naam uit 'wegwijs kb list')")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rec, err := s.Document(ctx, args[0])
	if err != nil {
		return err
	}
	chunks, err := s.Chunks(ctx, rec.Slug)
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n", rec.Meta.Title)
	fmt.Fprintf(w, "Naam: %s · Versie %d · Regio: %s · Uitgever: %s\n", rec.Slug, rec.Version, orDash(rec.Meta.Region), orDash(rec.Meta.Publisher))
	if rec.Meta.URL != "" {
		fmt.Fprintf(w, "Link: %s\n", rec.Meta.URL)
	}
	fmt.Fprintf(w, "Bron: %s · %s", rec.Source, strings.ToUpper(rec.Format))
	if rec.Pages > 0 {
		fmt.Fprintf(w, " · %d pagina's", rec.Pages)
	}
	fmt.Fprintf(w, " · %d passages\n", len(chunks))
	for _, c := range chunks {
		fmt.Fprintf(w, "\n[%d] %s", c.Ordinal+1, orDash(strings.Join(c.Heading, " > ")))
		if c.PageFrom > 0 {
			if c.PageTo > c.PageFrom {
				fmt.Fprintf(w, " · pagina %d-%d", c.PageFrom, c.PageTo)
			} else {
				fmt.Fprintf(w, " · pagina %d", c.PageFrom)
			}
		}
		fmt.Fprintln(w)
		for _, line := range strings.Split(c.Text, "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
	return nil
}

func (e *env) kbRemove(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("kb remove", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wipe := fs.Bool("wissen", false, "voorgoed, zonder terugzetten")
	slugs, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("%v\n\n%s", err, kbUsage)
	}
	if len(slugs) == 0 {
		return usagef("Welk document wilt u weghalen? Gebruik: wegwijs kb remove DOCUMENT")
	}
	s, in, err := e.openIngester(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, slug := range slugs {
		action := "remove"
		if *wipe {
			action, err = "purge", in.Purge(ctx, slug)
		} else {
			err = in.Remove(ctx, slug)
		}
		e.audit(ctx, s, action, knowledge.Result{Slug: slug}, err)
		if err != nil {
			if errors.Is(err, knowledge.ErrNotFound) {
				return usagef("%q staat niet in de kennisbank. Bekijk de namen met 'wegwijs kb list'.", slug)
			}
			return err
		}
		if *wipe {
			fmt.Fprintf(e.stdout, "Voorgoed gewist: %s. Ook de bewaarde vorige versie is weg; alleen de geschiedenis (versienummers en tijden) blijft.\n", slug)
		} else {
			fmt.Fprintf(e.stdout, "Verwijderd: %s. Wegwijs gebruikt dit document niet meer in antwoorden. Terugzetten kan met 'wegwijs kb restore %s'.\n", slug, slug)
		}
	}
	return nil
}

func (e *env) kbRestore(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usagef("Welk document wilt u terugzetten? Gebruik: wegwijs kb restore DOCUMENT")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	rec, err := s.Restore(ctx, args[0])
	e.audit(ctx, s, "restore", knowledge.Result{Slug: args[0], Version: rec.Version}, err)
	if errors.Is(err, knowledge.ErrNotFound) {
		return usagef("Van %q is geen vorige versie bewaard die ik kan terugzetten.", args[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Teruggezet: %s, versie %d. Wegwijs antwoordt weer met deze versie.\n", rec.Slug, rec.Version)
	return nil
}

// kbLog prints the audit log, newest first.
func (e *env) kbLog(ctx context.Context) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	es, err := s.AuditLog(ctx, 100)
	if err != nil {
		return err
	}
	if len(es) == 0 {
		fmt.Fprintln(e.stdout, "Het logboek is nog leeg.")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Wanneer\tWaar\tWie\tWat\tDocument\tVersie\tUitkomst")
	for _, a := range es {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", a.At.Local().Format("2006-01-02 15:04"), a.Platform, orDash(a.Actor),
			curate.ActionDutch(a.Action), orDash(a.Document), a.Version, curate.OutcomeDutch(a.Outcome))
	}
	return tw.Flush()
}

// audit records a change made on the command line: the OS user, never a
// file name (it could name a pupil) beyond the document's key.
func (e *env) audit(ctx context.Context, s *postgres.Store, action string, res knowledge.Result, err error) {
	outcome := curate.OutcomeCode(err)
	if outcome == "ok" && res.Action == knowledge.Unchanged {
		return
	}
	doc := privacy.MaskIdentifiers(res.Slug)
	if res.Action == knowledge.Removed && action == "sync" {
		action = "remove"
	}
	// an interrupted run is recorded too; a database that is gone is the
	// user's message already, its detail is for the log at info
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if aerr := s.Audit(ctx, postgres.AuditEntry{Platform: "cli", Actor: e.getenv("USER"), Action: action, Document: doc, Version: res.Version, Outcome: outcome}); aerr != nil {
		e.log.Info("audit", "err", aerr)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (e *env) kbReembed(ctx context.Context) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	emb, err := e.embedder()
	if err != nil {
		return err
	}
	var p knowledge.Progress
	if bar := newProgress(e.stderr); bar != nil {
		p = bar
	}
	start := time.Now()
	n, err := s.Reembed(ctx, emb, 0, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Klaar: %d passages opnieuw omgezet met %s in %.1f s.\n", n, emb.Name(), time.Since(start).Seconds())
	return nil
}
