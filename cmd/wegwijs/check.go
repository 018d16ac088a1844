package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/eval"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// loadCheckSets reads the question sets a draft is checked with
// (WEGWIJS_CHECK_QUESTIONS: paths, separated by commas).
func loadCheckSets(paths string) ([]*eval.Set, error) {
	var sets []*eval.Set
	for _, p := range strings.Split(paths, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		set, err := eval.LoadSet(p)
		if err != nil {
			return nil, usagef("WEGWIJS_CHECK_QUESTIONS: de vragenset %s klopt niet of is er niet: %v", p, err)
		}
		sets = append(sets, set)
	}
	return sets, nil
}

// questionsAbout are the questions of the sets whose passages are in the
// document slug, each once.
func questionsAbout(sets []*eval.Set, slug string) *eval.Set {
	out := &eval.Set{}
	seen := map[string]bool{}
	for _, set := range sets {
		for _, q := range set.Questions {
			for _, p := range q.Passages {
				if p.Document == slug && !seen[q.Question] {
					seen[q.Question] = true
					out.Questions = append(out.Questions, q)
					break
				}
			}
		}
	}
	return out
}

// draftCheck returns the check of a draft: the evaluation questions about
// its document, answered by the live knowledge base and by a copy in which
// the draft answers instead (the comparison of `eval compare`, question by
// question). The check answers extractively, whatever model is set: it is
// about what the documents say, and a model would make an upload wait for
// twice as many answers as there are questions. nil without sets.
func (e *env) draftCheck(s *postgres.Store, sets []*eval.Set) func(context.Context, curate.Draft) (*curate.Check, error) {
	if len(sets) == 0 {
		return nil
	}
	return func(ctx context.Context, d curate.Draft) (*curate.Check, error) {
		target := d.Record.Slug
		if d.Replaces == 0 && d.SameAs != nil {
			target = d.SameAs.Slug
		}
		set := questionsAbout(sets, target)
		ch := &curate.Check{Questions: len(set.Questions), WithoutOldDocs: d.Replaces == 0 && d.SameAs == nil}
		if ch.Questions == 0 {
			return ch, nil
		}
		live, err := e.checkBot(ctx, s)
		if err != nil {
			return nil, err
		}
		c, done, err := s.CheckCopy(ctx, d.Record.Slug, d.Record.Version, target)
		if err != nil {
			return nil, err
		}
		defer done()
		withDraft, err := e.checkBot(ctx, c)
		if err != nil {
			return nil, err
		}
		before, err := eval.Run(ctx, live, set, nil)
		if err != nil {
			return nil, fmt.Errorf("check with the live version: %w", err)
		}
		after, err := eval.Run(ctx, withDraft, set, nil)
		if err != nil {
			return nil, fmt.Errorf("check with the draft: %w", err)
		}
		const k = 5
		cmp := eval.Compare(eval.BuildReport(eval.RunInfo{}, before, nil, set, k), eval.BuildReport(eval.RunInfo{}, after, nil, set, k))
		for _, qc := range cmp.Questions {
			switch {
			case len(qc.Worse) > 0:
				ch.Worse = append(ch.Worse, "„"+qc.Question+"” ("+strings.Join(qc.Worse, "; ")+")")
			case len(qc.Better) > 0:
				ch.Better = append(ch.Better, "„"+qc.Question+"” ("+strings.Join(qc.Better, "; ")+")")
			}
		}
		ch.Unchanged = ch.Questions - len(ch.Worse) - len(ch.Better)
		return ch, nil
	}
}

// checkBot is the extractive bot on a store.
func (e *env) checkBot(ctx context.Context, s *postgres.Store) (*bot.Bot, error) {
	b, err := e.newBot(ctx, s)
	if err != nil {
		return nil, err
	}
	b.Model = nil
	return b, nil
}
