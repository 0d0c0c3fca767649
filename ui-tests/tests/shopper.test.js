// A shopper in Chromium against the real cluster: browses the storefront, searches, filters by
// category and price, pages through results, opens a product, registers, fills and changes the
// cart, signs out and in again. Needs the demo catalog (deploy/local/demo-data.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, accessibilityViolations, prices, amount, buyable, currentView, SHOP_URL } from './browser.js';

let session;
before(async () => { session = await launch(); });
after(async () => { await session?.browser.close(); });

test('a shopper browses, searches, buys, signs out and in again', async () => {
  const { page, errors } = session;
  await page.goto(`${SHOP_URL}/`);
  let view = await currentView(page);
  await view.getByRole('heading', { level: 1, name: 'Welcome to the shop' }).waitFor();
  await view.locator('.products .card').first().waitFor();
  const categories = await view.locator('.categories li').count();
  assert.ok(categories >= 8, `the storefront lists ${categories} categories`);
  assert.equal(await view.locator('.degraded').count(), 0, 'nothing is degraded');
  await screenshot(page, 'storefront');
  assert.deepEqual(await accessibilityViolations(page), [], 'storefront accessibility');

  // search from the header
  await page.getByLabel('Search products').fill('mug');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/#\/search\?q=mug$/);
  view = await currentView(page);
  await view.locator('.result-status', { hasText: 'shown' }).waitFor();
  const names = await view.locator('.products h3').allTextContents();
  assert.ok(names.length > 0 && names.every((n) => /mug/i.test(n)), `search results: ${names}`);
  await screenshot(page, 'search');
  assert.deepEqual(await accessibilityViolations(page), [], 'search accessibility');

  // filter by category (the facets) and price, sorted by price
  await page.goto(`${SHOP_URL}/#/search`);
  view = await currentView(page);
  await view.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: /^kitchen/ }).click();
  await page.waitForURL(/category=kitchen/);
  view = await currentView(page);
  await view.getByLabel('From').fill('20');
  await view.getByLabel('To').fill('120');
  await view.getByLabel('Sort by').selectOption('price');
  await view.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/minPrice=20/);
  view = await currentView(page);
  await view.locator('.result-status', { hasText: /shown|No products/ }).waitFor();
  const shown = await prices(view);
  assert.ok(shown.length > 0, 'kitchen products between 20 and 120');
  assert.ok(shown.every((p) => p >= 20 && p <= 120), `prices within the range: ${shown}`);
  assert.deepEqual(shown, [...shown].sort((a, b) => a - b), 'sorted by price');
  await screenshot(page, 'search-filtered');

  // keyset paging: "Show more" adds the next page, nothing twice
  await page.goto(`${SHOP_URL}/#/search?sort=name`);
  view = await currentView(page);
  await view.locator('.result-status', { hasText: 'shown' }).waitFor();
  const first = await view.locator('.products h3 a').count();
  await view.getByRole('button', { name: 'Show more' }).click();
  await view.locator('.products h3 a').nth(first).waitFor();
  const links = await view.locator('.products h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(new Set(links).size, links.length, 'no product shown twice');

  // a product page with the worker's thumbnails
  await buyable(view).first().locator('h3 a').click();
  await page.waitForURL(/#\/product\/\d+/);
  view = await currentView(page);
  await view.locator('.details .price').waitFor();
  const title = await view.getByRole('heading', { level: 1 }).textContent();
  const srcset = await view.locator('img.picture').getAttribute('srcset');
  assert.match(srcset, /-64\.\w+ 64w, .*-256\.\w+ 256w, .*-1024\.\w+ 1024w/, 'thumbnails by srcset');
  await view.getByRole('button', { name: 'Check for changes' }).click();
  await view.getByText('Unchanged since you opened it.').waitFor();
  await screenshot(page, 'product');
  assert.deepEqual(await accessibilityViolations(page), [], 'product accessibility');
  const productUrl = page.url();

  // register (which signs in) from the product page, and come back to it
  await view.getByRole('button', { name: 'Sign in to buy' }).click();
  view = await currentView(page);
  await view.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await screenshot(page, 'sign-in');
  assert.deepEqual(await accessibilityViolations(page), [], 'sign-in accessibility');
  await view.getByRole('link', { name: 'Create an account' }).click();
  view = await currentView(page);
  await view.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
  const email = `shopper-${Date.now()}@example.org`;
  const password = 'a long enough password';
  await view.getByLabel('Name').fill('Browser Shopper');
  await view.getByLabel('Email').fill(email);
  await view.getByLabel('Password').fill(password);
  await screenshot(page, 'register');
  assert.deepEqual(await accessibilityViolations(page), [], 'register accessibility');
  await view.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(productUrl);
  await page.getByRole('navigation', { name: 'Account' }).getByText('Browser Shopper').waitFor();

  // the cart: add a product twice (the quantities add up), add another, change a quantity, remove one
  view = await currentView(page);
  await view.getByLabel('Quantity').fill('2');
  await view.getByRole('button', { name: 'Add to cart' }).click();
  await view.getByText('In your cart.').waitFor();
  await page.getByRole('link', { name: 'Cart (2)' }).waitFor();
  await view.getByLabel('Quantity').fill('1');
  await view.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart (3)' }).waitFor();
  await page.goto(`${SHOP_URL}/#/search?sort=-price`);
  view = await currentView(page);
  await buyable(view).first().waitFor();
  await buyable(view).filter({ hasNotText: title }).first().locator('h3 a').click();
  await page.waitForURL(/#\/product\/\d+/);
  view = await currentView(page);
  await view.locator('.details .price').waitFor();
  const second = await view.getByRole('heading', { level: 1 }).textContent();
  await view.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart (4)' }).waitFor();
  await page.getByRole('link', { name: 'Cart (4)' }).click();
  view = await currentView(page);
  await view.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
  await view.locator('table.cart tbody tr').nth(1).waitFor();
  assert.equal(await view.getByLabel(`Quantity of ${title}`).inputValue(), '3');
  await view.getByLabel(`Quantity of ${title}`).fill('5');
  await view.locator('tr', { hasText: title }).getByRole('button', { name: 'Update' }).click();
  await view.getByText('Quantity changed.').waitFor();
  await page.getByRole('link', { name: 'Cart (6)' }).waitFor();
  const rows = await view.locator('table.cart tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent);
    return { price: cells[1], quantity: Number(tr.querySelector('input').value), subtotal: cells[3] };
  }));
  const total = amount(await view.locator('.total').textContent());
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => r.quantity).sort(), [1, 5]);
  rows.forEach((r) => assert.ok(Math.abs(amount(r.price) * r.quantity - amount(r.subtotal)) < 0.01, `subtotal ${JSON.stringify(r)}`));
  assert.ok(Math.abs(rows.reduce((sum, r) => sum + amount(r.subtotal), 0) - total) < 0.01, 'the total adds up');
  await screenshot(page, 'cart');
  assert.deepEqual(await accessibilityViolations(page), [], 'cart accessibility');
  await view.getByRole('button', { name: `Remove ${second}` }).click();
  await view.getByText('Removed from the cart.').waitFor();
  assert.equal(await view.locator('table.cart tbody tr').count(), 1);
  await page.getByRole('link', { name: 'Cart (5)' }).waitFor();

  // sign out: the cart is the signed-in shopper's only; signing in again brings it back
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('link', { name: 'Sign in' }).waitFor();
  await page.goto(`${SHOP_URL}/#/cart`);
  view = await currentView(page);
  await view.getByText('to see your cart.').waitFor();
  await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
  view = await currentView(page);
  await view.getByLabel('Email').fill(email);
  await view.getByLabel('Password').fill('not the password');
  await view.getByRole('button', { name: 'Sign in' }).click();
  await view.getByText('Wrong email or password.').waitFor();
  await view.getByLabel('Password').fill(password);
  await view.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Cart (5)' }).waitFor();
  assert.deepEqual(errors, [], 'no script errors');
});

test('a degraded storefront says what is missing, and an unreachable API says so with a retry', async () => {
  const { page, errors } = session;
  // the storefront API's own answer when the catalog did not answer in time (see docs/api.md)
  await page.route('**/api/storefront', (route) => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ featured: [], cart: null, degraded: ['featured'] }) }));
  await page.goto(`${SHOP_URL}/`);
  let view = await currentView(page);
  await view.getByText('Some of the shop is unavailable right now (featured); the rest works.').waitFor();
  await view.getByText('The products cannot be shown right now.').waitFor();
  await view.locator('.categories li').first().waitFor();
  await page.unroute('**/api/storefront');

  await page.route('**/api/products?*', (route) => route.abort('connectionrefused'));
  await page.goto(`${SHOP_URL}/#/search?q=lamp`);
  view = await currentView(page);
  await view.getByRole('alert').getByText('The shop cannot be reached').waitFor();
  await page.unroute('**/api/products?*');
  await view.getByRole('button', { name: 'Try again' }).click();
  await view.locator('.result-status', { hasText: 'shown' }).waitFor();
  await screenshot(page, 'search-retried');
  assert.deepEqual(errors, [], 'no script errors');
});
