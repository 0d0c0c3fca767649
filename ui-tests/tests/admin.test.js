// An administrator in Chromium against the real cluster: edits a product and meets a conflict,
// uploads a picture and watches its thumbnail job reach 100%, imports a CSV with bad lines and sees
// them listed, replays a dead letter, and watches the operations dashboard show a third catalog
// instance after deploy/local/scale.sh catalog 3 (then scales back).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { launch, screenshot, accessibilityViolations, SHOP_URL } from './browser.js';

const ADMIN_EMAIL = process.env.ADMIN_EMAIL || 'admin@scaleout.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;
const SCALE = process.env.SCALE_SCRIPT || path.resolve('..', 'deploy', 'local', 'scale.sh');
// a 48x24 JPEG
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAYADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDyeLTf9mrkWm/7NdHFpv8As1ci03/Zr3Z43zPKwuY+ZzkWm/7NXItN/wBmuji03/Zq5Fpv+zXHPG+Z9Jhcx8znItN/2auRab/s10cWm/7NXItN/wBmuOeN8z6TC5j5lKLTf9mrkWm/7NFFefOrI/BcLXn3LkWm/wCzVyLTf9miiuOdWR9Jha8+5ci03/Zq5Fpv+zRRXHOrI+jwtefc/9k=', 'base64');

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
after(async () => { await session?.browser.close(); });

const api = (page, method, url, options = {}) => page.request.fetch(`${SHOP_URL}${url}`,
  { method, headers: { 'X-Requested-With': 'ui-test', ...(options.headers || {}) }, data: options.data });

test('an administrator edits a product and is told when someone changed it meanwhile', async () => {
  const { page } = session;
  await page.locator('.admin-table tbody tr').first().waitFor();
  await screenshot(page, 'admin-products');
  assert.deepEqual(await accessibilityViolations(page), [], 'product list accessibility');
  await page.locator('.admin-table tbody th a').first().click();
  await page.getByRole('heading', { level: 1, name: /^Edit / }).waitFor();
  const id = page.url().match(/product\/(\d+)/)[1];

  // someone else saves first
  const read = await api(page, 'GET', `/api/products/${id}`);
  const product = await read.json();
  const other = await api(page, 'PUT', `/api/products/${id}`, {
    headers: { 'If-Match': read.headers().etag, 'Content-Type': 'application/json' },
    data: { ...Object.fromEntries(['sku', 'name', 'description', 'category', 'priceCents', 'currency', 'stock', 'images'].map((k) => [k, product[k]])), stock: product.stock + 1 },
  });
  assert.equal(other.status(), 200);

  await page.getByLabel('Name').fill(`${product.name} (edited)`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Changed meanwhile').waitFor();
  await screenshot(page, 'admin-conflict');
  await page.getByRole('button', { name: 'Reload the current version' }).click();
  await page.getByText(`Showing version ${product.version + 1}.`).waitFor();
  assert.equal(await page.getByLabel('Stock').inputValue(), String(product.stock + 1), 'the reload shows what the other one saved');
  await page.getByLabel('Name').fill(`${product.name} (edited)`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`Saved: version ${product.version + 2}.`).waitFor();
  const saved = await (await api(page, 'GET', `/api/products/${id}`)).json();
  assert.equal(saved.name, `${product.name} (edited)`);
  assert.deepEqual(saved.images, product.images, 'saving keeps the pictures');
  assert.deepEqual(await accessibilityViolations(page), [], 'editor accessibility');
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
  await page.getByLabel('New picture (PNG or JPEG)').setInputFiles({ name: 'lamp.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByText('Thumbnails: done, 100%').waitFor();
  await page.getByText('The new picture is in place.').waitFor();
  assert.equal(await page.locator('#picture-progress').evaluate((bar) => bar.value), 100);
  assert.ok(seen.includes(100), `the bar reached 100: ${seen}`);
  assert.match(await page.locator('img.picture').getAttribute('srcset'), /64w.*256w.*1024w/);
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
  await page.getByLabel('File').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('Import: done, 100%').waitFor();
  await page.getByText(/ 2 created, 0 updated, 0 unchanged; 2 rejected\./).waitFor();
  const rejected = await page.locator('table.rejected tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('td').textContent));
  assert.deepEqual(rejected, ['3', '4'], 'the rejected lines by number');
  await screenshot(page, 'admin-import');
  assert.deepEqual(await accessibilityViolations(page), [], 'import accessibility');
});

test('an administrator replays a dead letter', async () => {
  const { page } = session;
  const created = await api(page, 'POST', '/api/products', { headers: { 'Content-Type': 'application/json' },
    data: { sku: `ui-dead-${Date.now()}`, name: 'Doomed picture', category: 'lighting', priceCents: 100, currency: 'EUR', stock: 1 } });
  const product = await created.json();
  const upload = await api(page, 'POST', `/api/products/${product.id}/image`, { headers: { 'Content-Type': 'image/png' }, data: Buffer.from('not a png at all') });
  assert.equal(upload.status(), 202);
  const { jobId } = await upload.json();
  const row = page.locator('tr', { hasText: jobId });
  for (let i = 0; i < 40 && !(await row.count()); i++) {
    await page.goto(`${SHOP_URL}/#/admin/dlq?t=${i}`);
    await page.getByRole('heading', { level: 1, name: 'Dead letters' }).waitFor();
    await page.locator('table.dlq, .empty').first().waitFor();
    if (!(await row.count())) await page.waitForTimeout(500);
  }
  assert.ok(await row.count(), `the dead job ${jobId} is listed`);
  await screenshot(page, 'admin-dead-letters');
  assert.deepEqual(await accessibilityViolations(page), [], 'dead letters accessibility');
  await page.getByRole('button', { name: `Replay ${jobId}` }).first().click();
  await page.getByText('Replayed: the job is queued again.').waitFor();
  await page.goto(`${SHOP_URL}/#/admin/dlq?all=1`);
  await page.locator('tr', { hasText: jobId }).filter({ hasText: 'replayed by' }).first().waitFor();
});

test('the operations dashboard shows every instance and a third catalog once scaled', async () => {
  const { page } = session;
  await page.goto(`${SHOP_URL}/#/ops`);
  const catalog = page.locator('.service-card[data-service="catalog"]');
  await catalog.getByText(/^\d+\/\d+ ready$/).waitFor();
  const before = Number((await catalog.locator('.count').textContent()).split('/')[0]);
  await page.getByRole('heading', { name: 'Requests by route class' }).waitFor();
  await page.getByRole('heading', { name: 'Last minutes' }).waitFor();
  for (const service of ['gateway', 'session', 'worker']) {
    assert.match(await page.locator(`.service-card[data-service="${service}"] .count`).textContent(), /^[1-9]\d*\/\d+ ready$/, service);
  }
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
});
