// #/ : the storefront — featured products and the categories, from GET /api/storefront (which
// names the sections it could not fill) and GET /api/categories.
import { get } from '/assets/api.js';
import { h, view, loading, problemBox, productCard } from '/assets/dom.js';
import { setCartCount } from '/assets/session.js';

export async function home(main) {
  view(main, 'Welcome to the shop', loading());
  try {
    const [page, categories] = await Promise.all([get('/api/storefront'), get('/api/categories').catch(() => null)]);
    if (page.cart) setCartCount(page.cart.count);
    const degraded = page.degraded.length
      ? h('p', { class: 'degraded', role: 'status' }, `Some of the shop is unavailable right now (${page.degraded.join(', ')}); the rest works.`)
      : null;
    view(main, 'Welcome to the shop', degraded,
      categories ? h('section', { 'aria-labelledby': 'categories-heading' },
        h('h2', { id: 'categories-heading' }, 'Categories'),
        categories.length
          ? h('ul', { class: 'categories' }, categories.map((c) =>
            h('li', {}, h('a', { href: `#/search?category=${encodeURIComponent(c.slug)}` }, c.name, h('span', { class: 'count' }, ` (${c.count})`)))))
          : h('p', { class: 'empty' }, 'No categories yet.'))
        : h('p', { class: 'degraded' }, 'The categories are unavailable right now.'),
      h('section', { 'aria-labelledby': 'featured-heading' },
        h('h2', { id: 'featured-heading' }, 'New in'),
        (page.featured || []).length
          ? h('ul', { class: 'products' }, page.featured.map((p) => h('li', {}, productCard(p))))
          : h('p', { class: 'empty' }, page.degraded.includes('featured') ? 'The products cannot be shown right now.' : 'The shop has no products yet.')));
  } catch (e) {
    view(main, 'Welcome to the shop', problemBox(e, () => home(main)));
  }
}
