package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/wegwijs/wegwijs"

// rules say, per package of the module, which of the module's packages and
// which outside modules it may import (the arrows of ARCHITECTURE.md). The
// standard library is always allowed. A package not listed here fails the
// test, so a new package needs a decision.
var rules = map[string]struct {
	internal []string // module packages, relative ("retrieval")
	external []string // module paths outside the standard library
}{
	"bot":                       {internal: []string{"retrieval", "prompts", "bot/privacy", "knowledge", "knowledge/nl"}},
	"bot/privacy":               {},
	"bot/slack":                 {internal: []string{"bot", "bot/curate"}, external: []string{"github.com/slack-go/slack"}},
	"bot/slack/slacktest":       {external: []string{"github.com/slack-go/slack"}},
	"bot/mattermost":            {internal: []string{"bot", "bot/curate"}, external: []string{"github.com/mattermost/mattermost/server/public"}},
	"bot/mattermost/mmtest":     {external: []string{"github.com/mattermost/mattermost/server/public", "github.com/gorilla/websocket"}},
	"bot/curate":                {internal: []string{"knowledge"}},
	"bot/metrics":               {internal: []string{"bot"}, external: []string{"github.com/prometheus/client_golang"}},
	"knowledge":                 {internal: []string{"bot/privacy", "knowledge/nl"}, external: []string{"go.yaml.in/yaml/v3"}},
	"knowledge/nl":              {external: []string{"github.com/blevesearch/snowballstem"}},
	"knowledge/text":            {internal: []string{"knowledge"}},
	"knowledge/pdf":             {internal: []string{"knowledge"}},
	"knowledge/docx":            {internal: []string{"knowledge"}},
	"knowledge/pdf/pdftest":     {},
	"knowledge/docx/docxtest":   {},
	"knowledge/knowledgetest":   {internal: []string{"knowledge"}}, // test inputs; reads knowledge's blocks
	"scripts/genpdf":            {internal: []string{"knowledge/pdf/pdftest"}},
	"scripts/gentext":           {internal: []string{"knowledge/knowledgetest"}},
	"knowledge/html":            {internal: []string{"knowledge"}, external: []string{"codeberg.org/readeck/go-readability/v2", "golang.org/x/net"}},
	"retrieval":                 {internal: []string{"knowledge/nl"}},
	"retrieval/offline":         {internal: []string{"knowledge/nl"}},
	"retrieval/postgres":        {internal: []string{"knowledge", "knowledge/nl", "retrieval"}, external: []string{"github.com/jackc/pgx/v5", "github.com/pgvector/pgvector-go"}},
	"retrieval/postgres/pgtest": {external: []string{"github.com/jackc/pgx/v5"}},
	"prompts":                   {internal: []string{"retrieval", "knowledge/nl"}},
	"prompts/openai/openaitest": {},
	"prompts/openai":            {internal: []string{"prompts", "retrieval", "knowledge"}, external: []string{"github.com/sashabaranov/go-openai"}},
	"eval":                      {internal: []string{"bot", "retrieval", "prompts", "knowledge/nl"}, external: []string{"go.yaml.in/yaml/v3", "golang.org/x/text"}},
}

// TestImportDirection fails when a package imports against the arrows.
// Only non-test imports count; tests may use real adapters.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
			Standard   bool
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if strings.HasPrefix(rel, "cmd/") {
			continue // cmd wires everything
		}
		rule, ok := rules[rel]
		if !ok {
			t.Errorf("%s: no import rule; add it to rules in this test and to ARCHITECTURE.md", rel)
			continue
		}
	imports:
		for _, imp := range p.Imports {
			if !strings.Contains(strings.Split(imp, "/")[0], ".") {
				continue // standard library
			}
			if irel, internal := strings.CutPrefix(imp, module+"/"); internal {
				if strings.HasPrefix(irel, "cmd/") {
					t.Errorf("%s imports %s: nothing imports cmd", rel, irel)
					continue
				}
				for _, a := range rule.internal {
					if irel == a {
						continue imports
					}
				}
				t.Errorf("%s imports %s, against the arrows of ARCHITECTURE.md", rel, irel)
				continue
			}
			for _, a := range rule.external {
				if imp == a || strings.HasPrefix(imp, a+"/") {
					continue imports
				}
			}
			t.Errorf("%s imports %s, which is not among its allowed libraries", rel, imp)
		}
	}
}
