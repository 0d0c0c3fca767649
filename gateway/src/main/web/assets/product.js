// #/product/{id} : one product, its pictures (the worker's 64/256/1024 px thumbnails by srcset),
// and "Add to cart" (the API sets a line's quantity, so the quantity already in the cart is added
// to, up to the cart's 99). "Check for changes" asks again with the ETag it holds: 304 means
// unchanged, a new version is shown as such.
import { request, get, put, ApiError } from '/assets/api.js';
import { h, view, loading, problemBox, productImage, money } from '/assets/dom.js';
import { user, setCartCount } from '/assets/session.js';

export async function product(main, id) {
  view(main, 'Product', loading());
  let etag = null;
  let current = null;
  const message = h('p', { class: 'message', role: 'status', tabindex: '-1' });

  const show = () => {
    const quantity = h('input', { id: 'quantity', type: 'number', min: '1', max: '99', value: '1', required: true });
    const add = async (event) => {
      event.preventDefault();
      if (!user()) {
        location.hash = `#/signin?then=${encodeURIComponent(location.hash)}`;
        return;
      }
      message.textContent = 'Adding…';
      try {
        const line = (await get('/api/cart')).items.find((item) => item.productId === current.id);
        const wanted = Math.min(99, (line ? line.quantity : 0) + Number(quantity.value));
        const cart = await put(`/api/cart/items/${current.id}`, { quantity: wanted });
        setCartCount(cart.count);
        message.replaceChildren('In your cart. ', h('a', { href: '#/cart' }, 'See the cart'));
      } catch (e) {
        message.replaceChildren(problemBox(e));
      }
    };
    view(main, current.name,
      h('div', { class: 'product' },
        productImage(current, '(max-width: 40rem) 90vw, 32rem', 'picture'),
        h('div', { class: 'details' },
          h('p', { class: 'price' }, money(current.priceCents, current.currency)),
          h('p', { class: 'category' }, 'Category: ', h('a', { href: `#/search?category=${encodeURIComponent(current.category)}` }, current.category)),
          current.description ? h('p', { class: 'description' }, current.description) : null,
          h('p', { class: current.stock ? 'stock' : 'stock out' }, current.stock ? `${current.stock} in stock` : 'Sold out'),
          h('form', { class: 'add', onsubmit: add },
            h('label', { for: 'quantity' }, 'Quantity'), quantity,
            h('button', { type: 'submit', disabled: current.stock === 0 }, user() ? 'Add to cart' : 'Sign in to buy')),
          message,
          h('p', { class: 'version' }, `Version ${current.version} `,
            h('button', { type: 'button', class: 'link', onclick: refresh }, 'Check for changes')))));
  };

  const refresh = async () => {
    message.textContent = 'Checking…';
    try {
      const reply = await request(`/api/products/${encodeURIComponent(id)}`, { headers: { 'If-None-Match': etag }, cache: 'no-store' });
      if (reply.status === 304) {
        message.textContent = 'Unchanged since you opened it.';
        message.focus();
        return;
      }
      const before = current.version;
      current = reply.data;
      etag = reply.headers.get('etag');
      show();
      message.textContent = `Changed meanwhile: now version ${current.version} (was ${before}).`;
      message.focus();
    } catch (e) {
      message.replaceChildren(problemBox(e));
    }
  };

  try {
    const reply = await request(`/api/products/${encodeURIComponent(id)}`);
    current = reply.data;
    etag = reply.headers.get('etag');
    show();
  } catch (e) {
    view(main, e instanceof ApiError && e.status === 404 ? 'No such product' : 'Product',
      e.status === 404 ? h('p', {}, 'This product does not exist (any more). ', h('a', { href: '#/search' }, 'See all products')) : problemBox(e, () => product(main, id)));
  }
}
