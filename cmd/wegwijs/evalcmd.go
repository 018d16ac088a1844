package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/eval"
	"github.com/wegwijs/wegwijs/retrieval"
)

const evalUsage = `Gebruik:
  wegwijs eval run --set VRAGEN.yaml [--k 5] [--report MAP] [--fail-under 'hit=0.9,leaks<=0'] [--no-ablation]
  wegwijs eval compare OUD.json NIEUW.json

'eval run' stelt elke vraag via precies dezelfde weg als een chatbericht (met de privacycontrole)
en schrijft rapport.json, rapport.md en rapport.html in MAP. Met een taalmodel ingesteld
beoordeelt dat model ook de antwoorden (apart vermeld). Uitleg: docs/evaluatie.md.
`

func (e *env) evalCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stdout, evalUsage)
		return nil
	}
	switch args[0] {
	case "run":
		return e.evalRun(ctx, args[1:])
	case "compare":
		return e.evalCompare(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, evalUsage)
		return nil
	}
	return usagef("Onbekende opdracht 'eval %s'.\n\n%s", args[0], evalUsage)
}

func (e *env) evalRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	setPath := fs.String("set", "", "vragenset (YAML)")
	k := fs.Int("k", 5, "aantal passages dat telt voor hit@k")
	reportDir := fs.String("report", "", "map voor de rapporten")
	failUnder := fs.String("fail-under", "", "drempels")
	noAblation := fs.Bool("no-ablation", false, "sla de vergelijking per zoeklijst over")
	if _, err := parseInterspersed(fs, args); err != nil {
		return usagef("%v\n\n%s", err, evalUsage)
	}
	if *setPath == "" {
		return usagef("Welke vragenset? Gebruik --set, bijvoorbeeld --set eval/testdata/questions.yaml\n\n%s", evalUsage)
	}
	gate, err := eval.ParseGate(*failUnder)
	if err != nil {
		return usagef("%v", err)
	}
	set, err := eval.LoadSet(*setPath)
	if err != nil {
		return usagef("De vragenset klopt niet: %v", err)
	}
	s, b, err := e.openBot(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	outs, err := eval.Run(ctx, b, set, nil)
	if err != nil {
		return err
	}
	abl := map[string][]eval.Outcome{"fused": outs}
	if !*noAblation {
		for _, l := range retrieval.AllLists {
			o, err := eval.Run(ctx, b, set, []retrieval.List{l})
			if err != nil {
				return err
			}
			abl[string(l)] = o
		}
	}
	emb, err := e.embedder()
	if err != nil {
		return err
	}
	info := eval.RunInfo{Started: start, Commit: gitCommit(), Embedder: emb.Name(), K: *k}
	if b.Model != nil {
		info.Model = b.Model.Name()
	}
	rep := eval.BuildReport(info, outs, abl, set, *k)
	rep.Set = *setPath
	if b.Model != nil {
		rep.Judge, err = (&eval.Judge{Model: b.Model}).ScoreAll(ctx, set, outs, func(o eval.Outcome) []string { return o.Cited })
		if err != nil {
			return err
		}
	}
	sum := rep.Summary
	fmt.Fprintf(e.stdout, "%d vragen in %.1f s (%s)\n", sum.Questions, time.Since(start).Seconds(), *setPath)
	fmt.Fprintf(e.stdout, "  hit@%d %.3f · MRR %.3f · citaat raak %.3f · kernpunten %.3f\n", *k, sum.HitAtK, sum.MRR, sum.CitationHit, sum.KeypointRecall)
	fmt.Fprintf(e.stdout, "  terecht niet beantwoord %.3f · onterecht niet beantwoord %.3f · lekken %d · tijd p50 %.0f ms, p95 %.0f ms\n",
		sum.AbstainRecall, sum.FalseAbstain, sum.Leaks, sum.LatencyP50, sum.LatencyP95)
	fmt.Fprintf(e.stdout, "  zeker antwoord %.3f · antwoord of goede passage %.3f · buiten bronnen: dichtstbij %.3f, toch antwoord %.3f\n",
		sum.Confident, sum.Reach, sum.SoftMiss, sum.HardMiss)
	if *reportDir != "" {
		if err := writeReports(rep, *reportDir); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Rapporten: %s\n", filepath.Join(*reportDir, "rapport.{json,md,html}"))
	}
	if fails := gate.CheckReport(rep); len(fails) > 0 {
		fmt.Fprintln(e.stdout, "\nNiet gehaald:")
		for _, f := range fails {
			fmt.Fprintln(e.stdout, "  - "+f)
		}
		return silentError{fmt.Errorf("%d thresholds not met", len(fails))}
	}
	return nil
}

func writeReports(rep eval.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer) error{
		"rapport.json": rep.WriteJSON, "rapport.md": rep.WriteMarkdown, "rapport.html": rep.WriteHTML,
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) evalCompare(args []string) error {
	if len(args) != 2 {
		return usagef("Gebruik: wegwijs eval compare OUD.json NIEUW.json")
	}
	old, err := eval.ReadReport(args[0])
	if err != nil {
		return usagef("Kan %s niet lezen: %v", args[0], err)
	}
	cur, err := eval.ReadReport(args[1])
	if err != nil {
		return usagef("Kan %s niet lezen: %v", args[1], err)
	}
	return eval.Compare(old, cur).WriteMarkdown(e.stdout)
}

// gitCommit names the commit of the working tree, when there is one.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
