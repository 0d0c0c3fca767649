// #/search?q&category&minPrice&maxPrice&sort : products by text, category and price, from
// GET /api/products, one keyset page at a time ("Show more" asks for the next cursor, so nothing is
// shown twice or skipped while others write). The filters come from the worker's facets read model
// (GET /api/catalog/facets): categories with their counts and price ranges.
import { get, query } from '/assets/api.js';
import { h, view, loading, problemBox, productCard } from '/assets/dom.js';

const SORTS = [['newest', 'Newest'], ['price', 'Price, low to high'], ['-price', 'Price, high to low'], ['name', 'Name, A to Z']];
const PAGE = 24;

export async function search(main, params) {
  const filters = {
    q: params.get('q') || '', category: params.get('category') || '', minPrice: params.get('minPrice') || '',
    maxPrice: params.get('maxPrice') || '', sort: params.get('sort') || 'newest',
  };
  const place = filters.category ? ` in ${filters.category}` : '';
  const title = filters.q ? `Results for “${filters.q}”${place}` : filters.category ? `All products in ${filters.category}` : 'All products';
  const results = h('ul', { class: 'products', 'aria-live': 'polite' });
  const status = h('p', { class: 'result-status', role: 'status' });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more');
  const facets = h('div', { class: 'facets' }, loading('Loading filters…'));
  view(main, title, h('div', { class: 'search-layout' }, filterForm(filters, facets), h('section', { 'aria-label': 'Results' }, status, results, more)));

  get('/api/catalog/facets').then((list) => facets.replaceChildren(facetList(list, filters)))
    .catch(() => facets.replaceChildren(h('p', { class: 'degraded' }, 'Filters by category are unavailable right now.')));

  let cursor = null;
  let shown = 0;
  const page = async () => {
    more.hidden = true;
    status.textContent = 'Loading…';
    try {
      const minCents = toCents(filters.minPrice);
      const maxCents = toCents(filters.maxPrice);
      const reply = await get(`/api/products${query({ q: filters.q, category: filters.category, minPrice: minCents, maxPrice: maxCents, sort: filters.sort, limit: PAGE, cursor })}`);
      results.append(...reply.items.map((p) => h('li', {}, productCard(p))));
      shown += reply.items.length;
      cursor = reply.nextCursor;
      more.hidden = !cursor;
      status.textContent = shown ? `${shown} product${shown === 1 ? '' : 's'} shown${cursor ? '' : ', all there are'}.` : 'No products match. Try fewer words or another category.';
    } catch (e) {
      status.replaceChildren(problemBox(e, page));
    }
  };
  more.addEventListener('click', page);
  await page();
}

function toCents(value) {
  if (value === '' || value === undefined) return '';
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? Math.round(number * 100) : '';
}

function filterForm(filters, facets) {
  const field = (label, input) => h('p', {}, h('label', { for: input.id }, label), input);
  const submit = (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    location.hash = `#/search${query(Object.fromEntries([...data.entries()].filter(([, v]) => v !== '')))}`;
  };
  return h('form', { class: 'filters', onsubmit: submit, 'aria-label': 'Filters' },
    field('Words', h('input', { id: 'f-q', name: 'q', type: 'search', value: filters.q })),
    h('input', { type: 'hidden', name: 'category', value: filters.category }),
    facets,
    h('fieldset', {}, h('legend', {}, 'Price'),
      field('From', h('input', { id: 'f-min', name: 'minPrice', type: 'number', min: '0', step: '0.01', inputmode: 'decimal', value: filters.minPrice })),
      field('To', h('input', { id: 'f-max', name: 'maxPrice', type: 'number', min: '0', step: '0.01', inputmode: 'decimal', value: filters.maxPrice }))),
    field('Sort by', h('select', { id: 'f-sort', name: 'sort' }, SORTS.map(([value, label]) =>
      h('option', { value, selected: value === filters.sort }, label)))),
    h('button', { type: 'submit' }, 'Apply'));
}

function facetList(list, filters) {
  const link = (category, label, count) => {
    const params = { ...filters, category };
    return h('li', {}, h('a', { href: `#/search${query(params)}`, 'aria-current': filters.category === category ? 'true' : null },
      label, count !== undefined ? h('span', { class: 'count' }, ` (${count})`) : null));
  };
  const total = list.reduce((sum, f) => sum + f.count, 0);
  return h('nav', { 'aria-label': 'Categories' }, h('h2', {}, 'Category'),
    h('ul', { class: 'facet-list' }, link('', 'All', total),
      list.map((f) => link(f.category, f.category, f.count))),
    filters.category ? priceHint(list.find((f) => f.category === filters.category)) : null);
}

function priceHint(facet) {
  if (!facet) return null;
  const amount = (cents) => (cents / 100).toFixed(2);
  return h('p', { class: 'hint' }, `Prices in ${facet.category}: ${amount(facet.minPriceCents)} to ${amount(facet.maxPriceCents)}`);
}
