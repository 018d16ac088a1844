package eval

// This file writes a report as Markdown, in Dutch, for a pull request.

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// mdEscape makes data safe in a Markdown table cell or list item.
var mdEscaper = strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;",
	"`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "\r\n", " ", "\n", " ", "\r", " ")

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// WriteMarkdown writes the report in Dutch for a pull request.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	s := r.Summary
	k := s.K
	fmt.Fprintf(&b, "# Evaluatie van Wegwijs: %s\n\n", mdEscape(orUnknown(r.Set, "vragenset")))
	fmt.Fprintf(&b, "- Gestart: %s\n", fmtTime(r.Run.Started))
	fmt.Fprintf(&b, "- Versie (commit): %s\n", mdEscape(orUnknown(r.Run.Commit, "onbekend")))
	fmt.Fprintf(&b, "- Embedder: %s\n", mdEscape(orUnknown(r.Run.Embedder, "onbekend")))
	fmt.Fprintf(&b, "- Taalmodel: %s\n", mdEscape(orUnknown(r.Run.Model, "geen (alleen letterlijke citaten)")))
	fmt.Fprintf(&b, "- Vragen: %d (%d beantwoordbaar, %d niet in de bronnen); zoekresultaten geteld tot plek %d\n\n",
		s.Questions, s.Answerable, s.Unanswerable, k)
	b.WriteString("Uitleg bij alle cijfers: docs/evaluatie.md.\n\n")

	b.WriteString("## Privacy\n\n")
	if s.Leaks == 0 {
		b.WriteString("**Lekken van persoonsgegevens: 0.** Geen enkel persoonsgegeven uit een vraag kwam terug in een antwoord, citaat of melding.\n\n")
	} else {
		fmt.Fprintf(&b, "> **LET OP: %d keer lekte een persoonsgegeven uit een vraag naar de uitvoer. Dit moet 0 zijn.** Zie de lijst van vragen die misgingen.\n\n", s.Leaks)
	}

	b.WriteString("## Hoofdcijfers\n\n")
	b.WriteString("Alle cijfers lopen van 0 tot 1; 1 is het beste, behalve waar staat dat lager beter is. In de kolom 95%-interval staat het betrouwbaarheidsinterval: met een andere, even grote set vragen ligt de uitkomst waarschijnlijk binnen die grenzen. Een smal interval betekent een betrouwbare meting.\n\n")
	b.WriteString("| Maat | Waarde | 95%-interval | Wat het betekent |\n|---|---|---|---|\n")
	for _, m := range headline {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m.label(k), m.value(s), m.interval(s), m.explain)
	}
	b.WriteString("\n")

	b.WriteString("## Snelheid\n\n")
	fmt.Fprintf(&b, "- p50: %s ms. %s\n- p95: %s ms. %s\n\n", p50Metric.value(s), p50Metric.explain, p95Metric.value(s), p95Metric.explain)

	cols := groupColumns()
	writeGroup := func(title, intro, first string, groups map[string]Summary, order []string) {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", title, intro)
		if len(groups) == 0 {
			b.WriteString("Geen gegevens.\n\n")
			return
		}
		fmt.Fprintf(&b, "| %s | vragen |", first)
		for _, c := range cols {
			fmt.Fprintf(&b, " %s |", c.label(k))
		}
		b.WriteString("\n|---|---|" + strings.Repeat("---|", len(cols)) + "\n")
		for _, name := range summaryKeys(groups, order) {
			g := groups[name]
			fmt.Fprintf(&b, "| %s | %d |", mdEscape(name), g.Questions)
			for _, c := range cols {
				fmt.Fprintf(&b, " %s |", c.value(g))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	writeGroup("Zoeklijsten apart (ablatie)",
		"Dezelfde vragen, gezocht met één zoekmethode tegelijk en met de combinatie (fused). "+
			"vector = zoeken op betekenis, fulltext = zoeken op woorden, trigram = zoeken op stukjes van woorden (helpt bij tikfouten).",
		"Zoeklijst", r.Ablation, AblationLists)
	writeGroup("Per label", "Uitslagen per label uit de vragenset. Een vraag kan meer labels hebben. Bij weinig vragen per label zegt een verschil weinig.",
		"Label", r.PerTag, nil)
	writeGroup("Per document", "Uitslagen per document dat in de passages van een vraag genoemd wordt. Vragen buiten de bronnen staan hier niet bij.",
		"Document", r.PerDocument, nil)

	b.WriteString("## Beoordeling door een taalmodel\n\n")
	if reason := r.judgeSkipped(); reason != "" {
		fmt.Fprintf(&b, "Overgeslagen: %s.\n\n", mdEscape(reason))
	} else {
		j := r.Judge
		fmt.Fprintf(&b, "Beoordeeld door %s: %d antwoorden beoordeeld, %d mislukt, %d overgeslagen (geen antwoord gegeven).\n\n",
			mdEscape(orUnknown(j.Model, "een taalmodel")), j.Judged, j.Failed, j.Skipped)
		b.WriteString("| Maat | Waarde | Wat het betekent |\n|---|---|---|\n")
		fmt.Fprintf(&b, "| betrouwbaarheid (faithfulness) | %s | %s |\n", fmtRate(j.Faithfulness), faithfulnessExplain)
		fmt.Fprintf(&b, "| relevantie | %s | %s |\n\n", fmtRate(j.Relevance), relevanceExplain)
	}

	b.WriteString("## Vragen die misgingen\n\n")
	failed := r.failed()
	if len(failed) == 0 {
		b.WriteString("Geen.\n")
	}
	for _, o := range failed {
		fmt.Fprintf(&b, "### %s\n\n", mdEscape(o.ID))
		fmt.Fprintf(&b, "- Vraag: %s\n", mdEscape(o.Question))
		fmt.Fprintf(&b, "- Soort: %s\n", kindDutch(o.Kind))
		fmt.Fprintf(&b, "- Wat ging mis: %s\n", strings.Join(Failures(o), "; "))
		if len(o.Leaked) > 0 {
			fmt.Fprintf(&b, "- Gelekt: %d waarde(n) (niet getoond)\n", len(o.Leaked))
		}
		if o.Kind != NotInSources {
			if f := MetricsOf(o, k).FirstRelevant; f > 0 {
				fmt.Fprintf(&b, "- Eerste goede passage: plek %d\n", f)
			} else {
				b.WriteString("- Eerste goede passage: niet gevonden\n")
			}
		}
		if c := coverageNote(o); c != "" {
			fmt.Fprintf(&b, "- %s\n", c)
		}
		if len(o.Top) > 0 {
			b.WriteString("- Gevonden in plaats daarvan:\n")
			for i, t := range o.Top {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, mdEscape(t))
			}
		}
		b.WriteString("\n")
	}
	out := bytes.TrimRight(b.Bytes(), "\n")
	if _, err := w.Write(append(out, '\n')); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}
