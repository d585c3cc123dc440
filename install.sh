#!/usr/bin/env bash
# Installs what Magic Master needs and builds dist/magic-master. Idempotent: safe to run again.
#   ./install.sh            bun + ffmpeg if missing, dependencies from bun.lock, build
#   ./install.sh --system   the above, then (as root) a system user, /usr/local/bin/magic-master,
#                           /var/lib/magic-master (0750), /etc/magic-master/env (0640, only if absent)
#                           and the systemd unit, enabled and (re)started.
#   ./install.sh --with-test-deps   also Chromium for the web tests and Postgres (the server binaries,
#                                   started by the tests themselves) for the Postgres store tests (.ci/run)
# Re-running never touches the data folder or an existing env file.
set -euo pipefail

cd "$(dirname "$0")"
SYSTEM=0
TEST_DEPS=0
for arg in "$@"; do
  case "$arg" in
    --system) SYSTEM=1 ;;
    --with-test-deps) TEST_DEPS=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v bun >/dev/null 2>&1; then
  say "installing bun (npm i -g bun)"
  if ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
  as_root npm i -g bun >/dev/null
fi
say "bun $(bun --version)"

if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  say "installing ffmpeg (apt-get install -y ffmpeg)"
  apt_install ffmpeg
fi
say "$(ffmpeg -hide_banner -version | head -n1)"

if [ "$TEST_DEPS" -eq 1 ] && ! command -v chromium >/dev/null 2>&1; then
  say "installing chromium for the web tests"
  apt_install chromium fonts-dejavu-core
fi

# The ZIP tests check our archives with Info-ZIP's unzip, an independent reader.
if [ "$TEST_DEPS" -eq 1 ] && ! command -v unzip >/dev/null 2>&1; then
  say "installing unzip for the archive tests"
  apt_install unzip
fi

# The test harness (test/fixtures/postgres.ts) runs initdb/pg_ctl itself; the packaged cluster is not used.
if [ "$TEST_DEPS" -eq 1 ] && ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing postgresql for the Postgres store tests"
  apt_install postgresql
fi

say "bun install --frozen-lockfile"
bun install --frozen-lockfile

say "building dist/magic-master"
bun run build >/dev/null
./dist/magic-master version

if [ "$SYSTEM" -eq 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "install.sh --system must run as root" >&2; exit 1; }
  say "system install"
  id -u magic-master >/dev/null 2>&1 || useradd --system --home-dir /var/lib/magic-master --shell /usr/sbin/nologin magic-master
  install -d -m 0750 -o magic-master -g magic-master /var/lib/magic-master
  install -d -m 0755 /etc/magic-master
  if [ ! -f /etc/magic-master/env ]; then
    ./dist/magic-master validate-env --template > /etc/magic-master/env.new
    chown root:magic-master /etc/magic-master/env.new
    chmod 0640 /etc/magic-master/env.new
    mv /etc/magic-master/env.new /etc/magic-master/env
    say "wrote /etc/magic-master/env from the template (edit it, then: systemctl restart magic-master)"
  fi
  install -m 0755 dist/magic-master /usr/local/bin/magic-master.new
  mv -f /usr/local/bin/magic-master.new /usr/local/bin/magic-master
  install -m 0644 magic-master.service /etc/systemd/system/magic-master.service
  systemctl daemon-reload
  systemctl enable magic-master >/dev/null
  systemctl restart magic-master
  say "magic-master is running: systemctl status magic-master; journalctl -u magic-master -f"
fi
