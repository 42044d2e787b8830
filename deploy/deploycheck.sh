#!/usr/bin/env bash
# Part of `make test`: checks the deployment files without a container
# engine or a cluster (README: Deploying).
#
#  - deploy/Dockerfile: BuildKit's parser; multi-stage, static build,
#    pinned bases (no latest), distroless or scratch final stage running as
#    a non-root USER, HEALTHCHECK.
#  - deploy/compose.yaml: compose-go's loader, as `docker compose` loads it:
#    the compose-spec schema, interpolation against compose.env.example,
#    references between services, networks, volumes and secrets; and our
#    rules (health checks, replicas wait for migrate, no secrets written in).
#  - deploy/k8s: rendered with kustomize's library as `kubectl apply -k`
#    renders it, then kubeconform -strict against the pinned Kubernetes
#    schemas in deploy/k8s/schemas (deploy/k8s/schemas/README.md), and our
#    rules (readiness on /readyz, non-root, read-only root, secrets by
#    reference, no Secret).
#
# Then every file in deploy/testdata/broken must be refused, each for the
# reason its table row names: a check that cannot fail proves nothing.
# The tools are built from the tools module (deploy/tools) into bin/ when
# missing or older than their sources.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin var

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
t0=$(now)
newer() { [[ -n $(find "$@" -newer "$1" -print -quit 2>/dev/null) ]]; }
if [[ ! -x bin/kubeconform || ! -x bin/deploycheck ]] ||
  newer bin/deploycheck deploy/tools/go.mod deploy/tools/go.sum deploy/tools/deploycheck ||
  newer bin/kubeconform deploy/tools/go.mod deploy/tools/go.sum; then
  (cd deploy/tools && go build -o ../../bin/ ./deploycheck github.com/yannh/kubeconform/cmd/kubeconform)
  touch bin/kubeconform bin/deploycheck
fi
t1=$(now)

schemas='deploy/k8s/schemas/{{.ResourceKind}}{{.KindSuffix}}.json'
kubeconform() { bin/kubeconform -strict -schema-location "$schemas" "$@"; }
k8s() { bin/deploycheck k8s "$1" && kubeconform "$1"; }
# A kustomization is checked as `kubectl apply -k` would apply it: rendered
# by kustomize's library (namespace, labels and image applied), then the
# rules and the schemas on the rendered stream (var/deploycheck-k8s.yaml).
kustomization() {
  bin/deploycheck kustomize "$1" >var/deploycheck-k8s.yaml &&
    bin/deploycheck k8s var/deploycheck-k8s.yaml && kubeconform -summary var/deploycheck-k8s.yaml
}
compose() { bin/deploycheck compose -env-file deploy/compose.env.example "$1"; }
dockerfile() { bin/deploycheck dockerfile "$1"; }

# The pinned schemas are what the generator makes (opt-in: it downloads the
# k8s.io/kubernetes module; deploy/k8s/schemas/README.md).
if [[ -n ${DEPLOYCHECK_SCHEMAS:-} ]]; then
  fresh=$(mktemp -d)
  (cd deploy/tools && go run ./k8sschema -out "$fresh" >/dev/null)
  diff -r -x README.md deploy/k8s/schemas "$fresh" >/dev/null ||
    { echo "deploycheck: deploy/k8s/schemas differ from what deploy/tools/k8sschema writes; regenerate them" >&2; rm -rf "$fresh"; exit 1; }
  rm -rf "$fresh"
  echo "deploycheck: the pinned Kubernetes schemas are what deploy/tools/k8sschema writes"
fi

# The real files.
dockerfile deploy/Dockerfile
compose deploy/compose.yaml
kustomization deploy/k8s
objects=$(grep -c '^kind: ' var/deploycheck-k8s.yaml)
kubeconform deploy/k8s/secret.example.yaml # never applied, but its shape is checked too

# The broken copies: checker, file, a phrase the refusal must contain.
refused=0
while read -r check file want; do
  [[ -z $check || $check == \#* ]] && continue
  if out=$($check "deploy/testdata/broken/$file" 2>&1); then
    echo "deploycheck: deploy/testdata/broken/$file was ACCEPTED; it must be refused ($want)" >&2
    exit 1
  fi
  if ! grep -qF -- "$want" <<<"$out"; then
    printf 'deploycheck: deploy/testdata/broken/%s was refused, but not for "%s":\n%s\n' "$file" "$want" "$out" >&2
    exit 1
  fi
  refused=$((refused + 1))
done <<'TABLE'
dockerfile Dockerfile.root           final stage runs as USER root
dockerfile Dockerfile.nouser         final stage has no USER
dockerfile Dockerfile.latest         uses the moving latest tag
dockerfile Dockerfile.nohealth       no HEALTHCHECK
dockerfile Dockerfile.single         must be multi-stage
compose    compose-unknown-key.yaml  services.minio.restrat
compose    compose-missing-service.yaml depends on undefined service "postgres-db"
compose    compose-unset-variable.yaml required variable DAKIYA_SMS_API_KEY is missing
compose    compose-plain-secret.yaml DAKIYA_SMS_KEY is written in the file
compose    compose-no-migrate-wait.yaml must depend on migrate with condition service_completed_successfully
k8s        deployment-typo.yaml      additional properties 'replica' not allowed
k8s        deployment-bad-type.yaml  got string, want integer
k8s        deployment-no-readiness.yaml readinessProbe must be an httpGet of /readyz
k8s        deployment-root.yaml      runAsNonRoot is not true
k8s        deployment-plain-secret.yaml env DAKIYA_SECRET_KEY is written in the manifest
kustomization kustomize-secret      a Secret is never deployed
kustomization kustomize-missing     deployment.yaml: no such file or directory
TABLE
broken=$(find deploy/testdata/broken -mindepth 1 -maxdepth 1 | wc -l)
if ((refused != broken)); then
  echo "deploycheck: $broken files in deploy/testdata/broken but $refused rows in the table" >&2
  exit 1
fi
t2=$(now)
printf 'deploycheck: Dockerfile, compose.yaml and the %d objects of deploy/k8s pass; %d broken copies refused, each for its reason (tools %ss, checks %ss)\n' \
  "$objects" "$refused" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")"
