// Figures of the operations view from two replies of GET /api/admin/ops: every counter there is a
// total since its instance started, so rates and percentiles are made over the interval between
// two replies, per instance, then added over the instances of a service. An instance that started
// within the interval (new, or restarted: its start time, reply time − uptime, moved) counts all it
// has; one whose figures the earlier reply lacks (unreachable then) and that is older counts nothing
// this time, not its whole life at once.

// figures(view, service, pattern): [instance, key, value] of every figure whose key matches
function figures(view, service, pattern) {
  const out = [];
  for (const instance of view.services[service] || []) {
    for (const [key, value] of Object.entries(instance.figures || {})) {
      const match = key.match(pattern);
      if (match) out.push({ instance, key, value, match });
    }
  }
  return out;
}

// delta(prev, now, service, pattern, group): increase of the matching counters, by group(match)
// the reply time is the gateway's and an instance answers within OPS_SNAPSHOT_TIMEOUT_MS, so starts wobble;
// no instance restarts faster than this
const START_TOLERANCE_MS = 2500;
const startOf = (view, instance) => view.at - instance.uptimeMs;

export function delta(prev, now, service, pattern, group = () => 'all') {
  const before = new Map();
  const started = new Map();
  if (prev) {
    for (const instance of prev.services[service] || []) {
      if (instance.figures) started.set(instance.instance, startOf(prev, instance));
    }
    for (const f of figures(prev, service, pattern)) before.set(`${f.instance.instance} ${f.key}`, f.value);
  }
  const sums = {};
  for (const f of figures(now, service, pattern)) {
    const start = startOf(now, f.instance);
    const known = started.get(f.instance.instance);
    const sameRun = known !== undefined && Math.abs(start - known) <= START_TOLERANCE_MS;
    const startedWithin = prev && start > prev.at - START_TOLERANCE_MS;
    const old = before.get(`${f.instance.instance} ${f.key}`);
    const increase = sameRun ? Math.max(0, f.value - (old ?? 0)) : startedWithin ? f.value : 0;
    const name = group(f.match);
    sums[name] = (sums[name] || 0) + increase;
  }
  return sums;
}

// latest(view, service, pattern, group, combine): the current gauges, combined per group
export function latest(view, service, pattern, group = () => 'all', combine = (a, b) => a + b) {
  const out = {};
  for (const f of figures(view, service, pattern)) {
    const name = group(f.match);
    out[name] = name in out ? combine(out[name], f.value) : f.value;
  }
  return out;
}

const seconds = (prev, now) => Math.max(0.001, (now.at - prev.at) / 1000);

// rates of the matching counters per second between the two replies
export function rates(prev, now, service, pattern, group) {
  if (!prev) return {};
  const dt = seconds(prev, now);
  return Object.fromEntries(Object.entries(delta(prev, now, service, pattern, group)).map(([k, v]) => [k, v / dt]));
}

// per route class: requests/s, server errors/s, p50 and p99 (the upper bound of the bucket that
// holds them, over every gateway), from gateway.http.responses and gateway.http.latency
export function routeClasses(prev, now) {
  if (!prev) return [];
  const dt = seconds(prev, now);
  const responses = delta(prev, now, 'gateway', /^gateway\.http\.responses\{class=([a-z-]+),status=(\dxx)\}$/, (m) => `${m[1]} ${m[2]}`);
  const buckets = delta(prev, now, 'gateway', /^gateway\.http\.latency\{class=([a-z-]+)\}\.le\.(\d+)$/, (m) => `${m[1]} ${m[2]}`);
  const counts = delta(prev, now, 'gateway', /^gateway\.http\.latency\{class=([a-z-]+)\}\.count$/, (m) => m[1]);
  const classes = new Set(Object.keys(responses).map((k) => k.split(' ')[0]));
  return [...classes].sort().map((name) => {
    const total = ['1xx', '2xx', '3xx', '4xx', '5xx'].reduce((sum, s) => sum + (responses[`${name} ${s}`] || 0), 0);
    const bounds = Object.keys(buckets).filter((k) => k.startsWith(`${name} `)).map((k) => Number(k.split(' ')[1])).sort((a, b) => a - b);
    const timed = counts[name] || 0;
    const quantile = (q) => {
      if (!timed) return null;
      for (const bound of bounds) if (buckets[`${name} ${bound}`] >= q * timed) return bound;
      return Infinity;
    };
    return { name, rate: total / dt, errors: (responses[`${name} 5xx`] || 0) / dt, p50: quantile(0.5), p99: quantile(0.99) };
  });
}

export function ratio(hits, misses) {
  const total = hits + misses;
  return total ? hits / total : null;
}
