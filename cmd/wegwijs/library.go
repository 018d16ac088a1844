package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/bot/privacy"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// library is the knowledge base as a beleidsmedewerker changes it from
// chat (curate.Library): the store, the ingester that `kb add` uses, and
// the check of a draft against the evaluation questions about it.
type library struct {
	store *postgres.Store
	in    *knowledge.Ingester
	// check answers the evaluation questions about a draft's document
	// with the draft and with the live knowledge base; nil: no check.
	check func(ctx context.Context, d curate.Draft) (*curate.Check, error)
}

var _ curate.Library = (*library)(nil)

func (l *library) Sources(ctx context.Context) ([]knowledge.Record, error) { return l.store.List(ctx) }

// Draft ingests a sent file or a link as a draft and gathers what the
// curator reports: the first headings, the glossary's concepts, the live
// version it would replace or a live document with its title or link, a
// warning when that version comes from a folder a sync keeps, and the
// check.
func (l *library) Draft(ctx context.Context, name, path, link string, meta knowledge.Meta) (curate.Draft, error) {
	var res knowledge.Result
	var err error
	if path != "" {
		res, err = l.in.DraftFile(ctx, path, name, meta)
	} else {
		res, err = l.in.DraftURL(ctx, link, meta)
	}
	if err != nil {
		return curate.Draft{}, err
	}
	rec, err := l.store.Draft(ctx, res.Slug, res.Version)
	if err != nil {
		return curate.Draft{}, err
	}
	d := curate.Draft{Record: rec}
	chunks, err := l.store.DraftChunks(ctx, rec.Slug, rec.Version)
	if err != nil {
		return d, err
	}
	d.Headings = firstHeadings(chunks, 5)
	d.Concepts = l.concepts(ctx, chunks, 8)

	live, err := l.store.Document(ctx, rec.Slug)
	switch {
	case err == nil:
		d.Replaces = live.Version
		d.Notes = syncNote(live)
	case errors.Is(err, knowledge.ErrNotFound):
		d.SameAs = l.sameAs(ctx, rec)
		if d.SameAs != nil {
			d.Notes = syncNote(*d.SameAs)
		}
	default:
		return d, err
	}
	if l.check != nil {
		ch, err := l.check(ctx, d)
		if err != nil {
			l.in.Log.Warn("check of a draft", "err", err) // the draft stands; the report says it was not checked
			ch = &curate.Check{Failed: true}
		}
		d.Check = ch
	}
	return d, nil
}

// syncNote warns that a folder sync will put its own file back.
func syncNote(live knowledge.Record) []string {
	if live.Origin == "" || live.Origin == knowledge.OriginChat {
		return nil
	}
	return []string{fmt.Sprintf("de huidige versie komt uit de map %s, die de beheerder bijhoudt met kb sync. "+
		"Zet het nieuwe bestand ook in die map, anders zet de volgende sync het oude bestand terug.", filepath.Base(live.Origin))}
}

// sameAs finds a live document with the draft's title or link.
func (l *library) sameAs(ctx context.Context, draft knowledge.Record) *knowledge.Record {
	recs, err := l.store.List(ctx)
	if err != nil {
		return nil
	}
	title := strings.ToLower(strings.TrimSpace(draft.Meta.Title))
	for _, r := range recs {
		if (title != "" && strings.ToLower(strings.TrimSpace(r.Meta.Title)) == title) ||
			(draft.Meta.URL != "" && r.Meta.URL == draft.Meta.URL) {
			return &r
		}
	}
	return nil
}

// firstHeadings are the first n distinct headings, in document order.
func firstHeadings(chunks []knowledge.StoredChunk, n int) []string {
	var out []string
	for _, c := range chunks {
		if len(c.Heading) == 0 {
			continue
		}
		h := c.Heading[len(c.Heading)-1]
		if !slices.Contains(out, h) {
			out = append(out, h)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// concepts are the glossary's concepts the draft mentions most, by their
// main term.
func (l *library) concepts(ctx context.Context, chunks []knowledge.StoredChunk, n int) []string {
	x, err := l.store.ActiveGlossary(ctx)
	g, ok := x.(*knowledge.Glossary)
	if err != nil || !ok {
		return nil
	}
	main := map[string]string{}
	for _, c := range g.Concepts() {
		terms := append(append([]string(nil), c.Terms...), c.Exact...)
		switch {
		case len(terms) > 1 && strings.ToUpper(terms[0]) == terms[0]:
			main[c.ID] = terms[0] + " (" + terms[1] + ")" // LPA (leerplichtambtenaar)
		case len(terms) > 0:
			main[c.ID] = terms[0]
		default:
			main[c.ID] = c.ID
		}
	}
	count := map[string]int{}
	var order []string
	for _, c := range chunks {
		for _, id := range g.Expand(c.Text).Concepts {
			if count[id] == 0 {
				order = append(order, id)
			}
			count[id]++
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return count[b] - count[a] })
	var out []string
	for _, id := range order[:min(n, len(order))] {
		out = append(out, main[id])
	}
	return out
}

func (l *library) Activate(ctx context.Context, slug string, version int) (knowledge.Record, error) {
	return l.store.ActivateDraft(ctx, slug, version)
}

func (l *library) Adopt(ctx context.Context, slug string, version int, target string) (knowledge.Record, error) {
	return l.store.AdoptDraft(ctx, slug, version, target)
}

func (l *library) Cancel(ctx context.Context, slug string, version int) error {
	return l.store.CancelDraft(ctx, slug, version)
}

func (l *library) Edit(ctx context.Context, slug string, version int, title, region string) (knowledge.Record, error) {
	if l.in.Screen != nil {
		// a title or region typed in chat is stored and shown: it passes
		// the same check as a document's fields
		s, err := l.in.Screen.ScreenDocument(ctx, []privacy.DocumentPart{{Where: "de titel", Text: title}, {Where: "de regio", Text: region}})
		if err != nil {
			return knowledge.Record{}, err
		}
		if s.Refused() {
			return knowledge.Record{}, &knowledge.InputError{Name: slug, Problem: knowledge.PupilData, Detail: s.Dutch()}
		}
	}
	return l.store.EditDraft(ctx, slug, version, title, region)
}

// Remove retires a document; the removed version can be restored.
func (l *library) Remove(ctx context.Context, slug string) (knowledge.Record, error) {
	rec, err := l.store.Document(ctx, slug)
	if err != nil {
		return rec, err
	}
	return rec, l.in.Remove(ctx, slug)
}

func (l *library) Restore(ctx context.Context, slug string) (knowledge.Record, error) {
	return l.store.Restore(ctx, slug)
}

func (l *library) Audit(ctx context.Context, e curate.Entry) error {
	return l.store.Audit(ctx, postgres.AuditEntry{Platform: e.Platform, Actor: e.Actor, Action: e.Action,
		Document: e.Document, Version: e.Version, Outcome: e.Outcome})
}

func (l *library) AuditLog(ctx context.Context, limit int) ([]curate.Entry, error) {
	es, err := l.store.AuditLog(ctx, limit)
	out := make([]curate.Entry, len(es))
	for i, e := range es {
		out[i] = curate.Entry{At: e.At, Platform: e.Platform, Actor: e.Actor, Action: e.Action, Document: e.Document, Version: e.Version, Outcome: e.Outcome}
	}
	return out, err
}

func (l *library) Gaps(ctx context.Context, days, limit int) ([]curate.Gap, int, error) {
	gs, total, err := l.store.Gaps(ctx, days, limit)
	out := make([]curate.Gap, len(gs))
	for i, g := range gs {
		out[i] = curate.Gap{Topic: g.Topic, Questions: g.Questions, Examples: g.Examples}
	}
	return out, total, err
}

func (l *library) Feedback(ctx context.Context) ([]curate.DocumentVotes, error) {
	fs, err := l.store.FeedbackByDocument(ctx)
	out := make([]curate.DocumentVotes, len(fs))
	for i, f := range fs {
		out[i] = curate.DocumentVotes{Document: f.Document, Up: f.Up, Down: f.Down}
	}
	return out, err
}
