#!/usr/bin/env bash
# Makes a Debian 12 machine ready for Wegwijs: PostgreSQL 15 with pg_trgm,
# pgvector 0.8 built from Debian's own source package, and poppler-utils
# (pdftotext) for PDF text. Idempotent: when everything is present it only
# checks and returns within a second. Says what it installs.
set -euo pipefail

PG_MAJOR=15
PG_CONFIG=/usr/lib/postgresql/$PG_MAJOR/bin/pg_config
EXT_DIR=/usr/share/postgresql/$PG_MAJOR/extension

say() { printf 'setup: %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "run this script as root or install sudo"; exit 1; fi
fi

need_apt=()
[ -x /usr/lib/postgresql/$PG_MAJOR/bin/postgres ] || need_apt+=(postgresql-$PG_MAJOR)
[ -f "$EXT_DIR/pg_trgm.control" ] || need_apt+=(postgresql-$PG_MAJOR)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
have_vector=0
[ -f "$EXT_DIR/vector.control" ] && have_vector=1

if [ ${#need_apt[@]} -eq 0 ] && [ $have_vector -eq 1 ]; then
  say "PostgreSQL $PG_MAJOR, pg_trgm, pgvector and pdftotext are present; nothing to do"
  exit 0
fi

apt_updated=0
apt_update() {
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq
    apt_updated=1
  fi
}

if [ ${#need_apt[@]} -gt 0 ]; then
  apt_update
  say "installing ${need_apt[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ $have_vector -eq 0 ]; then
  # Debian 12 has no pgvector package; Debian 13 (trixie) has its source
  # package, which builds against PostgreSQL 15. Use the mirror this
  # machine already uses for Debian, never a hard-coded host.
  mirror=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1=="deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  fi
  if [ -z "$mirror" ]; then
    say "cannot find the Debian mirror in /etc/apt/sources.list(.d); add a deb-src line for trixie yourself"
    exit 1
  fi
  src_list=/etc/apt/sources.list.d/wegwijs-trixie-src.list
  if [ ! -f "$src_list" ]; then
    say "adding deb-src for trixie main (source packages only) from the mirror already configured"
    echo "deb-src $mirror trixie main" | $SUDO tee "$src_list" >/dev/null
    apt_updated=0
  fi
  apt_update
  say "installing build tools: postgresql-server-dev-$PG_MAJOR build-essential"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql-server-dev-$PG_MAJOR build-essential dpkg-dev >/dev/null
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  say "downloading the pgvector source package"
  (cd "$work" && apt-get source --download-only -qq pgvector >/dev/null 2>&1) || {
    say "apt-get source pgvector failed: is the trixie deb-src line reachable?"; exit 1; }
  tarball=$(ls "$work"/pgvector_*.orig.tar.* | head -n1)
  mkdir -p "$work/src"
  tar -xf "$tarball" -C "$work/src" --strip-components=1
  say "building pgvector $(basename "$tarball" | sed 's/pgvector_\(.*\)\.orig.*/\1/') for PostgreSQL $PG_MAJOR"
  make -s -C "$work/src" PG_CONFIG=$PG_CONFIG OPTFLAGS="" >/dev/null 2>&1
  $SUDO make -s -C "$work/src" PG_CONFIG=$PG_CONFIG install >/dev/null
  say "pgvector installed in $EXT_DIR"
fi
say "ready"
