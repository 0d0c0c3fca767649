#!/usr/bin/env bash
# deploy/k8s/validate.sh: renders every overlay with `kubectl kustomize` (no cluster needed) and
# validates each object against the Kubernetes OpenAPI schemas (npm kubernetes-models, in
# validator/). Installs kubectl (apt) and the validator's npm packages when missing.
# The base's secretGenerator reads files a deployer provides (base/secrets/, git-ignored): the
# overlays are rendered from a copy of this folder whose secrets are made as a deployer would
# make them, by deploy/compose/make-secrets.sh (random values, none of them a placeholder), so a
# checkout's own secrets are neither needed nor read.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! kubectl kustomize --help >/dev/null 2>&1; then
  echo "Installing kubectl (apt-get)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubectl >/dev/null 2>&1 \
    || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null \
    || { echo "error: cannot install kubectl" >&2; exit 1; }
fi
[ -d "$here/validator/node_modules" ] || (cd "$here/validator" && npm ci --no-audit --no-fund --loglevel=error)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir "$out/k8s"
cp -r "$here/base" "$here/overlays" "$out/k8s/"
rm -rf "$out/k8s/base/secrets"
"$here/../compose/make-secrets.sh" "$out/k8s/base/secrets" > /dev/null
for overlay in "$out"/k8s/overlays/*/; do
  name=$(basename "$overlay")
  kubectl kustomize "$overlay" > "$out/$name.yaml" || { echo "error: overlay $name does not build" >&2; exit 1; }
  printf '%-12s ' "$name:"
  node "$here/validator/validate.mjs" "$out/$name.yaml"
done
