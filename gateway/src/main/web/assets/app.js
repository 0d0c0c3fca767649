// The web UI: a hash router (#/path?query, so every view has a link of its own and the gateway
// serves one page) over plain ES modules, with the header's account links and cart count kept in
// step with the session. Each route renders into a container of its own: a view still waiting
// for an answer after the user went elsewhere fills a container no longer on the page.
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
import { closeStream, stopWatching } from '/assets/jobs.js';
import { ops, stopOps } from '/assets/ops.js';

const main = document.getElementById('main');
const routes = [
  [/^\/$/, (view) => home(view)],
  [/^\/search$/, (view, m, params) => search(view, params)],
  [/^\/product\/(\d+)$/, (view, m) => product(view, m[1])],
  [/^\/cart$/, (view) => cart(view)],
  [/^\/signin$/, (view, m, params) => signInView(view, params)],
  [/^\/register$/, (view, m, params) => registerView(view, params)],
  [/^\/admin$/, (view, m, params) => productList(view, params)],
  [/^\/admin\/product\/(\d+|new)$/, (view, m) => productEditor(view, m[1])],
  [/^\/admin\/import$/, (view) => importView(view)],
  [/^\/admin\/dlq$/, (view, m, params) => deadLetters(view, params)],
  [/^\/ops$/, (view) => ops(view)],
];

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, queryText = ''] = hash.split('?');
  const params = new URLSearchParams(queryText);
  stopOps();
  stopWatching();
  const quick = document.getElementById('quick-q');
  if (quick) quick.value = path === '/search' ? params.get('q') || '' : '';
  const container = h('div', { class: 'view', 'data-route': location.hash || '#/' });
  main.replaceChildren(container);
  for (const [pattern, show] of routes) {
    const match = path.match(pattern);
    if (match) {
      await show(container, match, params);
      if (container.isConnected) container.querySelector('h1')?.focus();
      return;
    }
  }
  container.replaceChildren(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/' }, 'Go to the shop')));
}

function renderAccount() {
  const nav = document.getElementById('account-nav');
  const user = session.user();
  const count = session.cartItems();
  const signOut = async () => {
    await session.signOut().catch(() => {});
    closeStream();
    location.hash = '#/';
  };
  nav.replaceChildren(...[...(user
    ? [session.isAdmin() ? h('li', {}, h('a', { href: '#/admin' }, 'Admin')) : null,
      h('li', {}, h('a', { href: '#/cart' }, `Cart (${count})`)),
      h('li', { class: 'who' }, user.name),
      h('li', {}, h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'))]
    : [h('li', {}, h('a', { href: '#/signin' }, 'Sign in')), h('li', {}, h('a', { href: '#/register' }, 'Register'))])].filter(Boolean));
}

// the skip link moves focus without changing the route
document.querySelector('.skip').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

document.querySelector('.quick-search').addEventListener('submit', (event) => {
  event.preventDefault();
  const q = document.getElementById('quick-q').value.trim();
  location.hash = q ? `#/search?q=${encodeURIComponent(q)}` : '#/search';
});

session.onChange(renderAccount);
window.addEventListener('hashchange', route);
get('/api/ping').then((ping) => { document.getElementById('served-by').textContent = ping.gateway; })
  .catch(() => { document.getElementById('served-by').textContent = 'unknown'; });
session.load().catch(() => {}).finally(route);
