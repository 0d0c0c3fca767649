// The dashboard's arithmetic (gateway/src/main/web/assets/ops-figures.js) on replies of
// GET /api/admin/ops made by hand: rates over the interval, counters of restarted, new and
// once-unreachable instances, and percentiles from cumulative bucket counts added over gateways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { delta, rates, routeClasses, latest } from '../../gateway/src/main/web/assets/ops-figures.js';

const reply = (at, instances) => ({ at, services: { gateway: instances } });
const gateway = (instance, uptimeMs, figures) => ({ instance, uptimeMs, state: 'READY', figures });
const jobs = /^requests$/;

test('a counter of an instance that ran through the interval counts its increase', () => {
  const prev = reply(10000, [gateway('g1', 5000, { requests: 100 })]);
  const now = reply(12000, [gateway('g1', 7000, { requests: 140 })]);
  assert.deepEqual(delta(prev, now, 'gateway', jobs), { all: 40 });
  assert.deepEqual(rates(prev, now, 'gateway', jobs), { all: 20 });
});

test('an instance that restarted or started within the interval counts all it has', () => {
  const prev = reply(10000, [gateway('g1', 50000, { requests: 1000 })]);
  const now = reply(12000, [gateway('g1', 1500, { requests: 30 }), gateway('g2', 1000, { requests: 5 })]);
  assert.deepEqual(delta(prev, now, 'gateway', jobs), { all: 35 });
});

test('an older instance that was unreachable in the earlier reply counts nothing this time, not its whole life', () => {
  const prev = reply(10000, [{ instance: 'g1', state: 'UNREACHABLE', error: 'Timed out' }]);
  const now = reply(12000, [gateway('g1', 600000, { requests: 90000 })]);
  assert.deepEqual(delta(prev, now, 'gateway', jobs), { all: 0 });
  const later = reply(14000, [gateway('g1', 602000, { requests: 90010 })]);
  assert.deepEqual(delta(now, later, 'gateway', jobs), { all: 10 }, 'and its increase from the next interval on');
});

test('percentiles come from the bucket counts added over every gateway', () => {
  const figures = (count, buckets) => Object.fromEntries([
    ['gateway.http.responses{class=cart,status=2xx}', count],
    ['gateway.http.latency{class=cart}.count', count],
    ...Object.entries(buckets).map(([le, n]) => [`gateway.http.latency{class=cart}.le.${le}`, n])]);
  const prev = reply(0, [gateway('g1', 100000, figures(0, { 5: 0, 50: 0, 500: 0 })), gateway('g2', 100000, figures(0, { 5: 0, 50: 0, 500: 0 }))]);
  // g1: 90 answers within 5 ms, 10 within 50; g2: 95 within 50 ms, 5 beyond 500 ms
  const now = reply(10000, [gateway('g1', 110000, figures(100, { 5: 90, 50: 100, 500: 100 })),
    gateway('g2', 110000, figures(100, { 5: 0, 50: 95, 500: 95 }))]);
  const [cart] = routeClasses(prev, now);
  assert.equal(cart.name, 'cart');
  assert.equal(cart.rate, 20);
  assert.equal(cart.p50, 50, '90 of 200 within 5 ms, 195 within 50: the median is in the 50 ms bucket');
  assert.equal(cart.p99, Infinity, '5 of 200 beyond the last bucket');
});

test('gauges are combined per group as asked', () => {
  const now = { at: 0, services: { worker: [
    { instance: 'w1', uptimeMs: 1, figures: { 'worker.consumer.lag{group=jobs,topic=a}': 3, 'worker.dead.letters.pending': 4 } },
    { instance: 'w2', uptimeMs: 1, figures: { 'worker.consumer.lag{group=jobs,topic=b}': 5, 'worker.dead.letters.pending': 4 } }] } };
  assert.deepEqual(latest(now, 'worker', /^worker\.consumer\.lag\{group=(\w+),topic=\w+\}$/, (m) => m[1]), { jobs: 8 });
  assert.deepEqual(latest(now, 'worker', /^worker\.dead\.letters\.pending$/, () => 'all', Math.max), { all: 4 });
});
