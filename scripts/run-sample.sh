#!/usr/bin/env bash
# The main job on the bundled sample: installs what is missing, builds
# wegwijs, starts its private database (unless DATABASE_URL is set), indexes
# the sample knowledge base, shows what it holds and answers a sample question.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null 2>&1; then
  echo "run-sample: Go 1.26 is needed; it is not on PATH" >&2
  exit 1
fi
bash scripts/setup-debian.sh
go build -o bin/wegwijs ./cmd/wegwijs
./bin/wegwijs kb sync knowledge/sample
echo
./bin/wegwijs kb list
echo
echo '$ wegwijs ask "wie is aan zet bij absoluut verzuim?"'
./bin/wegwijs ask "wie is aan zet bij absoluut verzuim?"
