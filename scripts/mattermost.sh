#!/usr/bin/env bash
# A real Mattermost Team Edition server (v6.7.2) for the end-to-end tests of
# the Mattermost bot. No Docker and no internet: the server is built from its
# Go module, fetched through the Go module proxy that 'go env GOPROXY' names.
#
#   bash scripts/mattermost.sh build     build the server once per machine
#   bash scripts/mattermost.sh start     fresh database, start, wait for ping
#   bash scripts/mattermost.sh restart   stop, then start again on the same
#                                        port and the same database (an outage
#                                        as the bot sees it; data is kept)
#   bash scripts/mattermost.sh stop      stop the server (idempotent)
#   bash scripts/mattermost.sh status    say whether it runs, and where
#
# 'start' always gives a fresh server: one already running from this run
# directory is stopped first. 'start --keep-db' starts without recreating
# the database, on the port of the last 'start' (what 'restart' does after
# stopping), and leaves a running server alone. 'start' and 'restart' print
# MATTERMOST_TEST_URL=http://127.0.0.1:PORT as their last line on stdout.
#
# Environment:
#   WEGWIJS_MM_CACHE         where built servers are kept, per version
#                            (default /var/cache/wegwijs/mattermost as root,
#                            else ~/.cache/wegwijs/mattermost)
#   WEGWIJS_MM_DIR           run directory: config, logs, files, pid
#                            (default /tmp/wegwijs-mattermost)
#   WEGWIJS_MM_PORT          port on 127.0.0.1 (default 8065, or the next free
#                            port when 8065 is taken and no port was asked for)
#   WEGWIJS_MM_DATABASE_URL  postgres:// URL of the database Mattermost uses;
#                            that database is dropped and recreated on 'start'
#   WEGWIJS_TEST_DATABASE_URL  used when WEGWIJS_MM_DATABASE_URL is empty: the
#                            keyword/value DSN of the project's test database
#                            (scripts/test.sh); Mattermost gets its own
#                            database on that server, WEGWIJS_MM_DB_NAME
#                            (default mattermost_e2e)
# With neither set, the project's private test database is started the way
# scripts/test.sh does it ('wegwijs db start', WEGWIJS_TEST_DB_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

MM_MODULE=github.com/mattermost/mattermost-server/v6
MM_VERSION=v6.7.2

if [ -n "${WEGWIJS_MM_CACHE:-}" ]; then
  cache_root=$WEGWIJS_MM_CACHE
elif [ "$(id -u)" -eq 0 ]; then
  cache_root=/var/cache/wegwijs/mattermost
else
  cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/wegwijs/mattermost
fi
cache=$cache_root/$MM_VERSION          # bin/mattermost, i18n, templates, fonts
run=${WEGWIJS_MM_DIR:-/tmp/wegwijs-mattermost}
pidfile=$run/mattermost.pid
db_name=${WEGWIJS_MM_DB_NAME:-mattermost_e2e}

say() { printf 'mattermost: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------- build

build() {
  if [ -x "$cache/bin/mattermost" ]; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build the server; it is not on PATH"
  mkdir -p "$cache_root"
  # One build at a time per machine: a second caller waits, then finds the
  # finished binary.
  exec 9>"$cache_root/.lock"
  flock 9
  if [ -x "$cache/bin/mattermost" ]; then
    exec 9>&-
    return 0
  fi
  local started=$SECONDS tmp src dir
  tmp=$(mktemp -d "$cache_root/.build-$MM_VERSION.XXXXXX")
  build_tmp=$tmp # removed on exit, whether the build works or not
  trap 'rm -rf "${build_tmp:-}"' EXIT
  say "downloading $MM_MODULE@$MM_VERSION"
  # Outside any module, so the repository's go.mod and go.sum stay untouched.
  dir=$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$MM_MODULE@$MM_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') ||
    die "go mod download $MM_MODULE@$MM_VERSION failed"
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download gave no module directory"
  # The module cache is read-only; go build -mod=mod wants to write go.sum.
  src=$tmp/src
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  say "building the server (about 8 minutes the first time on 2 cores; log in $cache_root/build.log)"
  # -checklinkname=0: the server's old golang.org/x/net reaches into syscall
  # by go:linkname, which Go 1.23 and later refuse to link otherwise.
  if ! (cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags=-checklinkname=0 \
    -o "$tmp/out/bin/mattermost" ./cmd/mattermost) >"$cache_root/build.log" 2>&1; then
    grep -v '^go: downloading' "$cache_root/build.log" | tail -n 30 >&2
    die "go build failed (full log: $cache_root/build.log)"
  fi
  # What the server reads at run time besides its configuration.
  cp -r "$src/i18n" "$src/templates" "$src/fonts" "$tmp/out/"
  rm -rf "$cache"
  mv "$tmp/out" "$cache"
  exec 9>&-
  say "built $MM_VERSION in $((SECONDS - started)) s: $cache/bin/mattermost"
}

# ---------------------------------------------------------------- database

# mm_database_url prints the postgres:// URL Mattermost is to use.
mm_database_url() {
  if [ -n "${WEGWIJS_MM_DATABASE_URL:-}" ]; then
    printf '%s\n' "$WEGWIJS_MM_DATABASE_URL"
    return
  fi
  local dsn=${WEGWIJS_TEST_DATABASE_URL:-}
  if [ -z "$dsn" ]; then
    # The project's private test database, as scripts/test.sh starts it.
    export WEGWIJS_DB_DIR="${WEGWIJS_TEST_DB_DIR:-/tmp/wegwijs-test-db}"
    say "starting the test database in $WEGWIJS_DB_DIR"
    go build -o bin/wegwijs ./cmd/wegwijs
    dsn=$(DATABASE_URL= ./bin/wegwijs db start | sed -n 's/^DATABASE_URL voor andere programma.s: //p')
    [ -n "$dsn" ] || die "could not start the test database"
  fi
  keyword_dsn_to_url "$dsn" "$db_name"
}

# keyword_dsn_to_url turns a keyword/value DSN ("host=/dir port=5433
# user=postgres dbname=wegwijs sslmode=disable", as 'wegwijs db start'
# prints it) into a lib/pq URL for database $2 on the same server. A Unix
# socket directory goes in the host query parameter, which lib/pq accepts.
keyword_dsn_to_url() {
  local dsn=$1 database=$2 kv key value
  local host="" port="" user="" password="" sslmode=""
  case $dsn in
    *\'* | *\\*) die "quoted values in the DSN are not supported here: set WEGWIJS_MM_DATABASE_URL" ;;
    postgres://* | postgresql://*) die "WEGWIJS_TEST_DATABASE_URL is a URL; set WEGWIJS_MM_DATABASE_URL instead" ;;
  esac
  for kv in $dsn; do
    key=${kv%%=*} value=${kv#*=}
    case $key in
      host) host=$value ;;
      port) port=$value ;;
      user) user=$value ;;
      password) password=$value ;;
      sslmode) sslmode=$value ;;
    esac
  done
  local q="sslmode=${sslmode:-disable}" auth=${user:-postgres} hostpart=""
  [ -z "$password" ] || auth="$auth:$password"
  if [ "${host:0:1}" = / ]; then
    q="host=$host&$q"
    [ -z "$port" ] || q="port=$port&$q"
  elif [ -n "$host" ]; then
    hostpart=$host${port:+:$port}
  fi
  case "$host$user$password" in
    *[!A-Za-z0-9/._-]*) die "the DSN has characters this script does not URL-encode: set WEGWIJS_MM_DATABASE_URL" ;;
  esac
  printf 'postgres://%s@%s/%s?%s\n' "$auth" "$hostpart" "$database" "$q"
}

# recreate_database drops and creates the database named in URL $1, from a
# connection to the 'postgres' database on the same server.
recreate_database() {
  local url=$1 base query database maint
  base=${url%%\?*}
  query=${url#"$base"}
  database=${base##*/}
  maint=${base%/*}/postgres$query
  [ -n "$database" ] && [ "$database" != postgres ] || die "no database named in $url"
  say "recreating database $database"
  PGOPTIONS="-c client_min_messages=warning" psql "$maint" -v ON_ERROR_STOP=1 -q \
    -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$database\"" >/dev/null
}

# ---------------------------------------------------------------- server

running_pid() {
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # The pid must still be our server, not a recycled number.
  [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$cache/bin/mattermost")" ] || return 1
  printf '%s\n' "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

choose_port() {
  local p
  if [ -n "${WEGWIJS_MM_PORT:-}" ]; then
    port_in_use "$WEGWIJS_MM_PORT" && die "port $WEGWIJS_MM_PORT is in use"
    printf '%s\n' "$WEGWIJS_MM_PORT"
    return
  fi
  for p in $(seq 8065 8099); do
    if ! port_in_use "$p"; then
      printf '%s\n' "$p"
      return
    fi
  done
  die "no free port in 8065-8099; set WEGWIJS_MM_PORT"
}

start() {
  local keep_db=$1 port url pid
  command -v curl >/dev/null 2>&1 || die "curl is needed to wait for the server"
  if pid=$(running_pid); then
    if [ "$keep_db" = 1 ]; then
      say "already running (pid $pid)"
      echo "MATTERMOST_TEST_URL=http://127.0.0.1:$(cat "$run/port")"
      return
    fi
    # 'start' always gives a fresh server.
    stop
  fi
  build
  if [ "$keep_db" = 1 ]; then
    [ -f "$run/port" ] && [ -f "$run/database-url" ] ||
      die "nothing to keep: run 'start' first"
    port=$(cat "$run/port")
    url=$(cat "$run/database-url")
    port_in_use "$port" && die "port $port is in use"
  else
    port=$(choose_port)
    url=$(mm_database_url)
    recreate_database "$url"
    # A fresh database gets a fresh configuration and fresh files.
    rm -rf "$run"/config "$run"/data "$run"/logs "$run"/server.out
    mkdir -p "$run"
    printf '%s\n' "$port" >"$run/port"
    printf '%s\n' "$url" >"$run/database-url"
    chmod 600 "$run/database-url"
  fi
  mkdir -p "$run"/{config,logs,data,client}
  # The server looks for i18n/, templates/ and fonts/ next to the working
  # directory and its binary; client/ (no web app here) stays per run.
  ln -sfn "$cache/i18n" "$run/i18n"
  ln -sfn "$cache/templates" "$run/templates"
  ln -sfn "$cache/fonts" "$run/fonts"

  say "starting on 127.0.0.1:$port (run directory $run)"
  # Environment variables override config.json, which the server writes with
  # its defaults on the first start.
  (
    cd "$run"
    export MM_SQLSETTINGS_DRIVERNAME=postgres
    export MM_SQLSETTINGS_DATASOURCE="$url"
    export MM_SERVICESETTINGS_SITEURL="http://127.0.0.1:$port"
    export MM_SERVICESETTINGS_LISTENADDRESS="127.0.0.1:$port"
    export MM_SERVICESETTINGS_ENABLELOCALMODE=false
    export MM_SERVICESETTINGS_ENABLEBOTACCOUNTCREATION=true
    export MM_SERVICESETTINGS_ENABLEUSERACCESSTOKENS=true
    export MM_SERVICESETTINGS_ENABLECOMMANDS=true
    export MM_SERVICESETTINGS_ENABLEINCOMINGWEBHOOKS=true
    export MM_SERVICESETTINGS_ENABLEOUTGOINGWEBHOOKS=true
    export MM_SERVICESETTINGS_ENABLEPOSTUSERNAMEOVERRIDE=true
    export MM_SERVICESETTINGS_ENABLEPOSTICONOVERRIDE=true
    # Slash commands and interactive buttons call back to test servers on
    # this machine, which Mattermost refuses unless allowed here.
    export MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS="127.0.0.1 localhost ::1 127.0.0.0/8"
    # Nothing may reach for the internet.
    export MM_SERVICESETTINGS_ENABLESECURITYFIXALERT=false
    export MM_SERVICESETTINGS_ENABLELINKPREVIEWS=false
    export MM_SERVICESETTINGS_ENABLEGIFPICKER=false
    export MM_ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED=false
    export MM_ANNOUNCEMENTSETTINGS_USERNOTICESENABLED=false
    export MM_LOGSETTINGS_ENABLEDIAGNOSTICS=false
    export MM_LOGSETTINGS_ENABLESENTRY=false
    export MM_PLUGINSETTINGS_ENABLE=false
    export MM_PLUGINSETTINGS_ENABLEMARKETPLACE=false
    export MM_PLUGINSETTINGS_ENABLEREMOTEMARKETPLACE=false
    export MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS=false
    export MM_EMAILSETTINGS_SENDEMAILNOTIFICATIONS=false
    export MM_EMAILSETTINGS_SENDPUSHNOTIFICATIONS=false
    export MM_EMAILSETTINGS_REQUIREEMAILVERIFICATION=false
    export MM_EMAILSETTINGS_ENABLEPREVIEWMODEBANNER=false
    # Test users sign up freely and test clients are not throttled.
    export MM_TEAMSETTINGS_ENABLEOPENSERVER=true
    export MM_TEAMSETTINGS_ENABLEUSERCREATION=true
    export MM_RATELIMITSETTINGS_ENABLE=false
    export MM_FILESETTINGS_DIRECTORY="$run/data/"
    export MM_LOGSETTINGS_ENABLECONSOLE=false
    export MM_LOGSETTINGS_ENABLEFILE=true
    export MM_LOGSETTINGS_FILELOCATION="$run/logs"
    export MM_LOGSETTINGS_FILELEVEL=INFO
    export MM_NOTIFICATIONLOGSETTINGS_ENABLECONSOLE=false
    export MM_NOTIFICATIONLOGSETTINGS_FILELOCATION="$run/logs"
    exec "$cache/bin/mattermost" server --config "$run/config/config.json" \
      </dev/null >>"$run/server.out" 2>&1
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$pidfile"

  local started=$SECONDS
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/v4/system/ping"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $((SECONDS - started)) -ge 60 ]; then
      say "the server did not answer /api/v4/system/ping within $((SECONDS - started)) s"
      kill "$pid" 2>/dev/null || true
      rm -f "$pidfile"
      say "--- $run/server.out"
      tail -n 20 "$run/server.out" >&2 || true
      say "--- $run/logs/mattermost.log"
      tail -n 30 "$run/logs/mattermost.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  say "up in $((SECONDS - started)) s (pid $pid)"
  echo "MATTERMOST_TEST_URL=http://127.0.0.1:$port"
}

stop() {
  local pid i
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    return 0
  fi
  say "stopping (pid $pid)"
  kill "$pid"
  # The server shuts down gracefully on SIGTERM; give it 20 s.
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after 20 s; killing it"
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

status() {
  local pid
  if pid=$(running_pid); then
    say "running (pid $pid)"
    echo "MATTERMOST_TEST_URL=http://127.0.0.1:$(cat "$run/port")"
  else
    say "not running"
    return 1
  fi
}

case "${1:-}" in
  build) build ;;
  start)
    case "${2:-}" in
      "") start 0 ;;
      --keep-db) start 1 ;;
      *) die "unknown option '$2'; usage: start [--keep-db]" ;;
    esac
    ;;
  restart) stop; start 1 ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 build|start [--keep-db]|restart|stop|status" ;;
esac
