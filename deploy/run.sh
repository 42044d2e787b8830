#!/usr/bin/env bash
# `make run`: starts the local S3 server (Versity S3 Gateway) with its data
# under var/, migrates the database, loads the demo data on first run and
# serves Dakiya. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

var=${DAKIYA_VAR:-var}
s3_port=${DAKIYA_S3_PORT:-9000}
mkdir -p "$var/s3/data"

# Development S3 credentials, made once and kept beside the data.
if [[ ! -f $var/s3/credentials ]]; then
  umask 077
  printf 'DAKIYA_S3_ACCESS_KEY=dev%s\nDAKIYA_S3_SECRET_KEY=%s\n' \
    "$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$var/s3/credentials"
fi
set -a
# shellcheck disable=SC1091
source "$var/s3/credentials"
DAKIYA_S3_ENDPOINT=${DAKIYA_S3_ENDPOINT:-http://127.0.0.1:$s3_port}
set +a

if (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null; then
  echo "run: port $s3_port is taken; set DAKIYA_S3_PORT to another port" >&2
  exit 1
fi
# start_gateway [--sidecar DIR]: the posix backend keeps object metadata in
# extended attributes, or in a sidecar folder where the filesystem has none.
start_gateway() {
  bin/versitygw --access "$DAKIYA_S3_ACCESS_KEY" --secret "$DAKIYA_S3_SECRET_KEY" \
    --port "127.0.0.1:$s3_port" --keep-alive --quiet posix "$@" "$var/s3/data" \
    >"$var/s3/gateway.log" 2>&1 &
  gw=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && return 0
    kill -0 $gw 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

gw=
trap '[[ -n $gw ]] && kill $gw 2>/dev/null; wait 2>/dev/null || true' EXIT
if ! start_gateway; then
  if grep -q xattr "$var/s3/gateway.log"; then
    mkdir -p "$var/s3-meta"
    start_gateway --sidecar "$var/s3-meta" || { cat "$var/s3/gateway.log" >&2; exit 1; }
  else
    echo "run: the S3 gateway did not start:" >&2; cat "$var/s3/gateway.log" >&2; exit 1
  fi
fi

bin/dakiya migrate
bin/dakiya demo

addr=${DAKIYA_ADDR:-127.0.0.1:8080}
# The development outbox shows every code: open to anyone on this machine
# for the demo (it is never served on a non-loopback address).
export DAKIYA_DEV_OUTBOX=${DAKIYA_DEV_OUTBOX:-1}
cat <<TXT

  Dakiya is starting on http://$addr
  S3 (Versity gateway) on $DAKIYA_S3_ENDPOINT, data in $var/s3/data

  Demo logins (password: dakiya-demo)
    admin                                   all centres
    supervisor1, postman1, postman2, postman3   Koramangala, Bengaluru
    supervisor2, postman4                   Jaipur City
    postman5 (Koramangala), postman6, postman7 (Jaipur)   relievers without a beat (rosters)
    sorter1 (Koramangala), sorter2 (Jaipur) the app's sorting screen
  The console (http://$addr/console): Forecast, Roster, Beat plan and Sorting
  screens beside the others.

  Try:  curl -s -H 'Content-Type: application/json' \\
          -d '{"username":"supervisor1","password":"dakiya-demo"}' http://$addr/api/v1/auth/login

  The postman's app: open http://$addr/ in a phone-sized window and log in as postman1.
  The partner API: the demo partner's key is in $var/demo-partner-key;
    curl -s -H "Authorization: Bearer \$(cat $var/demo-partner-key)" http://$addr/api/v1/webhooks
  Codes and slot links sent to recipients: http://$addr/api/v1/dev/sms?phone=%2B91…
  (served only on a loopback address; DAKIYA_DEV_OUTBOX=0 keeps it to admins)

  Ctrl-C stops the server and the S3 gateway.

TXT
bin/dakiya serve
