#!/usr/bin/env bash
# deploy/compose/make-secrets.sh [DIR]: the secrets of a deployment, made where they are missing
# (an existing file is never replaced: the Postgres roles keep the passwords they were made with)
# in DIR, by default deploy/compose/secrets/ (git-ignored), which docker-compose.yml mounts as
# compose secrets. Every value is random; none is printed except the administrator's password,
# once, when it is made.
#
#   ca.crt, tls.crt, tls.key   cluster TLS: a throw-away CA (its key is not kept) and one member
#                              certificate (serverAuth + clientAuth) and PKCS#8 key every member uses
#                              (CLUSTER_TLS_CA, CLUSTER_TLS_CERT, CLUSTER_TLS_KEY); made again, all
#                              three, when one is missing
#   cluster-identity-key       base64 of 32 random bytes: the HMAC key of caller identities (CLUSTER_IDENTITY_KEY)
#   redis-password             Redis's requirepass (REDIS_PASSWORD)
#   postgres-password          the Postgres superuser's (compose), or your Postgres administrator's (Kubernetes Job)
#   replication-password       the streaming replica's role (compose)
#   catalog-db-password, session-db-password, worker-db-password   each service's own Postgres role
#   admin-password             the administrator the session service makes at first start
#
# Kubernetes reads the same names: `deploy/compose/make-secrets.sh deploy/k8s/base/secrets`, then
# put your Postgres administrator's password in postgres-password and your Redis's in
# redis-password (see deploy/k8s/base/kustomization.yaml). Files are mode 644 in a 700 folder: a
# compose secret is a bind mount that keeps the file's owner and mode, and the services run as
# uid 10001, Postgres and Redis as 999.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/secrets}
command -v openssl >/dev/null || { echo "error: openssl is needed" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
umask 022
made=()

# a random value into $dir/$1, unless it is there already; $2: the openssl rand arguments
value() {
  local file="$dir/$1"
  [ -s "$file" ] && return 0
  printf '%s' "$(openssl rand $2)" > "$file.new" && mv "$file.new" "$file"
  made+=("$1")
}

for name in redis-password postgres-password replication-password catalog-db-password session-db-password \
    worker-db-password admin-password; do
  value "$name" "-hex 24"
done
value cluster-identity-key "-base64 32"

if [ ! -s "$dir/ca.crt" ] || [ ! -s "$dir/tls.crt" ] || [ ! -s "$dir/tls.key" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 3650 -subj "/CN=scaleout cluster CA (throw-away)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
  openssl req -new -newkey rsa:3072 -nodes -subj "/CN=scaleout-member" -keyout "$work/tls.key" -out "$work/member.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:scaleout-member,DNS:gateway,DNS:catalog,DNS:session,DNS:worker,DNS:localhost,IP:127.0.0.1" > "$work/member.ext"
  openssl x509 -req -in "$work/member.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial -sha256 -days 825 \
    -extfile "$work/member.ext" -out "$work/tls.crt" 2>/dev/null
  grep -q -- "-----BEGIN PRIVATE KEY-----" "$work/tls.key" || { echo "error: openssl did not write a PKCS#8 key" >&2; exit 1; }
  mv "$work/ca.crt" "$work/tls.crt" "$work/tls.key" "$dir/"
  made+=(ca.crt tls.crt tls.key)
fi
chmod 644 "$dir"/*

if [ ${#made[@]} -eq 0 ]; then
  echo "make-secrets: every secret is in $dir already"
else
  echo "make-secrets: made ${made[*]} in $dir"
fi
for name in "${made[@]}"; do
  [ "$name" = admin-password ] && echo "  administrator's password (shown once): $(cat "$dir/admin-password")"
done
exit 0
