#!/usr/bin/env bash
# `make vulncheck` (and part of `make test`): govulncheck over the server's
# module, against a pinned, local copy of the Go vulnerability database.
#
# vuln.go.dev is not reachable from here or from CI, but the module proxy
# is, and it serves golang.org/x/vulndb: the database's OSV entries
# (data/osv) and the indexdb command that turns them into the v1 database
# layout govulncheck reads. Both it and govulncheck are pinned in the tools
# module (deploy/tools); to take newer advisories, bump the vulndb
# pseudo-version there (cd deploy/tools && go get golang.org/x/vulndb@latest
# && go mod tidy). The database is built once per version into
# var/vulndb/<version>/. Exits non-zero when our code reaches a vulnerability
# that deploy/vulncheck-accepted.txt does not list (with its reason); the full
# report is var/vulncheck.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin var

# stale reports whether the tool binary $1 is missing or older than the
# tools module that pins it (the same rule as bin/versitygw in the Makefile).
stale() { [[ ! -x $1 || deploy/tools/go.mod -nt $1 || deploy/tools/go.sum -nt $1 ]]; }

if stale bin/govulncheck || stale bin/indexdb; then
  (cd deploy/tools && go build -o ../../bin/ golang.org/x/vuln/cmd/govulncheck golang.org/x/vulndb/cmd/indexdb)
  touch bin/govulncheck bin/indexdb
fi

# The pinned database module, from the module cache (downloaded through the
# proxy when missing).
(cd deploy/tools && go mod download golang.org/x/vulndb)
read -r version as_of src < <(cd deploy/tools && go list -m -f '{{.Version}} {{.Time.Format "2006-01-02"}} {{.Dir}}' golang.org/x/vulndb)
tool=$(cd deploy/tools && go list -m -f '{{.Version}}' golang.org/x/vuln)
db=var/vulndb/$version
if [[ ! -f $db/index/db.json ]]; then
  tmp=$(mktemp -d var/vulndb.tmp.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
  bin/indexdb -vulns "$src/data/osv" -out "$tmp"
  mkdir -p var/vulndb
  rm -rf var/vulndb/* # databases of earlier pins
  mv "$tmp" "$db"
fi
# The OSV files carry no modification times; the pseudo-version's commit
# time says how recent the database is.
entries=$(find "$db/ID" -name '*.json' | wc -l)
summary="govulncheck $tool ($(go env GOVERSION)), vulndb $version ($entries entries, as of $as_of):"

rc=0
bin/govulncheck -db "file://$PWD/$db" ./... >var/vulncheck.log 2>&1 || rc=$?
if ((rc != 0 && rc != 3)); then
  cat var/vulncheck.log >&2
  echo "$summary govulncheck FAILED to run (exit $rc; see above)" >&2
  exit 1
fi

# Exit 3 means vulnerable code is reached; each such finding is a
# "Vulnerability #N: GO-YYYY-NNNN" heading. Those listed in the accepted file
# are reported but do not fail the run.
found=$(grep -oE '^Vulnerability #[0-9]+: GO-[0-9]+-[0-9]+' var/vulncheck.log | cut -d' ' -f3 | sort -u || true)
accepted=$(grep -oE '^GO-[0-9]+-[0-9]+' deploy/vulncheck-accepted.txt | sort -u || true)
new=$(comm -23 <(echo "$found") <(echo "$accepted") | grep . || true)
known=$(comm -12 <(echo "$found") <(echo "$accepted") | grep . || true)
gone=$(comm -13 <(echo "$found") <(echo "$accepted") | grep . || true)
if ((rc == 3)) && [[ -z $found ]]; then
  cat var/vulncheck.log >&2
  echo "$summary govulncheck reported vulnerabilities this script could not read (see above)" >&2
  exit 1
fi
[[ -n $gone ]] && echo "vulncheck: no longer found, remove from deploy/vulncheck-accepted.txt: "$gone >&2
if [[ -n $new ]]; then
  cat var/vulncheck.log >&2
  echo "$summary VULNERABLE code reached: "$new" (report above and in var/vulncheck.log)" >&2
  exit 1
fi
if [[ -n $known ]]; then
  echo "$summary clean except $(wc -w <<<"$known") accepted findings (deploy/vulncheck-accepted.txt): "$known
else
  echo "$summary no vulnerable code reached"
fi
