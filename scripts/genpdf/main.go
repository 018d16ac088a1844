// Command genpdf writes a text PDF of the given number of pages, for
// benchmarks (scripts/bench.sh).
package main

import (
	"flag"
	"log"

	"github.com/wegwijs/wegwijs/knowledge/pdf/pdftest"
)

func main() {
	pages := flag.Int("pages", 1000, "number of pages")
	out := flag.String("out", "generated.pdf", "output file")
	flag.Parse()
	if err := pdftest.WriteTextPDF(*out, *pages); err != nil {
		log.Fatal(err)
	}
}
