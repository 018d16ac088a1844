#!/usr/bin/env bash
# Runs every check and test of Wegwijs against a real PostgreSQL + pgvector:
# installs what is missing (scripts/setup-debian.sh), starts a private test
# database with wegwijs's own dev-database code, and runs gofmt, go vet and
# go test -race. Database tests are forced on: they fail instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1; then
  echo "test: Go 1.26 is needed (https://go.dev/dl/); it is not on PATH" >&2
  exit 1
fi
bash scripts/setup-debian.sh

export WEGWIJS_DB_DIR="${WEGWIJS_TEST_DB_DIR:-/tmp/wegwijs-test-db}"
go build -o bin/wegwijs ./cmd/wegwijs
# 'db start' prints the connection string on its last line.
dsn=$(DATABASE_URL= ./bin/wegwijs db start | sed -n 's/^DATABASE_URL voor andere programma.s: //p')
if [ -z "$dsn" ]; then
  echo "test: could not start the test database" >&2
  exit 1
fi
export WEGWIJS_TEST_DATABASE_URL="$dsn"
export WEGWIJS_REQUIRE_DB=1

echo "test: gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
echo "test: go vet"
go vet ./...
echo "test: staticcheck"
go tool staticcheck ./...
echo "test: go test -race"
go test -race -count=1 "$@" ./...
