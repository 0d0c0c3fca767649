#!/usr/bin/env python3
"""A paced loop of one kind of request beside the chaos suite's load, for what the generator's GETs
do not ask: every INTERVAL seconds for SECONDS, one request; one line per request to OUT:
epoch_ms,status,latency_ms,retry_after,job_id (status 0: no answer within the timeout).

Usage: probe.py BASE_URL KIND TOKEN SECONDS INTERVAL OUT [EXTRA]
       probe.py png FILE   (writes the image the submit probe uploads)
  KIND cart     GET /api/cart as the token's user (the session and the cart live in Redis)
  KIND write    POST /api/products as an administrator in category EXTRA (a catalog write: Postgres and its outbox)
  KIND submit   POST /api/products/EXTRA/image as an administrator (a thumbnail job: Kafka)
  KIND read     GET /api/products?q=... with a new query each time (no cache holds it: Postgres), TOKEN -
  KIND product  GET /api/products/EXTRA (a product the caches hold), TOKEN -
"""
import http.client
import json
import struct
import sys
import time
import urllib.parse
import uuid
import zlib
from pathlib import Path


def png(size=16):
    """A small grey PNG, for the worker to scale."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png()


def request(kind, token, extra):
    auth = {"Authorization": f"Bearer {token}"}
    if kind == "cart":
        return "GET", "/api/cart", None, auth
    if kind == "write":
        sku = f"chaos-{uuid.uuid4().hex[:12]}"
        body = json.dumps({"sku": sku, "name": "Chaos probe", "category": extra, "priceCents": 100,
                           "currency": "EUR", "stock": 1}).encode()
        return "POST", "/api/products", body, {**auth, "Content-Type": "application/json"}
    if kind == "submit":
        return "POST", f"/api/products/{extra}/image", PNG, {**auth, "Content-Type": "image/png"}
    if kind == "read":
        return "GET", f"/api/products?limit=2&q=probe{uuid.uuid4().hex[:12]}", None, {}
    if kind == "product":
        return "GET", f"/api/products/{extra}", None, {}
    raise SystemExit(f"unknown kind {kind}")


def main():
    if sys.argv[1] == "png":
        Path(sys.argv[2]).write_bytes(PNG)
        return
    base, kind, token, seconds, interval, out = (sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]),
                                                 float(sys.argv[5]), Path(sys.argv[6]))
    extra = sys.argv[7] if len(sys.argv) > 7 else None
    url = urllib.parse.urlsplit(base)
    with out.open("w") as log:
        end = time.time() + seconds
        due = time.time()
        while time.time() < end:
            method, path, body, headers = request(kind, token, extra)
            began = time.time()
            status, retry_after, reply = 0, "", b""
            try:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                status, retry_after, reply = response.status, response.getheader("Retry-After") or "", response.read()
                conn.close()
            except OSError:
                pass
            took = (time.time() - began) * 1000
            job = json.loads(reply).get("jobId", "") if kind == "submit" and status == 202 else ""
            log.write(f"{int(began * 1000)},{status},{took:.0f},{retry_after},{job}\n")
            log.flush()
            due += interval
            time.sleep(max(0.0, due - time.time()))


if __name__ == "__main__":
    main()
