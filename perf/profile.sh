#!/usr/bin/env bash
# perf/profile.sh PID URL [SECONDS] [CONNECTIONS]: where a JVM spends its CPU under load. Loads
# async-profiler (from Maven Central, tools.profiler:async-profiler) into the JVM PID, samples its
# CPU every millisecond while wrk loads URL, then prints the share of samples per part of the code
# (kernel, Netty, the event bus, Vert.x HTTP and Web, Micrometer, logging, Jackson, Redis client,
# Hazelcast, scaleout, GC and JIT) as self time (the part of the innermost frame that is not the
# JDK's) and inclusive (a sample counts for every part on its stack), and the top methods by self
# time. For BENCHMARKS.md's "where the time goes".
set -euo pipefail
pid=${1:?usage: perf/profile.sh PID URL [SECONDS] [CONNECTIONS]}
url=${2:?usage: perf/profile.sh PID URL [SECONDS] [CONNECTIONS]}
seconds=${3:-20}
connections=${4:-64}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AP_VERSION=${ASYNC_PROFILER_VERSION:-4.1}
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$jar" ] || mvn -B -q -ntp dependency:get "-Dartifact=tools.profiler:async-profiler:$AP_VERSION" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
unzip -q -o -j "$jar" "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so" -d "$out"
agent() { java -cp "$ROOT/perf/target/perf.jar" io.scaleout.perf.bench.AttachAgent "$pid" "$out/libasyncProfiler.so" "$1"; }
agent "start,event=cpu,interval=1ms"
wrk -t2 -c"$connections" -d"${seconds}s" "$url" | grep -E 'Requests/sec'
agent "stop,file=$out/cpu.collapsed,collapsed"
python3 - "$out/cpu.collapsed" <<'PY'
import sys, collections
PARTS = [
    ("scaleout", "io.scaleout."), ("logging (logback, logstash encoder)", ("ch.qos.logback.", "net.logstash.")),
    ("Jackson", "com.fasterxml.jackson."), ("Micrometer and Vert.x metrics", ("io.micrometer.", "io.vertx.micrometer.")),
    ("Vert.x event bus", "io.vertx.core.eventbus."), ("Vert.x HTTP", "io.vertx.core.http."),
    ("Vert.x Web", "io.vertx.ext.web."), ("Vert.x Redis client", "io.vertx.redis."),
    ("Hazelcast", "com.hazelcast."), ("Vert.x core (contexts, futures, net)", "io.vertx.core."), ("Netty", "io.netty."),
]
def part_of(frame):
    if frame.endswith("_[k]"):
        return "kernel (syscalls, TCP, scheduling)"
    return next((part for part, prefixes in PARTS if frame.startswith(prefixes)), None)
def jvm_thread(stack):
    # GC, JIT compiler and other VM threads run no Java code at all
    return "Thread::call_run" in stack[:4] and not any(frame.startswith("java.") for frame in stack)
total = 0
spent = collections.Counter()
inclusive = collections.Counter()
own = collections.Counter()
for line in open(sys.argv[1]):
    stack_text, _, count = line.rstrip("\n").rpartition(" ")
    if not stack_text:
        continue
    count = int(count)
    stack = [frame.replace("/", ".") for frame in stack_text.split(";")]
    total += count
    own[stack[-1]] += count
    # self: the innermost frame that belongs to a part (the kernel's, or code outside the JDK)
    if jvm_thread(stack):
        spent["JVM (GC, JIT, VM threads)"] += count
        continue
    spent[next((p for p in map(part_of, reversed(stack)) if p), "other (JDK, native)")] += count
    for part in {p for p in map(part_of, stack) if p}:
        inclusive[part] += count
names = ["kernel (syscalls, TCP, scheduling)"] + [p for p, _ in PARTS] + ["JVM (GC, JIT, VM threads)", "other (JDK, native)"]
print(f"{total} samples")
print(f"  {'part':<40} {'self':>6} {'inclusive':>10}")
for part in names:
    print(f"  {part:<40} {100.0 * spent[part] / max(total, 1):5.1f}% {100.0 * inclusive[part] / max(total, 1):9.1f}%")
print("top methods (self)")
for name, count in own.most_common(12):
    print(f"  {100.0 * count / max(total, 1):5.1f}%  {name}")
PY
