#!/usr/bin/env bash
# Knowledge-base speed and memory, process start included: indexing the
# sample from scratch, re-syncing it unchanged, adding a generated
# 1,000-page PDF and generated plain text of 1 and 10 MB (with peak memory). Uses the private database; every
# from-scratch run gets a new, empty database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh >/dev/null
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 1; }
go build -o bin/wegwijs ./cmd/wegwijs
base=$(DATABASE_URL= ./bin/wegwijs db start | sed -n 's/^DATABASE_URL voor andere programma.s: //p')
psql_base="${base/dbname=wegwijs/dbname=postgres}"
export PGOPTIONS="-c client_min_messages=warning"
fresh() {
  local name="wegwijs_bench_$1"
  psql "$psql_base" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  echo "${base/dbname=wegwijs/dbname=$name}"
}
runs=${RUNS:-5}
echo "index the sample from scratch (offline embedder, process start included), $runs runs:"
for i in $(seq "$runs"); do
  dsn=$(fresh "$i")
  DATABASE_URL="$dsn" /usr/bin/time -f "  %e s, peak %M KB" ./bin/wegwijs kb sync knowledge/sample >/dev/null
done
echo "re-sync the unchanged sample, $runs runs:"
for i in $(seq "$runs"); do
  DATABASE_URL="$dsn" /usr/bin/time -f "  %e s, peak %M KB" ./bin/wegwijs kb sync knowledge/sample >/dev/null
done
echo "add a generated 1,000-page PDF (peak = wegwijs or pdftotext, whichever is larger):"
pdf=$(mktemp -d)/handreiking-1000.pdf
go run ./scripts/genpdf -pages 1000 -out "$pdf"
dsn=$(fresh pdf)
DATABASE_URL="$dsn" /usr/bin/time -f "  %e s, peak %M KB" ./bin/wegwijs kb add "$pdf" >/dev/null
DATABASE_URL="$dsn" ./bin/wegwijs kb list | sed -n '2p' | awk '{print "  " $0}' 
echo "add generated plain text of ${TEXT_MB:-1 10} MB (TEXT_MB=\"1 10 50\" for more; the time is mostly the vector index):"
for mb in ${TEXT_MB:-1 10}; do
  txt=$(dirname "$pdf")/tekst-$mb.txt
  go run ./scripts/gentext -mb "$mb" -out "$txt"
  dsn=$(fresh "text$mb")
  DATABASE_URL="$dsn" /usr/bin/time -f "  $mb MB: %e s, peak %M KB" ./bin/wegwijs kb add "$txt" >/dev/null
  psql "$psql_base" -qc "DROP DATABASE IF EXISTS wegwijs_bench_text$mb" >/dev/null
done
for i in $(seq "$runs") pdf; do psql "$psql_base" -qc "DROP DATABASE IF EXISTS wegwijs_bench_$i" >/dev/null; done
rm -rf "$(dirname "$pdf")"
