#!/usr/bin/env bash
# Makes a throw-away certificate authority for the event bus's mutual TLS and one certificate per
# name signed by it: DIR/ca.crt (give to every member as CLUSTER_TLS_CA), DIR/NAME.crt and DIR/NAME.key
# (CLUSTER_TLS_CERT, CLUSTER_TLS_KEY). ECDSA P-256 keys, PKCS#8, valid DAYS (default 30) days. An
# authority already in DIR is reused, so members made later still trust the earlier ones. Needs openssl.
#   deploy/local/cluster-certs.sh DIR [NAME...]     (NAME defaults to "member")
set -euo pipefail
dir=${1:?usage: cluster-certs.sh DIR [NAME...]}
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(member)
days=${DAYS:-30}
command -v openssl >/dev/null || { echo "error: cluster-certs.sh needs openssl (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
umask 077
if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -days "$days" -subj "/CN=scaleout cluster authority $(date +%s)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
fi
for name in "${names[@]}"; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
    -subj "/CN=scaleout $name" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
done
chmod 644 "$dir/ca.crt" "$dir"/*.crt
