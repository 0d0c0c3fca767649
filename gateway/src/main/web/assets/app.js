// The web UI: a hash router (#/path?query, so every view has a link of its own and the gateway
// serves one page) over plain ES modules, with the header's account links and cart count kept in
// step with the session.
import { get } from '/assets/api.js';
import { h } from '/assets/dom.js';
import * as session from '/assets/session.js';
import { home } from '/assets/home.js';
import { search } from '/assets/search.js';
import { product } from '/assets/product.js';
import { cart } from '/assets/cart.js';
import { signInView, registerView } from '/assets/account.js';
import { productList, productEditor } from '/assets/admin.js';
import { importView, deadLetters } from '/assets/admin-jobs.js';
import { closeStream } from '/assets/jobs.js';
import { ops, stopOps } from '/assets/ops.js';

const main = document.getElementById('main');
const routes = [
  [/^\/$/, () => home(main)],
  [/^\/search$/, (m, params) => search(main, params)],
  [/^\/product\/(\d+)$/, (m) => product(main, m[1])],
  [/^\/cart$/, () => cart(main)],
  [/^\/signin$/, (m, params) => signInView(main, params)],
  [/^\/register$/, (m, params) => registerView(main, params)],
  [/^\/admin$/, (m, params) => productList(main, params)],
  [/^\/admin\/product\/(\d+|new)$/, (m) => productEditor(main, m[1])],
  [/^\/admin\/import$/, () => importView(main)],
  [/^\/admin\/dlq$/, (m, params) => deadLetters(main, params)],
  [/^\/ops$/, () => ops(main)],
];

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, queryText = ''] = hash.split('?');
  if (path === 'main') return; // the skip link
  const params = new URLSearchParams(queryText);
  stopOps();
  const quick = document.getElementById('quick-q');
  if (quick) quick.value = path === '/search' ? params.get('q') || '' : '';
  for (const [pattern, show] of routes) {
    const match = path.match(pattern);
    if (match) {
      await show(match, params);
      main.querySelector('h1')?.focus();
      return;
    }
  }
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/' }, 'Go to the shop')));
}

function renderAccount() {
  const nav = document.getElementById('account-nav');
  const user = session.user();
  const count = session.cartItems();
  const signOut = async () => {
    await session.signOut().catch(() => {});
    closeStream();
    session.setCartCount(0);
    location.hash = '#/';
  };
  nav.replaceChildren(...[...(user
    ? [session.isAdmin() ? h('li', {}, h('a', { href: '#/admin' }, 'Admin')) : null,
      h('li', {}, h('a', { href: '#/cart' }, `Cart (${count})`)),
      h('li', { class: 'who' }, user.name),
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'))]
    : [h('li', {}, h('a', { href: '#/signin' }, 'Sign in')), h('li', {}, h('a', { href: '#/register' }, 'Register'))])].filter(Boolean));
}

document.querySelector('.quick-search').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = document.getElementById('quick-q').value.trim();
  location.hash = q ? `#/search?q=${encodeURIComponent(q)}` : '#/search';
});

session.onChange(renderAccount);
window.addEventListener('hashchange', route);
get('/api/ping').then((ping) => { document.getElementById('served-by').textContent = ping.gateway; })
  .catch(() => { document.getElementById('served-by').textContent = 'unknown'; });
session.load().catch(() => {}).finally(async () => {
  if (session.user()) {
    get('/api/cart').then((c) => session.setCartCount(c.count)).catch(() => {});
  }
  await route();
});
