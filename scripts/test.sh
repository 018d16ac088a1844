#!/usr/bin/env bash
# Runs every check and test of Wegwijs against a real PostgreSQL + pgvector
# and a real Mattermost server: installs what is missing
# (scripts/setup-debian.sh), starts a private test database with wegwijs's
# own dev-database code, builds (once per machine, about 8 minutes cold) and
# starts Mattermost v6.7.2 (scripts/mattermost.sh), and runs gofmt, go vet,
# staticcheck and go test -race. Database and Mattermost tests are forced
# on: they fail instead of skipping. WEGWIJS_SKIP_MATTERMOST=1 leaves the
# Mattermost tests out (a quicker local loop; CI never sets it).
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
# The Mattermost tests share one server and one of them restarts it: they
# run after the rest, one package at a time.
MATTERMOST_TEST_URL= go test -race -count=1 "$@" ./...
if [ "${WEGWIJS_SKIP_MATTERMOST:-}" = 1 ]; then
  echo "test: Mattermost tests skipped (WEGWIJS_SKIP_MATTERMOST=1)"
  exit 0
fi
echo "test: Mattermost server"
mm_url=$(bash scripts/mattermost.sh start | sed -n 's/^MATTERMOST_TEST_URL=//p')
if [ -z "$mm_url" ]; then
  echo "test: could not start the Mattermost test server" >&2
  exit 1
fi
trap 'bash scripts/mattermost.sh stop >/dev/null 2>&1 || true' EXIT
export MATTERMOST_TEST_URL="$mm_url" WEGWIJS_REQUIRE_MATTERMOST=1 WEGWIJS_MM_TEST_RESTART=1
echo "test: go test -race, against Mattermost at $mm_url"
go test -race -count=1 -p 1 "$@" ./bot/mattermost/...
go test -race -count=1 -run '^TestMattermost' "$@" ./cmd/wegwijs/
