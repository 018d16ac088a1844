#!/usr/bin/env bash
# Pictures of real Wegwijs replies in Mattermost for docs/img/: runs the
# end-to-end test against a real Mattermost server (it keeps the real
# question and the bot's real posts), renders each thread to HTML with the
# Markdown renderer "marked" (npm) and screenshots it with headless
# Chromium (Debian's chromium package). Needs what scripts/test.sh sets up.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "screenshots: install Debian's chromium first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export WEGWIJS_DB_DIR="${WEGWIJS_TEST_DB_DIR:-/tmp/wegwijs-test-db}"
go build -o bin/wegwijs ./cmd/wegwijs
dsn=$(DATABASE_URL= ./bin/wegwijs db start | sed -n 's/^DATABASE_URL voor andere programma.s: //p')
export WEGWIJS_TEST_DATABASE_URL="$dsn" WEGWIJS_REQUIRE_DB=1
if [ -z "${MATTERMOST_TEST_URL:-}" ]; then
  MATTERMOST_TEST_URL=$(bash scripts/mattermost.sh start | sed -n 's/^MATTERMOST_TEST_URL=//p')
  export MATTERMOST_TEST_URL
fi
mkdir -p "$work/threads"
WEGWIJS_SCREENSHOT_DIR="$work/threads" go test -count=1 -run '^(TestMattermostEndToEnd|TestMattermostCuration)$' ./cmd/wegwijs/ >/dev/null
(cd "$work" && npm install --silent --no-audit --no-fund marked@15 >/dev/null)
cp scripts/screenshots/render.mjs "$work/"   # beside its node_modules
mkdir -p docs/img
for f in "$work"/threads/*.json; do
  name=$(basename "$f" .json)
  node "$work/render.mjs" "$f" "$work/$name.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/chrome" --hide-scrollbars \
    --window-size=760,900 --screenshot="docs/img/$name.png" "file://$work/$name.html" 2>/dev/null
  echo "screenshots: docs/img/$name.png"
done
