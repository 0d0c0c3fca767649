// #/admin/import and #/admin/dlq : a CSV or NDJSON import followed live to its result (the
// rejected lines in a table), and the worker's dead letters with replay and discard.
import { get, post, del, query } from '/assets/api.js';
import { h, view, loading, problemBox } from '/assets/dom.js';
import { adminNav, refuseUnlessAdmin } from '/assets/admin.js';
import { prepare, submitJob, watchJob } from '/assets/jobs.js';

const IMPORT_TYPES = { csv: 'text/csv', ndjson: 'application/x-ndjson', jsonl: 'application/x-ndjson' };

export function importView(main) {
  if (refuseUnlessAdmin(main)) return;
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,.ndjson,.jsonl,text/csv,application/x-ndjson' });
  const bar = h('progress', { id: 'import-progress', max: '100', value: '0', hidden: true });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const result = h('div', { class: 'import-result' });
  const start = async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    const type = IMPORT_TYPES[chosen.name.split('.').pop().toLowerCase()];
    if (!type) {
      status.textContent = 'Choose a .csv or .ndjson file.';
      return;
    }
    result.replaceChildren();
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Uploading…';
    try {
      await prepare();
      const job = await watchJob(await submitJob('/api/imports', chosen, type), (change) => {
        bar.value = change.progress || 0;
        status.textContent = `Import: ${change.status}, ${change.progress || 0}%`;
      });
      bar.value = 100;
      status.textContent = 'Import: done, 100%';
      result.replaceChildren(summary(job.result));
    } catch (e) {
      status.replaceChildren(problemBox(e));
    }
  };
  view(main, 'Import products', adminNav('#/admin/import'),
    h('p', {}, 'A CSV file with a header line naming its columns (sku, name, description, category, priceCents, currency, stock), or one JSON product per line. Products are matched by sku: new ones are created, changed ones updated.'),
    h('form', { class: 'upload', onsubmit: start }, h('label', { for: 'import-file' }, 'File'), file, h('button', { type: 'submit' }, 'Import'),
      h('label', { for: 'import-progress', class: 'visually-hidden' }, 'Import progress'), bar),
    status, result);
}

function summary(result) {
  const counts = h('p', { class: 'counts' }, `${result.imported} imported: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged; ${result.rejectedCount} rejected.`);
  if (!result.rejectedCount) return counts;
  return h('div', {}, counts, h('table', { class: 'admin-table rejected' },
    h('caption', {}, result.rejected.length < result.rejectedCount ? `The first ${result.rejected.length} rejected lines` : 'Rejected lines'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Why'))),
    h('tbody', {}, result.rejected.map((r) => h('tr', {}, h('td', {}, String(r.line)), h('td', {}, r.reason))))));
}

export async function deadLetters(main, params) {
  if (refuseUnlessAdmin(main)) return;
  const all = params.get('all') === '1';
  const message = h('p', { class: 'message', role: 'status' });
  view(main, 'Dead letters', adminNav('#/admin/dlq'), loading());
  const act = async (label, action) => {
    try {
      await action();
      await deadLetters(main, params);
      main.querySelector('.message').textContent = label;
    } catch (e) {
      message.replaceChildren(problemBox(e));
    }
  };
  try {
    const { items } = await get(`/api/admin/dlq${query({ limit: 100, includeHandled: all ? 'true' : '' })}`);
    const state = (letter) => (letter.replayedAt ? `replayed by ${letter.replayedBy}` : letter.discardedAt ? `discarded by ${letter.discardedBy}` : 'pending');
    view(main, 'Dead letters', adminNav('#/admin/dlq'), message,
      h('p', {}, all ? h('a', { href: '#/admin/dlq' }, 'Show pending only') : h('a', { href: '#/admin/dlq?all=1' }, 'Show handled ones too')),
      items.length
        ? h('table', { class: 'admin-table dlq' }, h('caption', { class: 'visually-hidden' }, 'Dead letters'),
          h('thead', {}, h('tr', {}, ['Failed', 'Job', 'Reason', 'Attempts', 'State', ''].map((label) => h('th', { scope: 'col' }, label)))),
          h('tbody', {}, items.map((letter) => h('tr', {},
            h('td', {}, new Date(letter.failedAt).toLocaleString()), h('td', {}, letter.jobId || letter.key || '—'),
            h('td', { class: 'reason' }, letter.reason), h('td', {}, String(letter.attempts ?? '')), h('td', {}, state(letter)),
            h('td', {}, letter.replayedAt || letter.discardedAt ? null : [
              h('button', { type: 'button', onclick: () => act('Replayed: the job is queued again.', () => post(`/api/admin/dlq/${letter.id}/replay`)), 'aria-label': `Replay ${letter.jobId || letter.id}` }, 'Replay'), ' ',
              h('button', { type: 'button', class: 'danger', 'aria-label': `Discard ${letter.jobId || letter.id}`,
                onclick: () => window.confirm('Discard this dead letter? Its job will not run again.')
                  && act('Discarded.', () => del(`/api/admin/dlq/${letter.id}`)) }, 'Discard')])))))
        : h('p', { class: 'empty' }, all ? 'No dead letters.' : 'No pending dead letters.'));
  } catch (e) {
    view(main, 'Dead letters', adminNav('#/admin/dlq'), problemBox(e, () => deadLetters(main, params)));
  }
}
