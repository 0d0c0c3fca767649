// A shopper in Chromium against the real cluster: browses the storefront, searches, filters by
// category and price, pages through results, opens a product, registers, fills and changes the
// cart, signs out. Needs the demo catalog (deploy/local/demo-data.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, accessibilityViolations, prices, SHOP_URL } from './browser.js';

let session;
before(async () => { session = await launch(); });
after(async () => { await session?.browser.close(); });

test('a shopper browses, searches, buys and signs out', async () => {
  const { page, errors } = session;
  await page.goto(`${SHOP_URL}/`);
  await page.getByRole('heading', { level: 1, name: 'Welcome to the shop' }).waitFor();
  await page.locator('.products .card').first().waitFor();
  const categories = await page.locator('.categories li').count();
  assert.ok(categories >= 8, `the storefront lists ${categories} categories`);
  assert.equal(await page.locator('.degraded').count(), 0, 'nothing is degraded');
  await screenshot(page, 'storefront');
  assert.deepEqual(await accessibilityViolations(page), [], 'storefront accessibility');

  // search from the header
  await page.getByLabel('Search products').fill('mug');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Results for “mug”' }).waitFor();
  await page.locator('.result-status', { hasText: 'shown' }).waitFor();
  const names = await page.locator('.products h3').allTextContents();
  assert.ok(names.length > 0 && names.every((n) => /mug/i.test(n)), `search results: ${names}`);
  await screenshot(page, 'search');
  assert.deepEqual(await accessibilityViolations(page), [], 'search accessibility');

  // filter by category (the facets) and price, sorted by price
  await page.goto(`${SHOP_URL}/#/search`);
  await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: /^kitchen/ }).click();
  await page.waitForURL(/category=kitchen/);
  await page.getByLabel('From').fill('20');
  await page.getByLabel('To').fill('120');
  await page.getByLabel('Sort by').selectOption('price');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/minPrice=20/);
  await page.locator('.result-status', { hasText: /shown|No products/ }).waitFor();
  const shown = await prices(page);
  assert.ok(shown.length > 0, 'kitchen products between 20 and 120');
  assert.ok(shown.every((p) => p >= 20 && p <= 120), `prices within the range: ${shown}`);
  assert.deepEqual(shown, [...shown].sort((a, b) => a - b), 'sorted by price');
  await screenshot(page, 'search-filtered');

  // keyset paging: "Show more" adds the next page, nothing twice
  await page.goto(`${SHOP_URL}/#/search?sort=name`);
  await page.locator('.result-status', { hasText: 'shown' }).waitFor();
  const first = await page.locator('.products h3 a').count();
  await page.getByRole('button', { name: 'Show more' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.products h3 a').length > n, first);
  const links = await page.locator('.products h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(new Set(links).size, links.length, 'no product shown twice');

  // a product page with the worker's thumbnails
  await page.locator('.products h3 a').first().click();
  await page.waitForURL(/#\/product\/\d+/);
  await page.locator('.details .price').waitFor();
  const title = await page.getByRole('heading', { level: 1 }).textContent();
  const srcset = await page.locator('img.picture').getAttribute('srcset');
  assert.match(srcset, /-64\.\w+ 64w, .*-256\.\w+ 256w, .*-1024\.\w+ 1024w/, 'thumbnails by srcset');
  await page.getByRole('button', { name: 'Check for changes' }).click();
  await page.getByText('Unchanged since you opened it.').waitFor();
  await screenshot(page, 'product');
  assert.deepEqual(await accessibilityViolations(page), [], 'product accessibility');
  const productUrl = page.url();

  // register (which signs in) from the product page, and come back to it
  await page.getByRole('button', { name: 'Sign in to buy' }).click();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
  const email = `shopper-${Date.now()}@example.org`;
  await page.getByLabel('Name').fill('Browser Shopper');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await screenshot(page, 'register');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(productUrl);
  await page.getByRole('navigation', { name: 'Account' }).getByText('Browser Shopper').waitFor();

  // the cart: add two products, change a quantity, remove one
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByText('In your cart.').waitFor();
  await page.getByRole('link', { name: 'Cart (2)' }).waitFor();
  await page.goto(`${SHOP_URL}/#/search?sort=-price`);
  await page.locator('.products h3 a').nth(1).click();
  await page.locator('.details .price').waitFor();
  const second = await page.getByRole('heading', { level: 1 }).textContent();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart (3)' }).waitFor();
  await page.getByRole('link', { name: 'Cart (3)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
  await page.locator('table.cart tbody tr').nth(1).waitFor();
  await page.getByLabel(`Quantity of ${title}`).fill('3');
  await page.locator('tr', { hasText: title }).getByRole('button', { name: 'Update' }).click();
  await page.getByText('Quantity changed.').waitFor();
  await page.getByRole('link', { name: 'Cart (4)' }).waitFor();
  const rows = await page.locator('table.cart tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent);
    return { price: cells[1], quantity: Number(tr.querySelector('input').value), subtotal: cells[3] };
  }));
  const amount = (text) => Number(text.replace(/[^0-9.,]/g, '').replace(/,(\d{2})$/, '.$1').replace(/,/g, ''));
  const total = amount(await page.locator('.total').textContent());
  assert.equal(rows.length, 2);
  assert.ok(rows.some((r) => r.quantity === 3));
  rows.forEach((r) => assert.ok(Math.abs(amount(r.price) * r.quantity - amount(r.subtotal)) < 0.01, `subtotal ${JSON.stringify(r)}`));
  assert.ok(Math.abs(rows.reduce((sum, r) => sum + amount(r.subtotal), 0) - total) < 0.01, 'the total adds up');
  await screenshot(page, 'cart');
  assert.deepEqual(await accessibilityViolations(page), [], 'cart accessibility');
  await page.getByRole('button', { name: `Remove ${second}` }).click();
  await page.getByText('Removed from the cart.').waitFor();
  assert.equal(await page.locator('table.cart tbody tr').count(), 1);
  await page.getByRole('link', { name: 'Cart (3)' }).waitFor();

  // sign out: the cart is the signed-in shopper's only
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await page.goto(`${SHOP_URL}/#/cart`);
  await page.getByText('to see your cart.').waitFor();
  assert.deepEqual(errors, [], 'no script errors');
});
