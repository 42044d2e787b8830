#!/usr/bin/env bash
# `make test`: every test, on SQLite, on PostgreSQL and against a real S3
# server. PostgreSQL comes from TEST_POSTGRES_URL or a throwaway cluster of
# the machine's PostgreSQL; without either the PostgreSQL suite is skipped
# loudly (and in CI the run fails). The full verbose log is var/test.log.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

banner() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$1" >&2; }

export DAKIYA_REQUIRE_S3=1
# CI has ../shared beside the checkout; there the routing suites must run.
[[ -n ${CI:-} ]] && export DAKIYA_REQUIRE_SHARED=1
export DAKIYA_VERSITYGW=$PWD/bin/versitygw

started_pg=
if [[ -z ${TEST_POSTGRES_URL:-} ]]; then
  if url=$(deploy/pgtest.sh start); then
    export TEST_POSTGRES_URL=$url started_pg=1
  elif [[ -n ${CI:-} ]]; then
    banner "CI: PostgreSQL could not be started; the PostgreSQL suite must run in CI"
    exit 1
  else
    banner "POSTGRESQL NOT AVAILABLE: the PostgreSQL suite will be SKIPPED (set TEST_POSTGRES_URL or install postgresql)"
  fi
fi
[[ -n ${TEST_POSTGRES_URL:-} ]] && export DAKIYA_REQUIRE_POSTGRES=1
trap '[[ -n $started_pg ]] && deploy/pgtest.sh stop' EXIT

# The PWA's end-to-end test (server/e2e_test.go) drives Debian's Chromium
# with playwright-core from e2e/; without them it is skipped loudly, and in
# CI it must run.
[[ -n ${CI:-} ]] && export DAKIYA_REQUIRE_E2E=1
if [[ ! -d e2e/node_modules || e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]] && command -v npm >/dev/null; then
  npm ci --prefix e2e --no-audit --no-fund --loglevel=error >var/npm-e2e.log 2>&1 ||
    { cat var/npm-e2e.log >&2; banner "npm ci --prefix e2e failed: the end-to-end suite cannot run"; }
fi

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n $unformatted ]]; then echo "gofmt wants: $unformatted" >&2; exit 1; fi
go vet ./... || exit 1
# Known vulnerabilities reached from our code, against the pinned database
# (deploy/vulncheck.sh; offline but for the module proxy).
deploy/vulncheck.sh || { banner "govulncheck: vulnerable code reached, or the check could not run (see above)"; exit 1; }

# --- deployment files (issue 14): Dockerfile, compose, Kubernetes manifests,
# checked without a Docker engine or a cluster (deploy/deploycheck.sh).
deploy/deploycheck.sh || { banner "deploycheck: a deployment file is broken, or a broken copy was accepted (see above)"; exit 1; }
# --- end deployment files

echo "go test -race -count=1 ./...   (verbose log: var/test.log)"
go test -race -count=1 -timeout 70m -v ./... >var/test.log 2>&1
rc=$?

grep -E '^(ok|FAIL|\?)\s' var/test.log | grep -v 'no test files'
if ((rc != 0)); then
  echo; echo "Failures (from var/test.log):"
  grep -v -E '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- PASS|PASS$)' var/test.log | grep -v -E '^(ok|\?)\s' | tail -n 300
fi
grep -h 'SUITE SKIPPED' var/test.log | sort | uniq -c | while read -r line; do banner "$line"; done

count() { grep -cE -e "$1" var/test.log || true; }
echo
echo "SQLite suite:     $(count '--- PASS: .*/sqlite \(') subtests passed"
echo "PostgreSQL suite: $(count '--- PASS: .*/postgres \(') subtests passed, $(count 'testkit: postgres database .* created') databases"
echo "S3 suite:         $(count 'testkit: S3 gateway started') tests against a local Versity S3 Gateway"
echo "E2E suite:        $(count 'e2e: .* passed in headless Chromium') browser scripts passed in headless Chromium"
# privacy (retention, audit): the retention job and the audit log, on both databases
echo "Privacy suite:    $(count '--- PASS: (TestRetentionJob|TestAuditLog|TestPrivacyRequests)/(sqlite|postgres) \(') retention, audit-log and data-principal subtests passed (6 expected)"
# privacy (retention, audit): block above this line
echo "tests: $(count '--- PASS:') passed, $(count '--- FAIL:') failed, $(count '--- SKIP:') skipped"
exit $rc
