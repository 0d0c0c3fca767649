#!/usr/bin/env python3
"""The worker-kill scenario's client: thumbnail jobs for many products through the gateway, and the
check that none was lost and each product's images were set once.

Usage: jobs.py prepare BASE_URL TOKEN COUNT OUT   creates COUNT products, one id a line in OUT
       jobs.py submit BASE_URL TOKEN OUT          an image upload for each product in OUT; job ids to OUT.jobs
       jobs.py check BASE_URL TOKEN OUT SECONDS   waits for every job to end, then checks every product
A product is created at version 1; setting its images makes it version 2, and a job run again (after
its worker was killed) writes nothing when the images are already set: any other version is a
second write. Prints one summary line; exit status 1 when a job is lost or failed, or a product's
images are missing or were set twice.
"""
import concurrent.futures
import http.client
import json
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from probe import PNG  # noqa: E402 (the same small PNG the submit probe uploads)

command, base, token = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlsplit(base)
AUTH = {"Authorization": f"Bearer {token}"}


def call(method, path, body=None, headers=None):
    for attempt in range(5):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers={**AUTH, **(headers or {})})
            response = conn.getresponse()
            data = response.read()
            if response.status == 429:
                time.sleep(float(response.getheader("Retry-After") or 1))
                continue
            return response.status, data
        except OSError:
            return 0, b""
        finally:
            conn.close()
    return 429, b""


def create(_):
    body = json.dumps({"sku": f"chaos-job-{uuid.uuid4().hex[:12]}", "name": "Chaos job", "category": "chaos-jobs",
                       "priceCents": 100, "currency": "EUR", "stock": 1})
    status, data = call("POST", "/api/products", body, {"Content-Type": "application/json"})
    if status != 201:
        raise SystemExit(f"creating a product answered {status}: {data[:200]!r}")
    return json.loads(data)["id"]


def submit(product):
    status, data = call("POST", f"/api/products/{product}/image", PNG, {"Content-Type": "image/png"})
    if status != 202:
        raise SystemExit(f"submitting a job for product {product} answered {status}: {data[:200]!r}")
    return f"{product},{json.loads(data)['jobId']}"


def job_status(line):
    product, job = line.split(",")
    status, data = call("GET", f"/api/jobs/{job}")
    return line, json.loads(data).get("status") if status == 200 else f"http-{status}"


def product_state(product):
    status, data = call("GET", f"/api/products/{product}", headers={"Cache-Control": "no-cache"})
    found = json.loads(data) if status == 200 else {}
    return product, found.get("version"), len(found.get("images") or [])


pool = concurrent.futures.ThreadPoolExecutor(8)
if command == "prepare":
    count, out = int(sys.argv[4]), Path(sys.argv[5])
    out.write_text("".join(f"{i}\n" for i in pool.map(create, range(count))))
elif command == "submit":
    out = Path(sys.argv[4])
    products = out.read_text().split()
    Path(f"{out}.jobs").write_text("".join(f"{line}\n" for line in pool.map(submit, products)))
elif command == "check":
    out, seconds = Path(sys.argv[4]), float(sys.argv[5])
    pending = Path(f"{out}.jobs").read_text().split()
    ended = {}
    deadline = time.time() + seconds
    while pending and time.time() < deadline:
        for line, status in pool.map(job_status, pending):
            if status in ("succeeded", "dead"):
                ended[line] = status
        pending = [line for line in pending if line not in ended]
        if pending:
            time.sleep(2)
    states = list(pool.map(product_state, [line.split(",")[0] for line in ended]))
    dead = sum(1 for s in ended.values() if s == "dead")
    twice = [p for p, version, _ in states if version != 2]
    bare = [p for p, _, images in states if images == 0]
    broken = []
    if pending:
        broken.append(f"{len(pending)} jobs never ended")
    if dead:
        broken.append(f"{dead} jobs dead")
    if bare:
        broken.append(f"{len(bare)} products without images")
    if twice:
        broken.append(f"{len(twice)} products not at version 2 (e.g. {twice[:3]})")
    verdict = "kept" if not broken else "BROKEN: " + "; ".join(broken)
    print(f"  jobs: {len(ended) + len(pending)} submitted, {len(ended) - dead} succeeded, every product's images set "
          f"{'once' if not twice and not bare else 'NOT once'}; promise {verdict}")
    raise SystemExit(1 if broken else 0)
