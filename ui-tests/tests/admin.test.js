// An administrator in Chromium against the real cluster, on products of the test's own: edits one
// that someone else saved meanwhile (the conflict, the reload, the save), uploads a picture and
// watches its thumbnail job reach 100% over the event stream alone, imports a CSV and an NDJSON
// file with bad lines and sees them listed, replays and discards dead letters of a job made to
// fail, and watches the operations dashboard show a third catalog instance within 5 s of
// deploy/local/scale.sh catalog 3, then the two again once scaled back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { launch, screenshot, accessibilityViolations, currentView, SHOP_URL } from './browser.js';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL || 'admin@scaleout.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const SCALE = process.env.SCALE_SCRIPT || path.resolve('..', 'deploy', 'local', 'scale.sh');

let session;
before(async () => {
  assert.ok(ADMIN_PASSWORD, 'ADMIN_PASSWORD is needed (run.sh takes the local cluster\'s)');
  session = await launch();
  const { page } = session;
  await page.goto(`${SHOP_URL}/#/signin?then=%23%2Fadmin`);
  await page.getByLabel('Email').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
});
after(async () => {
  assert.deepEqual(session?.errors, [], 'no script errors');
  await session?.browser.close();
});

// a JPEG the browser draws (640x480, so the thumbnail job takes a moment)
const drawnJpeg = async (page) => Buffer.from(await page.evaluate(async () => {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  const g = canvas.getContext('2d');
  for (let i = 0; i < 40; i++) {
    g.fillStyle = `hsl(${i * 9}, 70%, ${30 + (i % 5) * 10}%)`;
    g.fillRect((i * 37) % 600, (i * 53) % 440, 80, 60);
  }
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  return [...new Uint8Array(await blob.arrayBuffer())];
}));

// a product of the test's own, made through the API
const newProduct = async (page, name) => (await api(page, 'POST', '/api/products', { headers: { 'Content-Type': 'application/json' },
  data: { sku: `ui-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, name, category: 'lighting', priceCents: 1200, currency: 'EUR', stock: 7 } })).json();

// while it is on, job answers come only from the event stream: GET /api/jobs/{id} fails
const onlyTheEventStream = (page) => page.route('**/api/jobs/*', (route) => route.abort());

const api = (page, method, url, options = {}) => page.request.fetch(`${SHOP_URL}${url}`,
  { method, headers: { 'X-Requested-With': 'ui-test', ...(options.headers || {}) }, data: options.data });

test('an administrator edits a product and is told when someone changed it meanwhile', async () => {
  const { page } = session;
  let view = await currentView(page);
  await view.locator('.admin-table tbody tr').first().waitFor();
  await screenshot(page, 'admin-products');
  assert.deepEqual(await accessibilityViolations(page), [], 'product list accessibility');
  const product = await newProduct(page, 'Conflict lamp');
  await page.goto(`${SHOP_URL}/#/admin?q=${encodeURIComponent('Conflict lamp')}`);
  view = await currentView(page);
  await view.locator('.admin-table tbody th a', { hasText: 'Conflict lamp' }).first().waitFor();
  await page.goto(`${SHOP_URL}/#/admin/product/${product.id}`);
  view = await currentView(page);
  await view.getByRole('heading', { level: 1, name: 'Edit Conflict lamp' }).waitFor();

  // someone else saves first
  const read = await api(page, 'GET', `/api/products/${product.id}`);
  const other = await api(page, 'PUT', `/api/products/${product.id}`, {
    headers: { 'If-Match': read.headers().etag, 'Content-Type': 'application/json' },
    data: { ...Object.fromEntries(['sku', 'name', 'description', 'category', 'priceCents', 'currency', 'stock', 'images'].map((k) => [k, product[k]])), stock: product.stock + 1 },
  });
  assert.equal(other.status(), 200);

  await view.getByLabel('Name').fill('Conflict lamp (edited)');
  await view.getByRole('button', { name: 'Save' }).click();
  await view.getByText('Changed meanwhile').waitFor();
  await screenshot(page, 'admin-conflict');
  await view.getByRole('button', { name: 'Reload the current version' }).click();
  await view.getByText(`Showing version ${product.version + 1}.`).waitFor();
  assert.equal(await view.getByLabel('Stock').inputValue(), String(product.stock + 1), 'the reload shows what the other one saved');
  assert.equal(await view.getByLabel('Name').inputValue(), 'Conflict lamp', 'and drops the edit that lost');
  await view.getByLabel('Name').fill('Conflict lamp (edited)');
  await view.getByRole('button', { name: 'Save' }).click();
  await view.getByText(`Saved: version ${product.version + 2}.`).waitFor();
  const saved = await (await api(page, 'GET', `/api/products/${product.id}`)).json();
  assert.equal(saved.name, 'Conflict lamp (edited)');
  assert.equal(saved.stock, product.stock + 1, 'the other change is kept');
  assert.deepEqual(await accessibilityViolations(page), [], 'editor accessibility');

  // a field the catalog refuses is marked at the field
  await view.getByLabel('Currency').fill('eu1');
  await view.getByRole('button', { name: 'Save' }).click();
  await view.locator('#p-currency[aria-invalid="true"]').waitFor();
  assert.notEqual(await view.locator('#p-currency-error').textContent(), '');
});

test('an administrator uploads a picture and watches the thumbnail job reach 100%', async () => {
  const { page } = session;
  await page.goto(`${SHOP_URL}/#/admin/product/new`);
  await page.getByLabel('SKU').fill(`ui-${Date.now()}`);
  await page.getByLabel('Name').fill('Browser test lamp');
  await page.getByLabel('Category (slug)').fill('lighting');
  await page.getByLabel('Price in cents').fill('2500');
  await page.getByLabel('Currency').fill('EUR');
  await page.getByLabel('Stock').fill('4');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { level: 1, name: 'Edit Browser test lamp' }).waitFor();
  await page.getByText('No picture yet.').waitFor();
  const seen = [];
  await page.exposeFunction('recordProgress', (value) => seen.push(value)).catch(() => {});
  await page.evaluate(() => {
    const bar = document.getElementById('picture-progress');
    new MutationObserver(() => window.recordProgress(Number(bar.value))).observe(bar, { attributes: true });
  });
  const jpeg = await drawnJpeg(page);
  await onlyTheEventStream(page);
  await page.getByLabel('New picture (PNG or JPEG)').setInputFiles({ name: 'lamp.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText('Thumbnails: done, 100%').waitFor();
  await page.getByText('The new picture is in place.').waitFor();
  assert.equal(await page.locator('#picture-progress').evaluate((bar) => bar.value), 100);
  assert.ok(seen.includes(100), `the bar reached 100 from the event stream alone: ${seen}`);
  assert.match(await page.locator('img.picture').getAttribute('srcset'), /64w.*256w.*1024w/);
  await page.unroute('**/api/jobs/*');
  await screenshot(page, 'admin-picture');
});

test('an administrator imports a CSV with bad lines and sees them listed', async () => {
  const { page } = session;
  await page.goto(`${SHOP_URL}/#/admin/import`);
  const stamp = Date.now();
  const csv = ['sku,name,category,priceCents,currency,stock',
    `ui-import-${stamp}-1,Imported kettle,kitchen,1999,EUR,5`,
    `ui-import-${stamp}-2,Imported mug,kitchen,not-a-price,EUR,5`,
    `ui-import-${stamp}-3,Imported teapot,kitchen,2999,EUR`,
    `ui-import-${stamp}-4,Imported knife,kitchen,999,EUR,2`].join('\n');
  await onlyTheEventStream(page);
  await page.getByLabel('File').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Import: done, 100%').waitFor();
  await page.getByText(/ 2 created, 0 updated, 0 unchanged; 2 rejected\./).waitFor();
  const rejected = await page.locator('table.rejected tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td').textContent));
  assert.deepEqual(rejected, ['3', '4'], 'the rejected lines by number');
  await screenshot(page, 'admin-import');
  assert.deepEqual(await accessibilityViolations(page), [], 'import accessibility');

  const ndjson = [JSON.stringify({ sku: `ui-import-${stamp}-5`, name: 'Imported lamp', category: 'lighting', priceCents: 4999, currency: 'EUR', stock: 3 }),
    '{"sku": "broken'].join('\n');
  await page.getByLabel('File').setInputFiles({ name: 'products.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText(/ 1 created, 0 updated, 0 unchanged; 1 rejected\./).waitFor();
  assert.deepEqual(await page.locator('table.rejected tbody tr td:first-child').allTextContents(), ['2']);
  await page.unroute('**/api/jobs/*');
});

test('an administrator replays a dead letter', async () => {
  const { page } = session;
  const created = await api(page, 'POST', '/api/products', { headers: { 'Content-Type': 'application/json' },
    data: { sku: `ui-dead-${Date.now()}`, name: 'Doomed picture', category: 'lighting', priceCents: 100, currency: 'EUR', stock: 1 } });
  const product = await created.json();
  const upload = await api(page, 'POST', `/api/products/${product.id}/image`, { headers: { 'Content-Type': 'image/png' }, data: Buffer.from('not a png at all') });
  assert.equal(upload.status(), 202);
  const { jobId } = await upload.json();
  const listed = async (all) => {
    for (let i = 0; i < 40; i++) {
      await page.goto(`${SHOP_URL}/#/admin/dlq?t=${Date.now()}${all ? '&all=1' : ''}`);
      const view = await currentView(page);
      await view.locator('table.dlq, .empty').first().waitFor();
      if (await view.locator('tr', { hasText: jobId }).count()) return view;
      await page.waitForTimeout(500);
    }
    throw new Error(`the dead job ${jobId} is not listed`);
  };
  let view = await listed(false);
  await screenshot(page, 'admin-dead-letters');
  assert.deepEqual(await accessibilityViolations(page), [], 'dead letters accessibility');
  await view.getByRole('button', { name: `Replay ${jobId}` }).first().click();
  await view.getByText('Replayed: the job is queued again.').waitFor();
  view = await listed(true);
  await view.locator('tr', { hasText: jobId }).filter({ hasText: 'replayed by' }).first().waitFor();

  // the replayed job fails again (its picture is still no picture): its new dead letter is discarded
  view = await listed(false);
  page.once('dialog', (dialog) => dialog.accept());
  await view.getByRole('button', { name: `Discard ${jobId}` }).first().click();
  await view.getByText('Discarded.').waitFor();
  view = await listed(true);
  await view.locator('tr', { hasText: jobId }).filter({ hasText: 'discarded by' }).first().waitFor();
});

test('the operations dashboard shows every instance and a third catalog once scaled', async () => {
  const { page } = session;
  await page.goto(`${SHOP_URL}/#/ops`);
  const view = await currentView(page);
  const catalog = view.locator('.service-card[data-service="catalog"]');
  await catalog.getByText(/^\d+\/\d+ ready$/).waitFor();
  const before = await catalog.locator('li').count();
  assert.equal(await catalog.locator('.count').textContent(), `${before}/${before} ready`, 'every catalog instance ready');
  for (const service of ['gateway', 'session', 'worker']) {
    assert.match(await view.locator(`.service-card[data-service="${service}"] .count`).textContent(), /^([1-9]\d*)\/\1 ready$/, service);
  }
  // figures from every tier, after a refresh has made rates of them
  await view.getByRole('heading', { name: 'Last minutes' }).waitFor();
  const breakers = await view.locator('section[aria-labelledby="ops-breakers"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  for (const downstream of ['catalog', 'session', 'worker']) {
    assert.ok(breakers.some((row) => row.startsWith(downstream) && row.endsWith('CLOSED')), `${downstream} breaker closed: ${breakers}`);
  }
  const routes = await view.locator('section[aria-labelledby="ops-requests-by-route-class"] tbody tr td:first-child').allTextContents();
  assert.deepEqual(routes, ['account', 'cart', 'catalog-read', 'catalog-write', 'events', 'jobs', 'other', 'web']);
  assert.match(await view.locator('dt', { hasText: 'Dead letters pending' }).locator('xpath=following-sibling::dd').textContent(), /^\d+$/);
  const groups = await view.locator('section[aria-labelledby="ops-consumer-lag"] tbody td:first-child').allTextContents();
  assert.ok(groups.includes('worker-jobs') && groups.includes('worker-projection'), `consumer groups: ${groups}`);
  await screenshot(page, 'ops');
  assert.deepEqual(await accessibilityViolations(page), [], 'dashboard accessibility');

  await promisify(execFile)(SCALE, ['catalog', String(before + 1)], { timeout: 180000 });
  const scaled = Date.now();
  try {
    await catalog.getByText(`${before + 1}/${before + 1} ready`).waitFor({ timeout: 5000 });
    console.log(`# the dashboard showed catalog ${before + 1} ${Date.now() - scaled} ms after scale.sh returned`);
    await screenshot(page, 'ops-scaled');
  } finally {
    await promisify(execFile)(SCALE, ['catalog', String(before)], { timeout: 180000 });
  }
  await catalog.getByText(`${before}/${before} ready`).waitFor({ timeout: 10000 });
});
