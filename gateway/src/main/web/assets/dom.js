// h(tag, attributes, ...children): an element. Attributes named on* are listeners; children are
// nodes, strings (as text, never HTML) or arrays of them; null and false are skipped.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  element.append(...flatten(children));
  return element;
}

function flatten(children) {
  return children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : document.createTextNode(String(child))));
}

export const money = (cents, currency) =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);

// The thumbnails the worker made, as an <img> choosing its size: names end in -64, -256 or -1024.
export function productImage(product, sizes, className = 'thumb') {
  const images = product.images || [];
  if (!images.length) return h('div', { class: `${className} placeholder`, role: 'img', 'aria-label': `No picture of ${product.name}` });
  const srcset = images.map((name) => `/files/${encodeURIComponent(name)} ${name.match(/-(\d+)\.[a-z]+$/)?.[1] || 256}w`).join(', ');
  const fallback = images.find((name) => /-256\./.test(name)) || images[0];
  return h('img', { class: className, src: `/files/${encodeURIComponent(fallback)}`, srcset, sizes, alt: product.name, loading: 'lazy' });
}

// view(main, title): clears the page for a view, names it (document title, the heading screen
// readers are moved to) and answers the element to fill.
export function view(main, title, ...children) {
  document.title = `${title} · scaleout shop`;
  const heading = h('h1', { tabindex: '-1' }, title);
  main.replaceChildren(heading, ...flatten(children));
  return heading;
}

export function loading(label = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, label);
}

// problemBox(error, retry): what went wrong, in the problem's own words, with a retry button
export function problemBox(error, retry) {
  return h('div', { class: 'problem', role: 'alert' },
    h('p', {}, h('strong', {}, error.title || 'Something went wrong'), error.detail ? ` — ${error.detail}` : ''),
    retry ? h('button', { type: 'button', onclick: retry }, 'Try again') : null);
}

// a product in a list: picture, name (the link to its page), price, stock
export function productCard(product) {
  return h('article', { class: 'card' },
    productImage(product, '(max-width: 40rem) 45vw, 14rem'),
    h('h3', {}, h('a', { href: `#/product/${product.id}` }, product.name)),
    h('p', { class: 'price' }, money(product.priceCents, product.currency)),
    product.stock === 0 ? h('p', { class: 'stock out' }, 'Sold out') : null);
}
