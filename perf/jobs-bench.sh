#!/usr/bin/env bash
# perf/jobs-bench.sh: how fast the running cluster's workers get through jobs, end to end through
# the gateway: JOBS_BENCH_IMAGES thumbnail jobs (1600x800 PNGs uploaded JOBS_BENCH_PARALLEL at a
# time; from the first upload to the last job succeeded), then one import of JOBS_BENCH_ROWS CSV
# rows (from the start of the upload to the job succeeded), with each worker's heap after it.
# Needs a running local cluster (deploy/local/up.sh), curl and python3 (to make the test data).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/deploy/local/lib.sh"

IMAGES=${JOBS_BENCH_IMAGES:-200}
PARALLEL=${JOBS_BENCH_PARALLEL:-8}
ROWS=${JOBS_BENCH_ROWS:-1000000}
base="http://127.0.0.1:$(http_port 1)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

token=$(curl -fsS -m 30 -X POST "$base/api/sessions" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$(admin_email)\",\"password\":\"$(admin_password)\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "the administrator cannot sign in"
auth=(-H "Authorization: Bearer $token")

python3 - "$work" "$ROWS" <<'PY'
import struct, sys, zlib
work, rows = sys.argv[1], int(sys.argv[2])
w, h = 1600, 800
raw = b''.join(b'\x00' + bytes(v for x in range(w) for v in ((x * 7 + y) % 256, (y * 3) % 256, (x ^ y) % 256)) for y in range(h))
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
with open(f'{work}/image.png', 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))
with open(f'{work}/import.csv', 'w') as f:
    f.write('sku,name,description,category,priceCents,currency,stock\n')
    for i in range(rows):
        f.write(f'bench-{i},Bench product {i},Imported by the jobs bench,bench-{i % 20},{100 + i % 5000},EUR,{i % 50}\n')
PY

product=$(curl -fsS -m 10 -X POST "$base/api/products" "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"sku\":\"jobs-bench-$(date +%s)-$$\",\"name\":\"Jobs bench\",\"category\":\"bench\",\"priceCents\":100,\"currency\":\"EUR\",\"stock\":1}" \
  | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
[ -n "$product" ] || die "cannot create the bench product"

status_of() { curl -fsS -m 10 "$base/api/jobs/$1" "${auth[@]}" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'; }
await_jobs() {
  local id
  for id in "$@"; do
    until [ "$(status_of "$id")" = succeeded ]; do
      [ "$(status_of "$id")" = dead ] && die "job $id is dead"
      sleep 0.2
    done
  done
}
now() { date +%s.%N; }

say "thumbnails: $IMAGES uploads of $(stat -c %s "$work/image.png") bytes, $PARALLEL at a time..."
start=$(now)
seq 1 "$IMAGES" | xargs -P "$PARALLEL" -I{} curl -fsS -m 60 -X POST "$base/api/products/$product/image" "${auth[@]}" \
  -H 'Content-Type: image/png' --data-binary "@$work/image.png" -o "$work/upload-{}.json"
mapfile -t jobs < <(sed -n 's/.*"jobId":"\([^"]*\)".*/\1/p' "$work"/upload-*.json)
[ "${#jobs[@]}" = "$IMAGES" ] || die "only ${#jobs[@]} of $IMAGES uploads were accepted"
await_jobs "${jobs[@]}"
thumbs=$(awk -v s="$start" -v e="$(now)" -v n="$IMAGES" 'BEGIN { printf "%.1f s, %.1f jobs/s", e - s, n / (e - s) }')
say "thumbnails: $thumbs"

say "import: $ROWS rows ($(stat -c %s "$work/import.csv") bytes)..."
start=$(now)
job=$(curl -fsS -m 120 -X POST "$base/api/imports" "${auth[@]}" -H 'Content-Type: text/csv' --data-binary "@$work/import.csv" \
  | sed -n 's/.*"jobId":"\([^"]*\)".*/\1/p')
await_jobs "$job"
imported=$(awk -v s="$start" -v e="$(now)" -v n="$ROWS" 'BEGIN { printf "%.1f s, %.0f rows/s", e - s, n / (e - s) }')
say "import: $imported"
say "$(curl -fsS -m 10 "$base/api/jobs/$job" "${auth[@]}" | head -c 300)"
for port in $(seq "$(mgmt_port worker 1)" "$(( $(mgmt_port worker 1) + 7 ))"); do
  heap=$(curl -fsS -m 5 "http://127.0.0.1:$port/metrics" 2>/dev/null \
    | awk '/^jvm_memory_used_bytes/ && /area="heap"/ { s += $NF } END { if (s) printf "%.0f MiB", s / 1048576 }') || continue
  [ -n "$heap" ] && say "worker on $port: heap in use $heap"
done
