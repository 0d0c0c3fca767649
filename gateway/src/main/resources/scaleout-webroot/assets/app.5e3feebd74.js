// The storefront page: featured products and the cart summary from GET /api/storefront.
const money = (cents, currency) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);

function render(page) {
  const list = document.getElementById('products');
  list.replaceChildren(...(page.featured || []).map((p) => {
    const item = document.createElement('li');
    const name = document.createElement('h3');
    name.textContent = p.name;
    const price = document.createElement('p');
    price.className = 'price';
    price.textContent = money(p.priceCents, p.currency);
    item.append(name, price);
    return item;
  }));
  const cart = document.getElementById('cart');
  cart.textContent = page.cart ? `Cart: ${page.cart.count} item(s)` : 'Not signed in';
  const notice = document.getElementById('degraded');
  notice.textContent = page.degraded.length ? `Unavailable right now: ${page.degraded.join(', ')}` : '';
}

fetch('/api/storefront', { credentials: 'same-origin' })
  .then((response) => response.json())
  .then(render)
  .catch(() => { document.getElementById('degraded').textContent = 'The shop cannot be reached.'; });
