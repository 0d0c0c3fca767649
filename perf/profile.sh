#!/usr/bin/env bash
# perf/profile.sh PID URL [SECONDS] [CONNECTIONS]: where a JVM spends its CPU under load. Records
# JFR execution samples (default settings: every 20 ms per running thread) of the JVM PID while
# wrk loads URL, then prints the share of samples per part of the code — Netty, Jackson,
# Micrometer, logging, the event bus, Vert.x HTTP and Web, Redis client, Hazelcast, scaleout —
# as self time (the sample's first frame outside the JDK) and inclusive (a sample counts for
# every part on its stack), and the top methods by self time. For BENCHMARKS.md's "where the
# time goes"; JFR slows the JVM while it records, so read shares, not the throughput.
set -euo pipefail
pid=${1:?usage: perf/profile.sh PID URL [SECONDS] [CONNECTIONS]}
url=${2:?usage: perf/profile.sh PID URL [SECONDS] [CONNECTIONS]}
seconds=${3:-20}
connections=${4:-64}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jcmd "$pid" JFR.start name=profile settings=default "filename=$out/cpu.jfr" >/dev/null
wrk -t2 -c"$connections" -d"${seconds}s" "$url" | grep -E 'Requests/sec|Latency'
jcmd "$pid" JFR.stop name=profile >/dev/null
jfr print --json --events jdk.ExecutionSample --stack-depth 96 "$out/cpu.jfr" > "$out/samples.json"
python3 - "$out/samples.json" <<'PY'
import json, sys, collections
PARTS = [
    ("scaleout", "io.scaleout."), ("logging (logback, logstash encoder)", ("ch.qos.logback.", "net.logstash.")),
    ("Jackson", "com.fasterxml.jackson."), ("Micrometer and Vert.x metrics", ("io.micrometer.", "io.vertx.micrometer.")),
    ("Vert.x event bus", "io.vertx.core.eventbus."), ("Vert.x HTTP", "io.vertx.core.http."),
    ("Vert.x Web", "io.vertx.ext.web."), ("Vert.x Redis client", "io.vertx.redis."),
    ("Hazelcast", "com.hazelcast."), ("Netty", "io.netty."),
]
events = json.load(open(sys.argv[1]))["recording"]["events"]
total = 0
inclusive = collections.Counter()
own = collections.Counter()
spent = collections.Counter()
def part_of(name):
    return next((part for part, prefixes in PARTS if name.startswith(prefixes)), None)
for event in events:
    frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
    names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
    if not names:
        continue
    total += 1
    own[names[0]] += 1
    # self time goes to the first frame outside the JDK: the code that asked for the work
    spent[next((p for p in map(part_of, names) if p), "other")] += 1
    for part, prefixes in PARTS:
        if any(name.startswith(prefixes) for name in names):
            inclusive[part] += 1
print(f"{total} samples")
print("part                                   self  inclusive")
for part in [p for p, _ in PARTS] + ["other"]:
    print(f"  {part:<36} {100.0 * spent[part] / max(total, 1):5.1f}%  {100.0 * inclusive[part] / max(total, 1):5.1f}%")
print("top methods (self)")
for name, count in own.most_common(15):
    print(f"  {100.0 * count / max(total, 1):5.1f}%  {name}")
PY
