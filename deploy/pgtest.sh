#!/usr/bin/env bash
# Starts (or reuses) a throwaway PostgreSQL cluster for the test suite and
# prints the TEST_POSTGRES_URL to use; "stop" stops it again.
#   deploy/pgtest.sh start   -> prints postgres://… on stdout
#   deploy/pgtest.sh stop
# It uses the machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/N/bin).
# As root the cluster runs as the "postgres" user, since initdb refuses root.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dir=${PGTEST_DIR:-$here/var/pgtest}
port=${PGTEST_PORT:-}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $bindir ]] && command -v initdb >/dev/null; then bindir=$(dirname "$(command -v initdb)"); fi
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
  echo "pgtest: no PostgreSQL server binaries found (apt-get install -y postgresql)" >&2
  exit 3
fi

as_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$dir"
  if [[ $(id -u) == 0 ]]; then chown postgres: "$dir"; fi
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$dir/data/postmaster.pid")
  else
    launch
  fi
  echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

# launch starts the cluster on PGTEST_PORT, or on a port that looks free.
# Another server can take that port between the look and PostgreSQL's
# bind ("Address already in use"), so without a fixed port it tries again
# on another one.
launch() {
  local fixed=$port try
  for try in 1 2 3 4 5 6 7 8; do
    [[ -n $fixed ]] || port=$(free_port)
    rm -f "$dir/server.log"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
      return
    fi
    if [[ -n $fixed ]] || ! grep -qiE 'address already in use|could not bind|could not create any TCP' "$dir/server.log"; then
      cat "$dir/server.log" >&2
      exit 1
    fi
    echo "pgtest: port $port was taken before PostgreSQL could bind it (try $try); trying another" >&2
  done
  cat "$dir/server.log" >&2
  exit 1
}

# free_port picks a loopback port that nothing listens on, starting at a
# random place in 55432-55931 so that runs side by side rarely collide.
free_port() {
  local p i start=$((55432 + RANDOM % 500))
  for i in $(seq 0 499); do
    p=$((55432 + (start - 55432 + i) % 500))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "pgtest: no free port in 55432-55931" >&2
  exit 1
}

stop() {
  [[ -f $dir/data/PG_VERSION ]] || return 0
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}

case ${1:-start} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
