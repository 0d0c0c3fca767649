// #/admin… : the administrator's views. Products: a list with search and paging, create, edit
// (PUT with If-Match of the version read: a 412 says someone changed it meanwhile, with a reload),
// delete, and a picture upload whose thumbnail job is followed live. Import and dead letters are
// in admin-jobs.js.
import { request, get, post, del, query, ApiError } from '/assets/api.js';
import { h, view, loading, problemBox, productImage, money } from '/assets/dom.js';
import { isAdmin } from '/assets/session.js';
import { prepare, submitJob, watchJob } from '/assets/jobs.js';

const FIELDS = [
  ['sku', 'SKU', { type: 'text', maxlength: '64' }], ['name', 'Name', { type: 'text', maxlength: '200' }],
  ['category', 'Category (slug)', { type: 'text', pattern: '[a-z0-9-]+' }],
  ['priceCents', 'Price in cents', { type: 'number', min: '0' }], ['currency', 'Currency', { type: 'text', maxlength: '3' }],
  ['stock', 'Stock', { type: 'number', min: '0' }],
];

export function adminNav(current) {
  const link = (href, label) => h('li', {}, h('a', { href, 'aria-current': current === href ? 'page' : null }, label));
  return h('nav', { class: 'admin-nav', 'aria-label': 'Administration' }, h('ul', {},
    link('#/admin', 'Products'), link('#/admin/import', 'Import'), link('#/admin/dlq', 'Dead letters'), link('#/ops', 'Operations')));
}

export function refuseUnlessAdmin(main) {
  if (isAdmin()) return false;
  view(main, 'Administration', h('p', {}, 'This needs an administrator. ', h('a', { href: `#/signin?then=${encodeURIComponent(location.hash)}` }, 'Sign in')));
  return true;
}

export async function productList(main, params) {
  if (refuseUnlessAdmin(main)) return;
  const q = params.get('q') || '';
  const rows = h('tbody');
  const status = h('p', { role: 'status' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  const search = (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get('q');
    location.hash = `#/admin${query({ q: value })}`;
  };
  view(main, 'Products', adminNav('#/admin'),
    h('div', { class: 'toolbar' },
      h('form', { role: 'search', onsubmit: search }, h('label', { for: 'admin-q' }, 'Find '),
        h('input', { id: 'admin-q', name: 'q', type: 'search', value: q }), h('button', { type: 'submit' }, 'Find')),
      h('a', { class: 'button', href: '#/admin/product/new' }, 'New product')),
    status,
    h('table', { class: 'admin-table' }, h('caption', { class: 'visually-hidden' }, 'Products'),
      h('thead', {}, h('tr', {}, ['SKU', 'Name', 'Category', 'Price', 'Stock', 'Version'].map((label) => h('th', { scope: 'col' }, label)))),
      rows),
    more);
  let cursor = null;
  const page = async () => {
    more.hidden = true;
    status.textContent = 'Loading…';
    try {
      const reply = await get(`/api/products${query({ q, sort: 'name', limit: 50, cursor })}`);
      rows.append(...reply.items.map((p) => h('tr', {},
        h('td', {}, p.sku), h('th', { scope: 'row' }, h('a', { href: `#/admin/product/${p.id}` }, p.name)),
        h('td', {}, p.category), h('td', {}, money(p.priceCents, p.currency)), h('td', {}, String(p.stock)), h('td', {}, String(p.version)))));
      cursor = reply.nextCursor;
      more.hidden = !cursor;
      status.textContent = rows.children.length ? `${rows.children.length} products shown.` : 'No products.';
    } catch (e) {
      status.replaceChildren(problemBox(e, page));
    }
  };
  more.addEventListener('click', page);
  await page();
}

export async function productEditor(main, id) {
  if (refuseUnlessAdmin(main)) return;
  const creating = id === 'new';
  let current = null;
  let etag = null;
  const message = h('div', { class: 'message', role: 'status' });
  const inputs = {};
  const row = ([name, label, attributes]) => {
    inputs[name] = h(name === 'description' ? 'textarea' : 'input',
      { id: `p-${name}`, name, required: name !== 'description', 'aria-describedby': `p-${name}-error`, ...attributes });
    return h('p', {}, h('label', { for: `p-${name}` }, label), inputs[name], h('span', { id: `p-${name}-error`, class: 'field-error' }));
  };
  const fill = (product) => {
    for (const [name] of [...FIELDS, ['description']]) inputs[name].value = product[name] ?? '';
  };
  const body = () => {
    const product = {};
    for (const [name] of [...FIELDS, ['description']]) product[name] = inputs[name].value;
    product.priceCents = Number(product.priceCents);
    product.stock = Number(product.stock);
    if (current) product.images = current.images;
    return product;
  };
  const fieldError = (e) => {
    main.querySelectorAll('.field-error').forEach((span) => { span.textContent = ''; });
    Object.values(inputs).forEach((input) => input.removeAttribute('aria-invalid'));
    if (e instanceof ApiError && e.field && inputs[e.field]) {
      inputs[e.field].setAttribute('aria-invalid', 'true');
      document.getElementById(`p-${e.field}-error`).textContent = e.detail || e.title;
      inputs[e.field].focus();
      return true;
    }
    return false;
  };
  const conflict = (e) => {
    const version = e.problem?.currentVersion;
    message.replaceChildren(h('div', { class: 'problem', role: 'alert' },
      h('p', {}, h('strong', {}, 'Changed meanwhile'), ` — someone saved this product after you opened it${version ? ` (now version ${version})` : ''}. Your changes are not saved.`),
      h('button', { type: 'button', onclick: reload }, 'Reload the current version')));
  };
  const save = async (event) => {
    event.preventDefault();
    message.textContent = 'Saving…';
    try {
      if (creating) {
        const created = await post('/api/products', body());
        location.hash = `#/admin/product/${created.id}`;
        return;
      }
      const reply = await request(`/api/products/${id}`, { method: 'PUT', body: body(), headers: { 'If-Match': etag } });
      current = reply.data;
      etag = reply.headers.get('etag');
      show();
      message.textContent = `Saved: version ${current.version}.`;
    } catch (e) {
      if (e.status === 412) conflict(e);
      else if (fieldError(e)) message.textContent = '';
      else message.replaceChildren(problemBox(e));
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete ${current.name}?`)) return;
    try {
      await del(`/api/products/${id}`, { 'If-Match': etag });
      location.hash = '#/admin';
    } catch (e) {
      if (e.status === 412) conflict(e);
      else message.replaceChildren(problemBox(e));
    }
  };
  const pictures = h('div', { class: 'pictures' });
  const show = () => {
    pictures.replaceChildren(current && current.images.length
      ? h('p', {}, productImage(current, '16rem', 'picture small'), ` ${current.images.length} sizes`)
      : h('p', { class: 'empty' }, 'No picture yet.'));
  };
  async function reload() {
    const reply = await request(`/api/products/${id}`, { cache: 'no-store' });
    current = reply.data;
    etag = reply.headers.get('etag');
    fill(current);
    show();
    message.textContent = `Showing version ${current.version}.`;
  }

  const form = h('form', { class: 'editor', onsubmit: save }, FIELDS.map(row),
    row(['description', 'Description', { rows: '3', maxlength: '2000' }]),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, creating ? 'Create' : 'Save'),
      creating ? null : h('button', { type: 'button', class: 'danger', onclick: () => remove() }, 'Delete')));
  view(main, creating ? 'New product' : 'Edit product', adminNav('#/admin'), creating ? null : loading());
  if (!creating) {
    try {
      await reload();
      message.textContent = '';
    } catch (e) {
      view(main, 'Edit product', adminNav('#/admin'), problemBox(e, () => productEditor(main, id)));
      return;
    }
  }
  view(main, creating ? 'New product' : `Edit ${current.name}`, adminNav('#/admin'), message, form,
    creating ? null : h('section', { 'aria-labelledby': 'pictures-heading' }, h('h2', { id: 'pictures-heading' }, 'Picture'),
      pictures, uploader(id, async () => { await reload(); message.textContent = 'The new picture is in place.'; })));
  if (current) {
    fill(current);
    show();
  }
}

// a picture upload: the raw file to POST /api/products/{id}/image, then its job followed live
function uploader(id, done) {
  const file = h('input', { id: 'picture-file', type: 'file', accept: 'image/png,image/jpeg' });
  const bar = h('progress', { id: 'picture-progress', max: '100', value: '0', hidden: true });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const upload = async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = 'Uploading…';
    try {
      await prepare();
      const jobId = await submitJob(`/api/products/${id}/image`, chosen, chosen.type || 'application/octet-stream');
      status.textContent = 'Making the thumbnails…';
      await watchJob(jobId, (job) => {
        bar.value = job.progress || 0;
        status.textContent = `Thumbnails: ${job.status}, ${job.progress || 0}%`;
      });
      bar.value = 100;
      status.textContent = 'Thumbnails: done, 100%';
      await done();
    } catch (e) {
      status.replaceChildren(problemBox(e));
    }
  };
  return h('form', { class: 'upload', onsubmit: upload },
    h('label', { for: 'picture-file' }, 'New picture (PNG or JPEG)'), file, h('button', { type: 'submit' }, 'Upload'),
    h('label', { for: 'picture-progress', class: 'visually-hidden' }, 'Thumbnail progress'), bar, status);
}
