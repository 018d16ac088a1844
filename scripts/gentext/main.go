// Command gentext writes generated Dutch policy text of a given size, for
// benchmarks (scripts/bench.sh).
package main

import (
	"flag"
	"log"

	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

func main() {
	mb := flag.Float64("mb", 1, "size in MB")
	out := flag.String("out", "generated.txt", "output file")
	flag.Parse()
	if err := knowledgetest.WriteText(*out, int64(*mb*(1<<20))-1024); err != nil {
		log.Fatal(err)
	}
}
