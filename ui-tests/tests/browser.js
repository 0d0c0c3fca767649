// Shared by the browser tests: Debian's chromium driven by playwright-core (no browser download),
// the shop's address, screenshots as files of the run, and an axe-core check of a page.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const SHOP_URL = (process.env.SHOP_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const SCREENSHOTS = process.env.SCREENSHOT_DIR || path.resolve('..', 'target', 'ui-screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`]).toString().trim();
    } catch (e) { /* next */ }
  }
  throw new Error('no chromium: apt-get install chromium (or set CHROMIUM)');
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { browser, context, page, errors };
}

// screenshot(page, name): the whole page as NAME.png, after checking that no view printed a
// value that was missing (null, undefined, NaN as text)
export async function screenshot(page, name) {
  const text = await page.locator('body').innerText();
  const leaked = text.match(/\b(null|undefined|NaN)\b/);
  if (leaked) throw new Error(`the ${name} page shows "${leaked[0]}": ${text.slice(0, 400)}`);
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// the serious and critical accessibility violations axe-core finds on the page as it is now
export async function accessibilityViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

// the container the router made for the page's current address, once it is there: what an earlier
// view left on the page is never mistaken for the new one
export async function currentView(page) {
  const hash = await page.evaluate(() => location.hash || '#/');
  const view = page.locator(`main > .view[data-route="${hash.replace(/"/g, '\\"')}"]`);
  await view.waitFor();
  return view;
}

export const amount = (text) => Number(text.replace(/[^0-9.,]/g, '').replace(/,(\d{2})$/, '.$1').replace(/,/g, ''));

export const prices = async (view) => (await view.locator('.products .price').allTextContents()).map(amount);

// product cards with a picture and in stock
export const buyable = (view) => view.locator('.products .card').filter({ has: view.page().locator('img.thumb') })
  .filter({ hasNot: view.page().locator('.stock.out') });
