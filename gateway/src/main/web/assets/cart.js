// #/cart : the signed-in shopper's cart (GET /api/cart holds product ids and quantities; each
// product's name and price come from the catalog), quantities changed or lines removed in place,
// and the total.
import { get, put, del } from '/assets/api.js';
import { h, view, loading, problemBox, productImage, money } from '/assets/dom.js';
import { user, setCartCount } from '/assets/session.js';

export async function cart(main) {
  if (!user()) {
    view(main, 'Your cart', h('p', {}, h('a', { href: '#/signin?then=%23%2Fcart' }, 'Sign in'), ' to see your cart.'));
    return;
  }
  view(main, 'Your cart', loading());
  const message = h('p', { class: 'message', role: 'status', tabindex: '-1' });
  const products = new Map();

  const render = (reply) => {
    setCartCount(reply.count);
    if (!reply.items.length) {
      view(main, 'Your cart', message, h('p', { class: 'empty' }, 'Your cart is empty. ', h('a', { href: '#/search' }, 'Find something')));
      return;
    }
    let total = 0;
    let currency = null;
    let mixed = false;
    let unpriced = false;
    const rows = reply.items.map((item) => {
      const p = products.get(item.productId);
      unpriced = unpriced || !p;
      if (p) {
        total += p.priceCents * item.quantity;
        mixed = mixed || (currency !== null && currency !== p.currency);
        currency = p.currency;
      }
      const quantity = h('input', { id: `q-${item.productId}`, type: 'number', min: '1', max: '99', value: String(item.quantity), class: 'quantity' });
      const name = p ? p.name : `Product ${item.productId} (unavailable)`;
      return h('tr', {},
        h('td', {}, p ? productImage(p, '4rem', 'mini') : null),
        h('th', { scope: 'row' }, p ? h('a', { href: `#/product/${p.id}` }, name) : name),
        h('td', {}, p ? money(p.priceCents, p.currency) : '—'),
        h('td', {}, h('label', { for: quantity.id, class: 'visually-hidden' }, `Quantity of ${name}`), quantity,
          h('button', { type: 'button', onclick: () => change(item.productId, Number(quantity.value)) }, 'Update')),
        h('td', {}, p ? money(p.priceCents * item.quantity, p.currency) : '—'),
        h('td', {}, h('button', { type: 'button', class: 'remove', onclick: () => remove(item.productId), 'aria-label': `Remove ${name}` }, 'Remove')));
    });
    view(main, 'Your cart', message,
      h('table', { class: 'cart' },
        h('caption', { class: 'visually-hidden' }, 'Products in your cart'),
        h('thead', {}, h('tr', {}, ['', 'Product', 'Price', 'Quantity', 'Subtotal', ''].map((label) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, rows),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: '4' }, 'Total'),
          h('td', { class: 'total' }, currency && !mixed && !unpriced ? money(total, currency) : '—'), h('td', {})))));
    message.focus();
  };

  const loadProducts = async (items) => {
    const missing = items.filter((item) => !products.has(item.productId));
    const found = await Promise.all(missing.map((item) => get(`/api/products/${item.productId}`).catch(() => null)));
    found.forEach((p) => { if (p) products.set(p.id, p); });
  };

  const change = async (productId, quantity) => {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
      message.textContent = 'A quantity is a whole number from 1 to 99.';
      return;
    }
    try {
      render(await put(`/api/cart/items/${productId}`, { quantity }));
      message.textContent = 'Quantity changed.';
    } catch (e) {
      message.replaceChildren(problemBox(e));
    }
  };

  const remove = async (productId) => {
    try {
      render(await del(`/api/cart/items/${productId}`));
      message.textContent = 'Removed from the cart.';
    } catch (e) {
      message.replaceChildren(problemBox(e));
    }
  };

  try {
    const reply = await get('/api/cart');
    await loadProducts(reply.items);
    render(reply);
  } catch (e) {
    view(main, 'Your cart', problemBox(e, () => cart(main)));
  }
}
