// #/ops : the live operations dashboard, refreshed every 2 s from GET /api/admin/ops (which asks
// every instance of every service through the gateway that answers): instances by name and
// state, breakers, requests per route class with p50/p99, cache hit ratios, rate-limit refusals,
// jobs, consumer lag, dead letters, and charts of the last three minutes.
import { get } from '/assets/api.js';
import { h, view, problemBox } from '/assets/dom.js';
import { adminNav, refuseUnlessAdmin } from '/assets/admin.js';
import { delta, latest, rates, routeClasses, ratio } from '/assets/ops-figures.js';

const REFRESH_MS = 2000;
const HISTORY = 90;
const SERVICES = ['gateway', 'catalog', 'session', 'worker'];
let timer = null;

export function stopOps() {
  clearTimeout(timer);
  timer = null;
}

export async function ops(main) {
  stopOps();
  if (refuseUnlessAdmin(main)) return;
  const board = h('div', { class: 'ops' });
  // not a live region: read out every 2 s it would drown everything else
  const status = h('p', { class: 'ops-status' }, 'Asking every instance…');
  view(main, 'Operations', adminNav('#/ops'), status, board);
  const history = [];
  let previous = null;
  const tick = async () => {
    if (!board.isConnected) return; // left the view
    const started = Date.now();
    try {
      const now = await get('/api/admin/ops');
      const sample = summarize(previous, now);
      previous = now;
      if (sample) history.push(sample);
      if (history.length > HISTORY) history.shift();
      board.replaceChildren(...render(now, sample, history).filter(Boolean));
      status.textContent = `Updated ${new Date(now.at).toLocaleTimeString()} by ${now.gateway}; every ${REFRESH_MS / 1000} s.`;
    } catch (e) {
      status.replaceChildren(problemBox(e));
    }
    timer = setTimeout(tick, Math.max(0, REFRESH_MS - (Date.now() - started)));
  };
  await tick();
}

function summarize(prev, now) {
  if (!prev) return null;
  const classes = routeClasses(prev, now);
  const reverse = delta(prev, now, 'gateway', /^gateway\.reverse\.cache\.requests\{result=(\w+)\}$/, (m) => m[1]);
  const catalog = delta(prev, now, 'catalog', /^catalog\.cache\.requests\{result=(\w+)\}$/, (m) => m[1]);
  const refused = rates(prev, now, 'gateway', /^gateway\.ratelimit\.decisions\{class=\w+,decision=limited\}$/).all || 0;
  const jobs = rates(prev, now, 'worker', /^worker\.jobs\{kind=[\w-]+,result=(\w+)\}$/, (m) => m[1]);
  const lag = latest(now, 'worker', /^worker\.consumer\.lag\{group=([\w.-]+),topic=[\w.-]+\}$/, (m) => m[1]);
  const pending = latest(now, 'worker', /^worker\.dead\.letters\.pending$/, () => 'all', Math.max).all;
  const api = classes.filter((c) => c.name !== 'web' && c.name !== 'events');
  return {
    at: now.at, classes, refused, jobs, lag, pending,
    requests: api.reduce((sum, c) => sum + c.rate, 0),
    worstP99: api.reduce((worst, c) => (c.p99 !== null && c.rate > 0 ? Math.max(worst, c.p99) : worst), 0),
    reverseHit: ratio(reverse.hit || 0, (reverse.miss || 0) + (reverse.stale || 0)),
    catalogHit: ratio(catalog.hit || 0, catalog.miss || 0),
    lagTotal: Object.values(lag).reduce((a, b) => a + b, 0),
  };
}

const fixed = (value, digits = 1) => (value === null || value === undefined ? '—' : Number(value).toFixed(digits));
const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);
const ms = (value) => (value === null ? '—' : value === Infinity ? '> 5 s' : `≤ ${value} ms`);

function render(now, sample, history) {
  return [
    section('Instances', h('div', { class: 'instances' }, SERVICES.map((service) => instanceCard(service, now.services[service] || [])))),
    section('Breakers', breakers(now.breakers, now.gateway)),
    sample ? section('Requests by route class', requestTable(sample.classes)) : h('p', { class: 'loading' }, 'Rates appear with the next refresh…'),
    sample ? section('At a glance', h('dl', { class: 'figures' },
      figure('API requests/s', fixed(sample.requests)), figure('Worst p99 (API)', ms(sample.worstP99 || null)),
      figure('Reverse cache hits', percent(sample.reverseHit)), figure('Catalog cache hits', percent(sample.catalogHit)),
      figure('Rate-limit refusals/s', fixed(sample.refused)), figure('Jobs succeeded/s', fixed(sample.jobs.succeeded || 0, 2)),
      figure('Jobs failed or dead/s', fixed((sample.jobs.retried || 0) + (sample.jobs.dead || 0), 2)),
      figure('Dead letters pending', sample.pending === undefined ? '—' : String(sample.pending)))) : null,
    sample ? section('Consumer lag', Object.keys(sample.lag).length
      ? h('table', { class: 'admin-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Records behind'))),
        h('tbody', {}, Object.entries(sample.lag).sort().map(([group, records]) => h('tr', {}, h('td', {}, group), h('td', {}, String(records))))))
      : h('p', { class: 'empty' }, 'No consumer reports lag.')) : null,
    history.length > 1 ? section('Last minutes', h('div', { class: 'charts' },
      chart('API requests/s', history.map((s) => s.requests)),
      chart('Worst p99 (ms)', history.map((s) => (Number.isFinite(s.worstP99) ? s.worstP99 : 5000))),
      chart('Jobs succeeded/s', history.map((s) => s.jobs.succeeded || 0)),
      chart('Consumer lag (records)', history.map((s) => s.lagTotal)))) : null,
  ];
}

function section(title, body) {
  const id = `ops-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'ops-section', 'aria-labelledby': id }, h('h2', { id }, title), body);
}

function figure(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function instanceCard(service, instances) {
  const ready = instances.filter((i) => i.state === 'READY' && i.seenAs !== 'EJECTED').length;
  return h('article', { class: 'service-card', 'data-service': service },
    h('h3', {}, `${service} `, h('span', { class: 'count' }, `${ready}/${instances.length} ready`)),
    instances.length
      ? h('ul', {}, instances.map((i) => h('li', { class: `state-${(i.seenAs === 'EJECTED' ? 'EJECTED' : i.state).toLowerCase()}` },
        h('span', { class: 'instance-name' }, i.instance), ' ',
        h('span', { class: 'instance-state' }, i.seenAs === 'EJECTED' ? 'ejected' : i.state.toLowerCase().replace('_', ' ')),
        i.uptimeMs ? h('span', { class: 'uptime' }, ` up ${Math.round(i.uptimeMs / 60000)} min`) : null,
        i.error ? h('span', { class: 'instance-error' }, ` (${i.error})`) : null)))
      : h('p', { class: 'empty' }, 'No instance.'));
}

function breakers(all, gateway) {
  const rows = [];
  for (const [service, own] of Object.entries(all?.this || {})) rows.push([service, gateway, own.state]);
  for (const [gateway, services] of Object.entries(all?.reported || {})) {
    for (const [service, notice] of Object.entries(services)) rows.push([service, gateway, notice.state]);
  }
  return h('table', { class: 'admin-table' },
    h('thead', {}, h('tr', {}, ['Downstream', 'Gateway', 'State'].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rows.sort().map(([service, gateway, state]) =>
      h('tr', {}, h('td', {}, service), h('td', {}, gateway), h('td', { class: `breaker-${String(state).toLowerCase()}` }, state)))));
}

function requestTable(classes) {
  return h('table', { class: 'admin-table' },
    h('thead', {}, h('tr', {}, ['Route class', 'Requests/s', '5xx/s', 'p50', 'p99'].map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, classes.map((c) => h('tr', {}, h('td', {}, c.name), h('td', {}, fixed(c.rate)), h('td', {}, fixed(c.errors, 2)),
      h('td', {}, c.name === 'events' ? '—' : ms(c.p50)), h('td', {}, c.name === 'events' ? '—' : ms(c.p99))))));
}

// a small line chart of the samples, newest on the right
function chart(label, values) {
  const width = 240;
  const height = 60;
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, HISTORY - 1);
  const offset = width - (values.length - 1) * step;
  const points = values.map((v, i) => `${(offset + i * step).toFixed(1)},${(height - (v / max) * (height - 4) - 2).toFixed(1)}`).join(' ');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${label}: now ${fixed(values[values.length - 1])}, highest ${fixed(max)}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '2');
  svg.append(line);
  return h('figure', { class: 'chart' }, svg, h('figcaption', {}, `${label} (now ${fixed(values[values.length - 1])}, max ${fixed(max)})`));
}
