package curate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// IsCommand reports whether a /wegwijs text is for the curator rather
// than a question: bronnen, logboek or hiaten alone, or bron with one of
// its verbs ("bronnen van de leerplichtwet?" is a question).
func IsCommand(text string) bool {
	words := strings.Fields(strings.ToLower(text))
	switch {
	case len(words) == 1:
		return words[0] == "bronnen" || words[0] == "logboek" || words[0] == "hiaten"
	case len(words) >= 2 && words[0] == "bron":
		switch words[1] {
		case "toevoegen", "verwijderen", "terugzetten", "live", "annuleren", "titel", "regio":
			return true
		}
	}
	return false
}

// Command answers a /wegwijs command (IsCommand). Everyone may list the
// sources; everything else needs the Policy.
func (c *Curator) Command(ctx context.Context, a Actor, text string) Response {
	words := strings.Fields(strings.TrimSpace(text))
	if len(words) == 0 {
		return Response{Private: true, Text: helpText}
	}
	switch strings.ToLower(words[0]) {
	case "bronnen":
		return c.sources(ctx, c.Policy.Allows(a))
	case "logboek":
		if !c.Policy.Allows(a) {
			return c.refusal(ctx, a, "logboek")
		}
		return c.auditLog(ctx)
	case "hiaten":
		if !c.Policy.Allows(a) {
			return c.refusal(ctx, a, "hiaten")
		}
		return c.gaps(ctx)
	}
	// "bron <verb> …"
	if len(words) < 2 {
		return Response{Private: true, Text: helpText}
	}
	if !c.Policy.Allows(a) {
		return c.refusal(ctx, a, "bron "+strings.ToLower(words[1]))
	}
	rest := words[2:]
	switch strings.ToLower(words[1]) {
	case "toevoegen":
		if len(rest) != 1 {
			return Response{Private: true, Text: "Geef één adres: `/wegwijs bron toevoegen https://…`"}
		}
		return c.addURL(ctx, a, rest[0])
	case "verwijderen":
		if len(rest) != 1 {
			return Response{Private: true, Text: "Welk document? `/wegwijs bron verwijderen NAAM` (de namen staan bij `/wegwijs bronnen`)."}
		}
		return c.confirmRemove(ctx, rest[0])
	case "terugzetten":
		if len(rest) != 1 {
			return Response{Private: true, Text: "Welk document? `/wegwijs bron terugzetten NAAM`"}
		}
		return c.restore(ctx, a, rest[0])
	case "live", "annuleren":
		if len(rest) != 1 {
			return Response{Private: true, Text: "Welk concept? Bijvoorbeeld `/wegwijs bron " + strings.ToLower(words[1]) + " naam@2`."}
		}
		action := ActionActivate
		if strings.ToLower(words[1]) == "annuleren" {
			action = ActionCancel
		}
		return c.Click(ctx, a, action, rest[0])
	case "titel", "regio":
		if len(rest) < 2 {
			return Response{Private: true, Text: "Zo pas je een concept aan: `/wegwijs bron titel naam@2 Nieuwe titel` of `/wegwijs bron regio naam@2 Twente`."}
		}
		return c.edit(ctx, a, strings.ToLower(words[1]), rest[0], strings.Join(rest[1:], " "))
	}
	return Response{Private: true, Text: helpText}
}

const helpText = `Voor beleidsmedewerkers:
- stuur een bestand (PDF, Word, HTML, Markdown of tekst) in een privébericht aan mij om het toe te voegen of te vervangen; eerst als concept, dat nog niet antwoordt
- ` + "`/wegwijs bron toevoegen https://…`" + ` — een webpagina of PDF van internet
- ` + "`/wegwijs bronnen`" + ` — wat de kennisbank bevat
- ` + "`/wegwijs bron verwijderen NAAM`" + ` en ` + "`/wegwijs bron terugzetten NAAM`" + `
- ` + "`/wegwijs logboek`" + ` — wie wat veranderde
- ` + "`/wegwijs hiaten`" + ` — waar vragen over gingen die ik niet kon beantwoorden`

// sources lists the knowledge base; the passages and votes for those who
// keep it.
func (c *Curator) sources(ctx context.Context, keeper bool) Response {
	recs, err := c.Library.Sources(ctx)
	if err != nil {
		c.log().Warn("sources", "err", err)
		return Response{Private: true, Text: failure(err)}
	}
	if len(recs) == 0 {
		return Response{Private: true, Text: "De kennisbank is nog leeg."}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Ik ken %d documenten:\n\n| Naam | Titel | Regio | Versie | Datum | Passages |\n| --- | --- | --- | --- | --- | --- |\n", len(recs))
	for _, r := range recs {
		title := r.Meta.Title
		if r.Meta.URL != "" {
			title = "[" + title + "](" + r.Meta.URL + ")"
		}
		date := "-"
		if !r.Meta.Date.IsZero() {
			date = r.Meta.Date.Format("2-1-2006")
		} else if !r.Updated.IsZero() {
			date = "bijgewerkt " + r.Updated.Format("2-1-2006")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %d | %s | %d |\n", r.Slug, title, dash(r.Meta.Region), r.Version, date, r.Chunks)
	}
	if keeper {
		if votes, err := c.Library.Feedback(ctx); err == nil && len(votes) > 0 {
			b.WriteString("\nReacties op antwoorden die deze documenten citeren: ")
			var parts []string
			for _, v := range votes {
				parts = append(parts, fmt.Sprintf("`%s` %d 👍 %d 👎", v.Document, v.Up, v.Down))
			}
			b.WriteString(strings.Join(parts, " · ") + "\n")
		}
	}
	return Response{Private: true, Text: b.String()}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Upload takes a file a beleidsmedewerker sent: it checks who, the size
// and the type (by content, not only by name), fetches it through the
// platform, and indexes it as a draft.
func (c *Curator) Upload(ctx context.Context, a Actor, f File) Response {
	if !c.Policy.Allows(a) {
		return c.refusal(ctx, a, "upload")
	}
	limit := c.MaxBytes
	if limit <= 0 {
		limit = knowledge.DefaultMaxBytes
	}
	name := filepath.Base(f.Name)
	if f.Size > limit {
		c.audit(ctx, a, "refuse", "", 0, "too_large")
		return Response{Text: fmt.Sprintf("%s is te groot (%d MB); ik neem bestanden tot %d MB. Splits het document op, of vraag de beheerder de grens te verhogen.", name, f.Size>>20, limit>>20)}
	}
	rc, err := f.Open(ctx)
	if err != nil {
		c.log().Warn("fetch the file", "err", err)
		c.audit(ctx, a, "refuse", "", 0, "unreachable")
		return Response{Text: "Ik kon " + name + " niet ophalen bij de chatserver. Stuur het nog eens, of vraag de beheerder of ik bestanden mag lezen."}
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(c.TempDir, "wegwijs-upload-*")
	if err != nil {
		return Response{Text: failure(err)}
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(rc, limit+1))
	tmp.Close()
	if err != nil {
		c.audit(ctx, a, "refuse", "", 0, "unreachable")
		return Response{Text: "Het ophalen van " + name + " brak af. Stuur het nog eens."}
	}
	if n > limit {
		c.audit(ctx, a, "refuse", "", 0, "too_large")
		return Response{Text: fmt.Sprintf("%s is te groot; ik neem bestanden tot %d MB.", name, limit>>20)}
	}
	ext, ok := sniff(tmp.Name(), name)
	if !ok {
		c.audit(ctx, a, "refuse", "", 0, "unsupported")
		return Response{Text: name + " is geen PDF, Word (.docx), HTML, Markdown of platte tekst, ook al zegt de naam misschien iets anders. Stuur het document in een van die vormen."}
	}
	path := tmp.Name() + ext
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Response{Text: failure(err)}
	}
	defer os.Remove(path)
	return c.draft(ctx, a, name, path, "")
}

// sniff tells a file's type by its first bytes, with its name only for
// text: a PDF, a DOCX (a zip with word/document.xml), HTML, or text.
func sniff(path, name string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	lower := bytes.ToLower(bytes.TrimLeft(head, "\ufeff \t\r\n"))
	byName := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return ".pdf", true
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if byName == ".docx" || bytes.Contains(head, []byte("word/")) || bytes.Contains(head, []byte("[Content_Types].xml")) {
			return ".docx", true // the DOCX reader checks what is inside
		}
		return "", false
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) || byName == ".html" || byName == ".htm" && bytes.HasPrefix(lower, []byte("<")):
		return ".html", true
	case bytes.IndexByte(head, 0) >= 0:
		return "", false // binary
	case byName == ".md" || byName == ".markdown":
		return ".md", true
	}
	return ".txt", true // the text reader refuses what is mostly not text
}

// addURL indexes a web page or a PDF link as a draft.
func (c *Curator) addURL(ctx context.Context, a Actor, raw string) Response {
	raw = strings.Trim(raw, "<>")
	if u, err := url.Parse(raw); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Response{Private: true, Text: "Dat is geen webadres. Geef een adres dat begint met https:// of http://."}
	}
	return c.draft(ctx, a, raw, "", raw)
}

// draft indexes an input as a draft and says what it understood.
func (c *Curator) draft(ctx context.Context, a Actor, name, path, link string) Response {
	d, err := c.Library.Draft(ctx, name, path, link, knowledge.Meta{})
	if err != nil {
		c.log().Info("draft refused", "err", err)
		c.audit(ctx, a, "refuse", "", 0, OutcomeCode(err))
		return Response{Text: failure(err)}
	}
	c.audit(ctx, a, "draft", d.Record.Slug, d.Record.Version, "ok")
	return Response{Text: draftText(d), Buttons: draftButtons(d)}
}

func draftButtons(d Draft) []Button {
	ref := versionRef(d.Record.Slug, d.Record.Version)
	if d.SameAs != nil {
		return []Button{{Action: ActionReplace, Value: ref + ">" + d.SameAs.Slug, Label: "Vervangt ‘" + shortTitle(d.SameAs.Meta.Title) + "’: live zetten", Style: "primary"},
			{Action: ActionActivate, Value: ref, Label: "Als apart document live zetten"},
			{Action: ActionCancel, Value: ref, Label: "Annuleren", Style: "danger"}}
	}
	return []Button{{Action: ActionActivate, Value: ref, Label: "Live zetten", Style: "primary"},
		{Action: ActionCancel, Value: ref, Label: "Annuleren", Style: "danger"}}
}

// listSome lists the first n questions, and how many more there are: a
// chat message has room for a few.
func listSome(b *strings.Builder, what string, qs []string, n int) {
	for _, q := range qs[:min(n, len(qs))] {
		if r := []rune(q); len(r) > 300 {
			q = string(r[:299]) + "…"
		}
		b.WriteString("  - " + what + ": " + q + "\n")
	}
	if len(qs) > n {
		fmt.Fprintf(b, "  - en nog %d vragen %s\n", len(qs)-n, what)
	}
}

// shortTitle keeps a button's label short.
func shortTitle(t string) string {
	if r := []rune(t); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return t
}

// draftText says what the curator understood of a draft.
func draftText(d Draft) string {
	r := d.Record
	var b strings.Builder
	if d.Replaces > 0 {
		fmt.Fprintf(&b, "**Nieuwe versie (%d) van ‘%s’, als concept.** De huidige versie %d blijft antwoorden tot je op Live zetten klikt.\n\n", r.Version, r.Meta.Title, d.Replaces)
	} else {
		fmt.Fprintf(&b, "**Nieuw document als concept: ‘%s’.** Het beantwoordt nog geen vragen.\n\n", r.Meta.Title)
	}
	fmt.Fprintf(&b, "- Naam: `%s` · regio: %s", r.Slug, dash(r.Meta.Region))
	if r.Pages > 0 {
		fmt.Fprintf(&b, " · %d pagina's", r.Pages)
	}
	fmt.Fprintf(&b, " · %d passages\n", r.Chunks)
	if len(d.Headings) > 0 {
		b.WriteString("- Eerste koppen: " + strings.Join(d.Headings, " · ") + "\n")
	}
	if len(d.Concepts) > 0 {
		b.WriteString("- Begrippen uit de woordenlijst: " + strings.Join(d.Concepts, ", ") + "\n")
	}
	if d.SameAs != nil {
		fmt.Fprintf(&b, "- In de kennisbank staat al ‘%s’ (`%s`, versie %d) met dezelfde titel of link. Is dit de nieuwe versie daarvan? Dan vervangt het die bij Live zetten; tot dat moment antwoordt de oude versie.\n",
			d.SameAs.Meta.Title, d.SameAs.Slug, d.SameAs.Version)
	}
	for _, n := range d.Notes {
		b.WriteString("- Let op: " + n + "\n")
	}
	switch ch := d.Check; {
	case ch == nil:
		b.WriteString("- Ik heb het niet vooraf gecontroleerd: er zijn geen evaluatievragen ingesteld (de beheerder kan dat met WEGWIJS_CHECK_QUESTIONS).\n")
	case ch.Failed:
		b.WriteString("- De controle met evaluatievragen lukte nu niet. Het concept staat wel klaar; stuur het later nog eens als je de controle wilt zien.\n")
	case ch.Questions == 0:
		b.WriteString("- Er zijn (nog) geen evaluatievragen over dit document, dus ik kon het niet vooraf controleren.\n")
	default:
		against := "de huidige versie"
		if ch.WithoutOldDocs {
			against = "de kennisbank zonder dit document"
		}
		fmt.Fprintf(&b, "- Controle met %d evaluatievragen over dit document, vergeleken met %s: %d beter, %d slechter, %d gelijk.\n",
			ch.Questions, against, len(ch.Better), len(ch.Worse), ch.Unchanged)
		listSome(&b, "slechter", ch.Worse, 5)
		listSome(&b, "beter", ch.Better, 3)
		if len(ch.Worse) > 0 {
			b.WriteString("- Kijk of het nieuwe document die vragen nog beantwoordt voordat je het live zet.\n")
		}
	}
	ref := versionRef(r.Slug, r.Version)
	fmt.Fprintf(&b, "\nKlopt de titel of de regio niet? `/wegwijs bron titel %s Nieuwe titel` of `/wegwijs bron regio %s Twente`.", ref, ref)
	return b.String()
}

// Click handles a button (or its text form): activate or cancel a draft,
// confirm or call off a removal.
func (c *Curator) Click(ctx context.Context, a Actor, action, value string) Response {
	if !c.Policy.Allows(a) {
		return c.refusal(ctx, a, action)
	}
	switch action {
	case ActionActivate, ActionCancel:
		slug, version, ok := parseRef(value)
		if !ok {
			return Response{Private: true, Text: "Dat concept ken ik niet. Geef het als naam@versie, bijvoorbeeld `routeboek@2`."}
		}
		again := []Button{{Action: ActionActivate, Value: value, Label: "Live zetten", Style: "primary"},
			{Action: ActionCancel, Value: value, Label: "Annuleren", Style: "danger"}}
		if action == ActionCancel {
			err := c.Library.Cancel(ctx, slug, version)
			c.audit(ctx, a, "cancel", slug, version, OutcomeCode(err))
			if err != nil {
				return draftFailure(err, again)
			}
			return Response{Text: fmt.Sprintf("Concept `%s` is weggegooid. Er is niets veranderd aan wat ik antwoord.", value)}
		}
		rec, err := c.Library.Activate(ctx, slug, version)
		c.audit(ctx, a, "activate", slug, version, OutcomeCode(err))
		if err != nil {
			return draftFailure(err, again)
		}
		return Response{Text: fmt.Sprintf("‘%s’ (versie %d) is live: vanaf nu antwoord ik ermee.", rec.Meta.Title, rec.Version)}
	case ActionReplace:
		ref, target, _ := strings.Cut(value, ">")
		slug, version, ok := parseRef(ref)
		if !ok || target == "" {
			return Response{Private: true, Text: "Dat concept ken ik niet."}
		}
		adopted, err := c.Library.Adopt(ctx, slug, version, target)
		c.audit(ctx, a, "adopt", target, adopted.Version, OutcomeCode(err))
		if err != nil {
			return draftFailure(err, []Button{{Action: ActionReplace, Value: value, Label: "Opnieuw proberen", Style: "primary"},
				{Action: ActionCancel, Value: ref, Label: "Annuleren", Style: "danger"}})
		}
		rec, err := c.Library.Activate(ctx, adopted.Slug, adopted.Version)
		c.audit(ctx, a, "activate", adopted.Slug, adopted.Version, OutcomeCode(err))
		if err != nil {
			newRef := versionRef(adopted.Slug, adopted.Version)
			return draftFailure(err, []Button{{Action: ActionActivate, Value: newRef, Label: "Live zetten", Style: "primary"},
				{Action: ActionCancel, Value: newRef, Label: "Annuleren", Style: "danger"}})
		}
		return Response{Text: fmt.Sprintf("‘%s’ is live als versie %d van `%s`: vanaf nu antwoord ik ermee. De vorige versie kun je terugzetten met `/wegwijs bron terugzetten %s`.", rec.Meta.Title, rec.Version, rec.Slug, rec.Slug)}
	case ActionRemove:
		rec, err := c.Library.Remove(ctx, value)
		c.audit(ctx, a, "remove", value, rec.Version, OutcomeCode(err))
		if err != nil {
			return Response{Text: failure(err)}
		}
		return Response{Text: fmt.Sprintf("‘%s’ is weggehaald: ik gebruik het niet meer in antwoorden. Terugzetten kan met `/wegwijs bron terugzetten %s`.", rec.Meta.Title, value)}
	case ActionKeep:
		return Response{Private: true, Text: "Goed, er is niets veranderd."}
	}
	return Response{Private: true, Text: "Die knop ken ik niet (meer)."}
}

// draftFailure says why a draft's button did nothing: gone (a colleague
// was first), or a failure, with the buttons again to retry.
func draftFailure(err error, again []Button) Response {
	if errors.Is(err, knowledge.ErrNotFound) {
		return Response{Text: "Dat concept bestaat niet meer: het is al live gezet, weggegooid of vervangen door een nieuwer concept, misschien door een collega. Kijk met `/wegwijs bronnen` wat er nu staat."}
	}
	return Response{Text: failure(err), Buttons: again}
}

// confirmRemove asks before a document stops answering.
func (c *Curator) confirmRemove(ctx context.Context, slug string) Response {
	recs, err := c.Library.Sources(ctx)
	if err != nil {
		return Response{Private: true, Text: failure(err)}
	}
	for _, r := range recs {
		if r.Slug == slug {
			return Response{Private: true, Text: fmt.Sprintf("Weet je zeker dat ik ‘%s’ (versie %d, %d passages) niet meer mag gebruiken?", r.Meta.Title, r.Version, r.Chunks),
				Buttons: []Button{{Action: ActionRemove, Value: slug, Label: "Ja, weghalen", Style: "danger"}, {Action: ActionKeep, Value: slug, Label: "Nee, laten staan"}}}
		}
	}
	return Response{Private: true, Text: failure(knowledge.ErrNotFound)}
}

// restore brings a document's previous version back.
func (c *Curator) restore(ctx context.Context, a Actor, slug string) Response {
	rec, err := c.Library.Restore(ctx, slug)
	c.audit(ctx, a, "restore", slug, rec.Version, OutcomeCode(err))
	if err != nil {
		if errors.Is(err, knowledge.ErrNotFound) {
			return Response{Private: true, Text: "Van `" + slug + "` is geen vorige versie meer bewaard die ik kan terugzetten."}
		}
		return Response{Text: failure(err)}
	}
	return Response{Text: fmt.Sprintf("‘%s’ is teruggezet naar versie %d: vanaf nu antwoord ik weer daarmee.", rec.Meta.Title, rec.Version)}
}

// edit corrects a draft's title or region.
func (c *Curator) edit(ctx context.Context, a Actor, field, ref, value string) Response {
	slug, version, ok := parseRef(ref)
	if !ok {
		return Response{Private: true, Text: "Geef het concept als naam@versie, bijvoorbeeld `routeboek@2`."}
	}
	title, region := "", ""
	if field == "titel" {
		title = value
	} else {
		region = value
	}
	rec, err := c.Library.Edit(ctx, slug, version, title, region)
	c.audit(ctx, a, "edit", slug, version, OutcomeCode(err))
	if err != nil {
		return Response{Text: failure(err)}
	}
	d := Draft{Record: rec}
	return Response{Text: fmt.Sprintf("Aangepast: ‘%s’, regio %s.", rec.Meta.Title, dash(rec.Meta.Region)), Buttons: draftButtons(d)}
}

// auditLog shows the newest changes.
func (c *Curator) auditLog(ctx context.Context) Response {
	es, err := c.Library.AuditLog(ctx, 20)
	if err != nil {
		return Response{Private: true, Text: failure(err)}
	}
	if len(es) == 0 {
		return Response{Private: true, Text: "Het logboek is nog leeg."}
	}
	var b strings.Builder
	b.WriteString("De laatste wijzigingen:\n\n| Wanneer | Wie | Wat | Document | Versie | Uitkomst |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, e := range es {
		fmt.Fprintf(&b, "| %s | %s %s | %s | %s | %s | %s |\n", e.At.Local().Format("2-1-2006 15:04"), e.Platform, e.Actor,
			ActionDutch(e.Action), dash(e.Document), versionText(e.Version), OutcomeDutch(e.Outcome))
	}
	return Response{Private: true, Text: b.String()}
}

// gaps shows what unanswered questions were about, and the votes.
func (c *Curator) gaps(ctx context.Context) Response {
	if c.GapsDays <= 0 {
		return Response{Private: true, Text: "Ik houd niet bij welke vragen ik niet kon beantwoorden: dat staat uit. " +
			"De beheerder kan het aanzetten met WEGWIJS_UNANSWERED_DAYS (bijvoorbeeld 28). Dan bewaar ik zulke vragen zoveel dagen, " +
			"alleen nadat de privacycontrole namen en andere gegevens eruit heeft gehaald, en daarna gooi ik ze weg."}
	}
	gs, total, err := c.Library.Gaps(ctx, c.GapsDays, 10)
	if err != nil {
		return Response{Private: true, Text: failure(err)}
	}
	var b strings.Builder
	if total == 0 {
		fmt.Fprintf(&b, "In de laatste %d dagen kon ik elke vraag beantwoorden.\n", c.GapsDays)
	} else {
		fmt.Fprintf(&b, "In de laatste %d dagen kon ik %s niet (zeker) beantwoorden. Waar ze vooral over gingen:\n\n", c.GapsDays, questions(total))
		for _, g := range gs {
			topic := g.Topic
			if topic == "" {
				topic = "(geen duidelijk onderwerp)"
			}
			fmt.Fprintf(&b, "- **%s**: %s, bijvoorbeeld „%s”\n", topic, questions(g.Questions), strings.Join(g.Examples, "”, „"))
		}
		b.WriteString("\nMist er een document over zo'n onderwerp? Stuur het mij, dan voeg ik het toe.\n")
	}
	if votes, err := c.Library.Feedback(ctx); err == nil && len(votes) > 0 {
		b.WriteString("\nReacties op antwoorden, per geciteerd document:\n")
		for _, v := range votes {
			fmt.Fprintf(&b, "- `%s`: %d 👍, %d 👎\n", v.Document, v.Up, v.Down)
		}
	}
	return Response{Private: true, Text: b.String()}
}

// ActionDutch names an audit action in Dutch.
func ActionDutch(a string) string {
	if d, ok := map[string]string{"draft": "concept gemaakt", "activate": "live gezet", "cancel": "concept weggegooid",
		"remove": "weggehaald", "restore": "teruggezet", "adopt": "als nieuwe versie gekozen", "purge": "voorgoed gewist", "refuse": "geweigerd", "denied": "niet toegestaan", "edit": "aangepast",
		"sync": "map gelijkgetrokken", "add": "toegevoegd",
		// what someone not allowed tried (outcome "denied")
		"upload": "bestand sturen", "logboek": "logboek bekijken", "hiaten": "hiaten bekijken",
		ActionActivate: "live zetten", ActionCancel: "annuleren", ActionRemove: "weghalen", ActionReplace: "vervangen"}[a]; ok {
		return d
	}
	return a
}

// OutcomeDutch names an audit outcome in Dutch.
func OutcomeDutch(o string) string {
	if d, ok := map[string]string{"ok": "gelukt", "too_large": "te groot", "unsupported": "verkeerd bestandstype",
		"corrupt": "beschadigd", "pupil_data": "leerlinggegevens", "unreachable": "niet op te halen", "not_found": "niet gevonden",
		"error": "fout", "denied": "niet toegestaan", "encrypted": "beveiligd", "no_text": "geen tekst", "empty": "leeg", "login_wall": "inlogpagina",
		"not_text": "geen tekst", "too_much_content": "te veel tekst", "tool_limit": "te zwaar om te lezen", "internal_address": "intern adres"}[o]; ok {
		return d
	}
	return strings.ReplaceAll(o, "_", " ")
}

// questions is "1 vraag", "3 vragen".
func questions(n int) string {
	if n == 1 {
		return "1 vraag"
	}
	return fmt.Sprintf("%d vragen", n)
}

// CleanTemp removes the files a crash left while an upload or a link was
// being read (wegwijs-upload-*, wegwijs-fetch-*) older than age, from dir
// ("" is the system's temporary directory). It returns how many.
func CleanTemp(dir string, age time.Duration) int {
	if dir == "" {
		dir = os.TempDir()
	}
	n := 0
	for _, pattern := range []string{"wegwijs-upload-*", "wegwijs-fetch-*"} {
		paths, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range paths {
			fi, err := os.Lstat(p)
			if err != nil || !fi.Mode().IsRegular() || time.Since(fi.ModTime()) < age {
				continue
			}
			if os.Remove(p) == nil {
				n++
			}
		}
	}
	return n
}

func versionText(v int) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprint(v)
}
