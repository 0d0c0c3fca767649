#!/usr/bin/env python3
"""Checks a probe's answers (probe.py's lines: epoch_ms,status,latency_ms,retry_after,job_id) against
what a scenario promises before, during and after a fault. Prints one summary line; exit status 1
when a promise is not kept.

Usage: verdict.py NAME FILE FAULT_MS BACK_MS --outside CODES --during CODES [--grace-ms 3000]
                  [--during-max-ms MS] [--retry-after]
  --outside        statuses allowed before the fault and after it ended (comma-separated)
  --during         statuses allowed while the fault lasts
  --grace-ms       after the fault begins and after it ends, either set is allowed this long
  --during-max-ms  every answer during the fault within this many ms (a clear error, not a hang)
  --retry-after    every 503 carries Retry-After
"""
import argparse
import collections

p = argparse.ArgumentParser()
p.add_argument("name")
p.add_argument("file")
p.add_argument("fault_ms", type=int)
p.add_argument("back_ms", type=int)
p.add_argument("--outside", required=True)
p.add_argument("--during", required=True)
p.add_argument("--grace-ms", type=int, default=3000)
p.add_argument("--during-max-ms", type=float)
p.add_argument("--retry-after", action="store_true")
a = p.parse_args()
outside = {int(c) for c in a.outside.split(",")}
during = {int(c) for c in a.during.split(",")}

counts = {"before": collections.Counter(), "during": collections.Counter(), "after": collections.Counter()}
slowest = 0.0
broken = []
for line in open(a.file):
    at, status, took, retry_after, _ = line.rstrip("\n").split(",", 4)
    at, status, took = int(at), int(status), float(took)
    in_fault = a.fault_ms <= at < a.back_ms
    phase = "before" if at < a.fault_ms else "during" if in_fault else "after"
    counts[phase][status] += 1
    near = a.fault_ms <= at < a.fault_ms + a.grace_ms or a.back_ms <= at < a.back_ms + a.grace_ms
    allowed = (during if in_fault else outside) | (outside | during if near else set())
    if status not in allowed:
        broken.append(f"{status} {phase} at +{(at - a.fault_ms) / 1000:.1f}s")
    if in_fault:
        slowest = max(slowest, took)
        if a.during_max_ms is not None and took > a.during_max_ms and not near:
            broken.append(f"{took:.0f} ms answer during the fault")
    if a.retry_after and status == 503 and not retry_after:
        broken.append("503 without Retry-After")

show = lambda c: " ".join(f"{k}x{v}" for k, v in sorted(c.items())) or "none"
verdict = "kept" if not broken else "BROKEN: " + "; ".join(sorted(set(broken))[:6])
print(f"  {a.name}: before {show(counts['before'])}; during {show(counts['during'])} (slowest {slowest:.0f} ms); "
      f"after {show(counts['after'])}; promise {verdict}")
raise SystemExit(1 if broken else 0)
